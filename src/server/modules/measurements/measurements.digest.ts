/**
 * What the audit event of a bulk write records about its rows. A batch of thousands of rows is not
 * copied into the audit log: measurements are never updated or deleted, so the rows themselves are
 * the record, and the event holds their count, id range and a SHA-256 digest of their content. The
 * event is in the hash chain, so a stored row changed afterwards no longer matches its event's
 * digest (`verifyBatchDigest`). Small batches (an API call, a check-in) also list their rows in the
 * event, so the audit log reads them without a second look-up.
 */
import { createHash } from "node:crypto";

/** Rows listed in full in the event up to this many; above it only the digest (and corrections). */
export const LISTED_ROWS = 100;

/**
 * The fields of a measurement the digest covers: what was written. Not its validation state, the
 * one thing a stored row may change (quarantined → accepted by a steward, audited on its own); the
 * event's counts say how many rows were written in each state.
 */
export type DigestedRow = {
  id: string;
  metricId: string;
  scopeType: string;
  scopeId: string;
  periodStart: string;
  periodEnd: string;
  value: number;
  supersedesId: string | null;
  source: string;
  note: string;
};

export type RowsDigest = { count: number; firstId: string; lastId: string; sha256: string };

/**
 * One line per row in id order, fields tab-separated, the free-text fields JSON-quoted so no tab or
 * newline in them can shift a field. The line format is part of every stored event: never change it.
 */
const lineOf = (r: DigestedRow, source: (s: string) => string, note: (s: string) => string): string =>
  `${r.id}\t${r.metricId}\t${r.scopeType}\t${r.scopeId}\t${r.periodStart}\t${r.periodEnd}\t${String(r.value)}\t${r.supersedesId ?? ""}\t${source(r.source)}\t${note(r.note)}`;

/** JSON.stringify of a text, made again only when the text differs from the one before. */
function quoter(): (text: string) => string {
  let last: string | null = null;
  let quoted = "";
  return (text) => {
    if (text !== last) {
      last = text;
      quoted = JSON.stringify(text);
    }
    return quoted;
  };
}

const byId = (a: DigestedRow, b: DigestedRow) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The digest of rows (any order; they are taken in id order). Null for no rows. */
export function digestRows(rows: readonly DigestedRow[]): RowsDigest | null {
  if (rows.length === 0) return null;
  // a write's ids are made in order (uuidv7): most batches need no sort
  const inOrder = rows.every((r, i) => i === 0 || (rows[i - 1] as DigestedRow).id < r.id);
  const sorted = inOrder ? rows : [...rows].sort(byId);
  // One update for the whole text: the same digest as a line at a time, without a call per row.
  let text = "";
  // a batch's rows mostly share their source and note: each is quoted once
  const source = quoter();
  const note = quoter();
  for (const r of sorted) text += `${lineOf(r, source, note)}\n`;
  const hash = createHash("sha256").update(text);
  return {
    count: sorted.length,
    firstId: sorted[0]?.id ?? "",
    lastId: sorted[sorted.length - 1]?.id ?? "",
    sha256: hash.digest("hex"),
  };
}
