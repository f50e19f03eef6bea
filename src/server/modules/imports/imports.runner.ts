/**
 * Runs committed imports in the background of the server process, one run per import, and resumes
 * the imports a stopped process left `running` when the server is ready. A run stops between chunks
 * when the server closes, leaving the import running for the next start.
 */
import type { Clock } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";
import { runImport } from "./imports.commit.ts";
import { type ImportRow, listRunningImports } from "./imports.repo.ts";

export function createImportRunner(deps: { db: Db; clock: Clock; log?: (err: unknown) => void }) {
  const active = new Map<string, Promise<unknown>>();
  let stopping = false;
  const start = (imp: ImportRow) => {
    const key = `${imp.orgId}|${imp.id}`;
    if (active.has(key) || stopping) return;
    const run = runImport(deps, imp, { stopped: () => stopping })
      .catch((err) => deps.log?.(err))
      .finally(() => active.delete(key));
    active.set(key, run);
  };
  return {
    start,
    async resumeAll(): Promise<void> {
      for (const imp of await listRunningImports(deps.db)) start(imp);
    },
    /** Stops after the chunks in flight and waits for them. */
    async close(): Promise<void> {
      stopping = true;
      await Promise.allSettled([...active.values()]);
    },
    /** Resolves when no import runs in this process (tests). */
    async idle(): Promise<void> {
      while (active.size > 0) await Promise.allSettled([...active.values()]);
    },
  };
}
