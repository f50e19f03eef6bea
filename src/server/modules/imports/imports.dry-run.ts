/**
 * The dry run: reads the whole file through the mapping and the checker, writes nothing but the
 * import's own record: its columns, mapping, first rows, counts and every row's problems.
 */
import type { Actor } from "../../actor.ts";
import type { Db } from "../../db/connection.ts";
import { createRowChecker } from "./imports.check.ts";
import { type FileFormat, type FileRow, readChunks, readFileRows } from "./imports.parse.ts";
import type { ProblemInsert } from "./imports.repo.ts";
import { type ColumnMapping, mappingFaults } from "./imports.rows.ts";

export const SAMPLE_ROWS = 20;
/** Problems kept per import: past this the count still grows, the list says so once. */
export const MAX_PROBLEMS = 100_000;
/** Rows checked per look-up batch. */
const BATCH = 2000;
/** Problems per row in the seq numbering (seq = row index × 16 + n). */
export const PROBLEM_SLOTS = 16;

export type DryRunResult = {
  columns: string[];
  sample: {
    rowNumber: number;
    cells: string[];
    read: (Omit<import("./imports.rows.ts").ReadRow, "value"> & { value: number | null }) | null;
  }[];
  totalRows: number;
  validRows: number;
  problemRows: number;
  problems: Omit<ProblemInsert, "orgId" | "importId" | "phase">[];
  /** the mapping cannot work (a required field has no column): no row can be read */
  mappingBroken: boolean;
};

/** The file's header row (row 1), or an empty list for an empty file. */
export async function readHeaders(path: string, format: FileFormat): Promise<string[]> {
  const rows = readFileRows(path, format);
  try {
    const first = await rows.next();
    return first.done ? [] : first.value.cells.map((c) => c.trim());
  } finally {
    await rows.return(undefined);
  }
}

export async function dryRun(opts: {
  db: Db;
  actor: Actor;
  path: string;
  format: FileFormat;
  mapping: ColumnMapping;
  sourceName: string;
  today: string;
  timeZone: string;
}): Promise<DryRunResult> {
  const out: DryRunResult = {
    columns: [],
    sample: [],
    totalRows: 0,
    validRows: 0,
    problemRows: 0,
    problems: [],
    mappingBroken: false,
  };
  const { header, chunks } = await readChunks(opts.path, opts.format, BATCH);
  if (!header) {
    out.mappingBroken = true;
    out.problems.push({
      seq: 0,
      rowNumber: 1,
      column: "file",
      message: "the file is empty: it needs a header row and rows of data",
    });
    return out;
  }
  out.columns = header.cells.map((c) => c.trim());
  const broken = mappingFaults(opts.mapping, out.columns);
  if (broken.length > 0) {
    out.mappingBroken = true;
    broken.forEach((f, i) => {
      out.problems.push({ seq: i, rowNumber: 1, column: f.column, message: f.message });
    });
  }
  const checker = createRowChecker({ ...opts, headers: out.columns });
  const flush = async (batch: FileRow[]) => {
    if (out.mappingBroken) {
      for (const r of batch) {
        out.totalRows++;
        if (out.sample.length < SAMPLE_ROWS)
          out.sample.push({ rowNumber: r.rowNumber, cells: r.cells, read: null });
      }
      return;
    }
    for (const r of await checker.check(batch)) {
      const index = out.totalRows++;
      if (out.sample.length < SAMPLE_ROWS)
        out.sample.push({ rowNumber: r.rowNumber, cells: r.cells, read: r.read });
      if (r.faults.length === 0) {
        out.validRows++;
        continue;
      }
      out.problemRows++;
      r.faults.slice(0, PROBLEM_SLOTS - 1).forEach((f, n) => {
        if (out.problems.length < MAX_PROBLEMS)
          out.problems.push({ seq: (index + 1) * PROBLEM_SLOTS + n, rowNumber: r.rowNumber, ...f });
      });
    }
  };
  for await (const batch of chunks) await flush(batch);
  if (out.totalRows === 0 && !out.mappingBroken)
    out.problems.push({
      seq: 0,
      rowNumber: 1,
      column: "file",
      message: "the file has a header row but no rows of data",
    });
  return out;
}
