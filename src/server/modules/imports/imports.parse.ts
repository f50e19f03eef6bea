/**
 * Streaming readers for import files: CSV (csv-parse) and XLSX (exceljs' streaming workbook reader).
 * Both yield the header row, then each data row's cells as text with its row number in the file
 * (the header is row 1), never holding the file in memory. Invalid UTF-8 in a CSV does not stop the
 * read: the rows it touches are marked so each is reported with its line.
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { Transform, type TransformCallback } from "node:stream";
import { parse } from "csv-parse";
import ExcelJS from "exceljs";

export type FileFormat = "csv" | "xlsx";

export type FileRow = {
  rowNumber: number;
  cells: string[];
  /** the row held bytes that are not UTF-8 (CSV only); the cells show them as U+FFFD */
  badEncoding?: boolean;
};

/** An XLSX file is a zip: it starts with "PK\x03\x04". Anything else is read as CSV. */
export async function detectFormat(path: string): Promise<FileFormat> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(4);
    await fh.read(buf, 0, 4, 0);
    return buf.equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) ? "xlsx" : "csv";
  } finally {
    await fh.close();
  }
}

/**
 * Passes bytes through and notes the lines (1-based) that hold invalid UTF-8: a byte that cannot
 * start a character, a missing continuation byte, or a sequence cut off at the end of the file.
 */
export class Utf8LineCheck extends Transform {
  readonly badLines = new Set<number>();
  private line = 1;
  private pending = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i] as number;
      if (this.pending > 0) {
        if ((b & 0xc0) === 0x80) {
          this.pending--;
          continue;
        }
        this.badLines.add(this.line);
        this.pending = 0;
      }
      if (b < 0x80) {
        if (b === 0x0a) this.line++;
      } else if (b >= 0xc2 && b <= 0xdf) this.pending = 1;
      else if (b >= 0xe0 && b <= 0xef) this.pending = 2;
      else if (b >= 0xf0 && b <= 0xf4) this.pending = 3;
      else this.badLines.add(this.line);
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.pending > 0) this.badLines.add(this.line);
    done();
  }
}

/** Comma unless the first line holds more semicolons or tabs (spreadsheets in some locales). */
async function sniffDelimiter(path: string): Promise<string> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, 4096, 0);
    const first = buf.subarray(0, bytesRead).toString("utf8").split("\n")[0] ?? "";
    const count = (c: string) => first.split(c).length - 1;
    const [best] = [",", ";", "\t"].sort((a, b) => count(b) - count(a));
    return best && count(best) > 0 ? best : ",";
  } finally {
    await fh.close();
  }
}

/** Rows a CSV read hands over at once: one await per batch rather than one per row. */
const CSV_BATCH = 1000;

/** An empty line (csv-parse gives it as one empty cell): skipped, but counted as a line. */
const isEmptyLine = (record: string[]) => record.length === 1 && record[0] === "";

/** Line breaks inside a record's quoted cells: "\r\n" and "\n" are one line each, as in the file. */
function breaksIn(record: string[]): number {
  let n = 0;
  for (const cell of record) {
    for (let i = cell.indexOf("\n"); i !== -1; i = cell.indexOf("\n", i + 1)) n++;
  }
  return n;
}

async function* readCsv(path: string): AsyncGenerator<FileRow[]> {
  const check = new Utf8LineCheck();
  // Lines are counted here, not by csv-parse's `info` (an object of ~20 fields made per record, and
  // "\r\n" inside a quoted cell counted as two lines where the file, and Utf8LineCheck, have one).
  const parser = parse({
    bom: true,
    delimiter: await sniffDelimiter(path),
    relax_column_count: true,
    skip_empty_lines: false,
  });
  const source = createReadStream(path, { highWaterMark: 256 * 1024 });
  source.on("error", (err) => parser.destroy(err));
  let ended = false;
  let failed: { error: Error } | null = null;
  let wake = () => {};
  parser.on("readable", () => wake());
  parser.on("end", () => {
    ended = true;
    wake();
  });
  parser.on("error", (error: Error) => {
    failed = { error };
    wake();
  });
  source.pipe(check).pipe(parser);
  // the line the next record starts on
  let line = 1;
  try {
    for (;;) {
      const batch: FileRow[] = [];
      while (batch.length < CSV_BATCH) {
        const record = parser.read() as string[] | null;
        if (record === null) break;
        const rowNumber = line;
        line += 1 + breaksIn(record);
        if (isEmptyLine(record)) continue;
        let badEncoding = false;
        for (let l = rowNumber; l < line && !badEncoding; l++) badEncoding = check.badLines.has(l);
        batch.push(badEncoding ? { rowNumber, cells: record, badEncoding } : { rowNumber, cells: record });
      }
      if (failed) throw (failed as { error: Error }).error;
      if (batch.length > 0) {
        yield batch;
        continue;
      }
      if (ended) return;
      // read() answered nothing: the parser emits "readable" (or "end", "error") later, never now
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    source.destroy();
    parser.destroy();
  }
}

const pad = (n: number) => String(n).padStart(2, "0");

/** A spreadsheet cell as the text a CSV would hold: dates as YYYY-MM-DD, formulas as their result. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date)
    return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((r) => r.text).join("");
    if ("result" in value) return cellText((value.result ?? null) as ExcelJS.CellValue);
    if ("text" in value) return String(value.text);
    if ("error" in value) return String(value.error);
    return "";
  }
  return String(value);
}

async function* readXlsx(path: string): AsyncGenerator<FileRow[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    worksheets: "emit",
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    entries: "ignore",
  });
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = (row as ExcelJS.Row).values as ExcelJS.CellValue[];
      const cells = values.slice(1).map((v) => cellText(v));
      if (cells.every((c) => c.trim() === "")) continue;
      yield [{ rowNumber: (row as ExcelJS.Row).number, cells }];
    }
    return; // the first worksheet only
  }
}

/** The file's rows, header first, in batches (a batch may hold the header and data rows alike). */
export function readFileBatches(path: string, format: FileFormat): AsyncGenerator<FileRow[]> {
  return format === "xlsx" ? readXlsx(path) : readCsv(path);
}

/** The file's rows, header first, one at a time. */
export async function* readFileRows(path: string, format: FileFormat): AsyncGenerator<FileRow> {
  for await (const batch of readFileBatches(path, format)) yield* batch;
}

/**
 * The file's header row (null for an empty file), then its data rows in chunks of exactly `size`
 * (the last one shorter), so chunk n holds the same rows on every read.
 */
export async function readChunks(
  path: string,
  format: FileFormat,
  size: number,
): Promise<{ header: FileRow | null; chunks: AsyncGenerator<FileRow[]> }> {
  const batches = readFileBatches(path, format);
  let first = await batches.next();
  while (!first.done && first.value.length === 0) first = await batches.next();
  if (first.done) return { header: null, chunks: (async function* () {})() };
  const [header, ...rest] = first.value;
  async function* chunks(): AsyncGenerator<FileRow[]> {
    let buffer = rest;
    try {
      for (;;) {
        while (buffer.length >= size) {
          yield buffer.slice(0, size);
          buffer = buffer.slice(size);
        }
        const next = await batches.next();
        if (next.done) break;
        buffer = buffer.length === 0 ? next.value : buffer.concat(next.value);
      }
      if (buffer.length > 0) yield buffer;
    } finally {
      await batches.return(undefined);
    }
  }
  return { header: header ?? null, chunks: chunks() };
}
