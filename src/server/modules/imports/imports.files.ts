/**
 * Where uploaded files wait between the dry run and the end of their commit: streamed to disk with a
 * hard size limit, never held in memory. The folder must outlive a crash so an import can resume:
 * YARDSTICK_IMPORT_DIR, else `imports/` in the data folder.
 */
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

/** 256 MiB unless YARDSTICK_IMPORT_MAX_BYTES says otherwise: room for a million rows and more. */
export const importMaxBytes = (): number => {
  const v = Number(process.env.YARDSTICK_IMPORT_MAX_BYTES);
  return Number.isFinite(v) && v > 0 ? v : 256 * 1024 * 1024;
};

export const importDir = (): string =>
  resolve(process.env.YARDSTICK_IMPORT_DIR || join(process.env.YARDSTICK_DATA_DIR || "./data", "imports"));

/** The upload was larger than the limit; nothing was kept. */
export class FileTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(
      `the file is larger than the limit of ${Math.floor(limit / (1024 * 1024))} MiB for one import; split it into smaller files`,
    );
  }
}

/** Streams `body` to `<dir>/<id>`; answers its size. Throws FileTooLargeError past `maxBytes`. */
export async function storeUpload(
  body: NodeJS.ReadableStream,
  id: string,
  maxBytes: number,
): Promise<{ path: string; bytes: number }> {
  const dir = importDir();
  await mkdir(dir, { recursive: true });
  const path = join(dir, id);
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) done(new FileTooLargeError(maxBytes));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(body, count, createWriteStream(path));
  } catch (err) {
    await rm(path, { force: true });
    throw err;
  }
  return { path, bytes };
}

export async function removeUpload(path: string): Promise<void> {
  await rm(path, { force: true });
}
