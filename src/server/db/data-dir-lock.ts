import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";

/**
 * PGlite does not stop a second process from opening the same folder, and a write is then silently
 * lost. We take an exclusive lock file (created with O_EXCL) holding our pid; a stale lock whose pid
 * no longer runs is taken over.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  const path = join(dataDir, ".yardstick.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number.parseInt(readFileSync(path, "utf8"), 10);
      if (Number.isInteger(pid) && pid !== process.pid && isRunning(pid)) {
        throw new DataDirLockedError(dataDir, pid);
      }
      rmSync(path, { force: true });
    }
  }
  throw new DataDirLockedError(dataDir, Number.NaN);
}

export class DataDirLockedError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The data folder ${dataDir} is in use by another Yardstick process (pid ${pid}). ` +
        "Only one process may open an embedded database: stop the other one, or set YARDSTICK_DATA_DIR " +
        "to another folder, or use DATABASE_URL for a PostgreSQL server that many processes can share.",
    );
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
