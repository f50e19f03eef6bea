/**
 * Reading one row of an import file: which column feeds which field (guessed from the headers,
 * or as the caller mapped them), and the row's fields parsed, each fault naming its column. Pure:
 * lookups of metrics and scopes happen in the service.
 */
import { normaliseWhen } from "../../../domain/periods.ts";

export const IMPORT_FIELDS = [
  "metric",
  "scopeType",
  "scope",
  "periodStart",
  "periodEnd",
  "value",
  "source",
  "note",
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/**
 * Which of the file's columns (by header) feeds each field; `null` or absent: none. `metricKey`
 * names one metric for every row when the file has no metric column.
 */
export type ColumnMapping = Partial<Record<ImportField, string | null>> & { metricKey?: string | null };

const SYNONYMS: Record<ImportField, string[]> = {
  metric: ["metric", "metrickey", "metricid", "kpi", "kpikey", "kpiid", "key"],
  scopeType: ["scopetype", "scopekind", "level"],
  scope: [
    "scope",
    "scopeid",
    "person",
    "personid",
    "email",
    "personemail",
    "unit",
    "unitid",
    "unitname",
    "who",
  ],
  periodStart: ["periodstart", "start", "startdate", "date", "day", "period", "from", "observedfor"],
  periodEnd: ["periodend", "end", "enddate", "to", "until"],
  value: ["value", "amount", "actual", "measurement", "val", "number"],
  source: ["source", "sourcename", "origin"],
  note: ["note", "notes", "comment", "comments", "remark"],
};

const normalise = (h: string) => h.toLowerCase().replace(/[^a-z0-9]/g, "");

/** The mapping the headers suggest: each field takes the first unused column whose name matches. */
export function guessMapping(headers: string[]): ColumnMapping {
  const used = new Set<string>();
  const mapping: ColumnMapping = {};
  for (const field of IMPORT_FIELDS) {
    const match = SYNONYMS[field]
      .map((name) => headers.find((h) => !used.has(h) && normalise(h) === name))
      .find((h) => h !== undefined);
    mapping[field] = match ?? null;
    if (match !== undefined) used.add(match);
  }
  return mapping;
}

/** A mapping that still fits these headers (a remembered one may name columns this file lacks). */
export function fitMapping(remembered: ColumnMapping, headers: string[]): ColumnMapping {
  const guessed = guessMapping(headers);
  const out: ColumnMapping = { metricKey: remembered.metricKey ?? null };
  for (const field of IMPORT_FIELDS) {
    const col = remembered[field];
    out[field] = col && headers.includes(col) ? col : (guessed[field] ?? null);
  }
  return out;
}

export type MappingFault = { column: string; message: string };

/** Faults of the mapping itself (reported once, on the header row): a required field with no column. */
export function mappingFaults(mapping: ColumnMapping, headers: string[]): MappingFault[] {
  const faults: MappingFault[] = [];
  for (const field of IMPORT_FIELDS) {
    const col = mapping[field];
    if (col && !headers.includes(col))
      faults.push({ column: col, message: `the file has no column "${col}" (mapped to ${field})` });
  }
  const need = (field: ImportField, what: string) => {
    if (!mapping[field])
      faults.push({
        column: field,
        message: `missing column: no column is mapped to ${field}; the file needs ${what}`,
      });
  };
  if (!mapping.metric && !mapping.metricKey)
    faults.push({
      column: "metric",
      message: "missing column: map a column to metric (key or id), or name one metric for every row",
    });
  need("periodStart", "the first day each value describes (YYYY-MM-DD)");
  need("value", "the value of each row");
  return faults;
}

/** A row's fields as read from the file, before metric and scope are looked up. */
export type ReadRow = {
  metric: string;
  scopeType: "org" | "unit" | "person" | null;
  scope: string;
  periodStart: string;
  periodEnd: string;
  value: number;
  source: string;
  note: string;
};

export type CellFault = { column: string; message: string };

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A number cell: plain decimal notation, no thousands separators or units. */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (!NUMBER.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * A date cell as the organisation's calendar date: a date (YYYY-MM-DD), a local date-time in the
 * organisation's zone (2026-03-31T14:30) or an instant with offset (2026-03-31T23:30:00Z), or the
 * reason it is not a valid time (src/domain/periods.ts).
 */
export function readDate(text: string, timeZone: string): { date: string } | { fault: string } {
  const when = normaliseWhen(text, timeZone);
  return when.ok ? { date: when.date } : { fault: when.reason };
}

const SCOPE_TYPES = new Set(["org", "unit", "person"]);

/**
 * Reads one row's fields through the mapping. Each fault names the file's column (its header) so a
 * person can find the cell; an absent optional column takes its default.
 */
export function readRow(
  cells: string[],
  headerIndex: Map<string, number>,
  mapping: ColumnMapping,
  defaults: { source: string; timeZone?: string },
): { row: ReadRow; faults: [] } | { row: null; faults: CellFault[] } {
  // Dates and times are read in the organisation's zone; UTC when the caller names none.
  const timeZone = defaults.timeZone ?? "UTC";
  const faults: CellFault[] = [];
  const cell = (field: ImportField): { column: string; text: string } | undefined => {
    const column = mapping[field];
    if (!column) return undefined;
    const i = headerIndex.get(column);
    return { column, text: i === undefined ? "" : (cells[i] ?? "").trim() };
  };
  const required = (field: ImportField) => {
    const c = cell(field);
    if (c && c.text === "") faults.push({ column: c.column, message: `missing value: ${field} is empty` });
    return c;
  };

  const metricCell = cell("metric");
  let metric = metricCell?.text ?? "";
  if (metric === "" && mapping.metricKey) metric = mapping.metricKey;
  else if (metricCell && metric === "")
    faults.push({ column: metricCell.column, message: "missing value: metric is empty" });

  const typeCell = cell("scopeType");
  let scopeType: ReadRow["scopeType"] = null;
  if (typeCell && typeCell.text !== "") {
    const t = typeCell.text.toLowerCase();
    if (SCOPE_TYPES.has(t)) scopeType = t as ReadRow["scopeType"];
    else
      faults.push({
        column: typeCell.column,
        message: `"${typeCell.text}" is not a scope type: use org, unit or person`,
      });
  }
  const scope = cell("scope")?.text ?? "";

  const startCell = required("periodStart");
  let periodStart = startCell?.text ?? "";
  if (startCell && periodStart !== "") {
    const d = readDate(periodStart, timeZone);
    if ("fault" in d) faults.push({ column: startCell.column, message: d.fault });
    else periodStart = d.date;
  }
  const endCell = cell("periodEnd");
  let periodEnd = periodStart;
  if (endCell && endCell.text !== "") {
    const d = readDate(endCell.text, timeZone);
    if ("fault" in d) faults.push({ column: endCell.column, message: d.fault });
    else if (
      periodStart !== "" &&
      !faults.some((f) => f.column === startCell?.column) &&
      d.date < periodStart
    )
      faults.push({
        column: endCell.column,
        message: `must be on or after the period start (${periodStart})`,
      });
    else periodEnd = d.date;
  }

  const valueCell = required("value");
  let value = Number.NaN;
  if (valueCell && valueCell.text !== "") {
    const n = parseNumber(valueCell.text);
    if (n === undefined)
      faults.push({
        column: valueCell.column,
        message: `text in a number column: "${valueCell.text}" is not a number (write e.g. 1234.5, without units or separators)`,
      });
    else value = n;
  }

  const source = cell("source")?.text || defaults.source;
  if (source.length > 100)
    faults.push({ column: mapping.source ?? "source", message: "at most 100 characters" });
  const note = cell("note")?.text ?? "";
  if (note.length > 2000)
    faults.push({ column: mapping.note ?? "note", message: "at most 2,000 characters" });

  if (faults.length > 0) return { row: null, faults };
  return { row: { metric, scopeType, scope, periodStart, periodEnd, value, source, note }, faults: [] };
}

/** A spreadsheet cell that starts a formula (`= + - @`, or a tab or carriage return) gets a leading `'`. */
export function escapeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One CSV field, quoted when it must be, formula-escaped. */
export function csvField(text: string): string {
  const t = escapeFormula(text);
  return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}
