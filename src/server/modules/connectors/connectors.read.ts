/**
 * Reading a source: fetching its data (an HTTP JSON document, a CSV at a URL, the rows of a read-only
 * SQL query) with a timeout and a size limit, and mapping each item or row to the fields of a
 * measurement. A fault of the whole fetch (HTTP 500, no answer in time, malformed JSON, a missing
 * column) throws `SourceError` with a reason a steward can act on; a fault of one item is a problem
 * of that item, and the other items are still read.
 */
import { parse as parseCsv } from "csv-parse/sync";
import { JSONPath } from "jsonpath-plus";
import pg from "pg";
import { isIsoDate } from "../../../domain/dates.ts";
import {
  type ColumnMapping,
  guessMapping,
  mappingFaults,
  parseNumber,
  readRow,
} from "../imports/imports.rows.ts";
import { FetchError, guardedGet, RefusedAddressError } from "./connectors.fetch.ts";
import {
  CSV_DELIMITERS,
  type CsvUrlConfig,
  type HttpJsonConfig,
  type SourceKind,
  type SqlConfig,
} from "./connectors.schema.ts";

/** Largest answer read from a URL; YARDSTICK_CONNECTOR_MAX_BYTES for tests. */
export const maxBytes = (): number => {
  const v = Number(process.env.YARDSTICK_CONNECTOR_MAX_BYTES);
  return Number.isInteger(v) && v > 0 ? v : 20 * 1024 * 1024;
};
/** Most items or rows one pull reads. */
export const MAX_ITEMS = 100_000;

/** The whole pull failed; `message` is the reason shown as the source's health. */
export class SourceError extends Error {}

/** One item or row read, before its metric and scope are looked up. */
export type SourceRecord = {
  /** item number (JSON, from 1) or line (CSV, header is 1) or row (SQL, from 1) */
  row: number;
  metricKey: string | null;
  scopeType: "org" | "unit" | "person";
  scopeId: string | null;
  periodStart: string;
  periodEnd: string;
  value: number;
};
export type ReadProblem = { row: number; field: string; message: string };
export type ReadResult = { records: SourceRecord[]; problems: ReadProblem[] };

/** What a pull needs besides its config: the secret, and the metric for rows that name none. */
export type ReadContext = { secret: string | null; defaultMetricKey: string | null };

/** GETs the URL under the SSRF guard, reading at most `maxBytes()`; every fault becomes a SourceError naming the URL. */
async function fetchText(url: string, headerName: string | undefined, timeoutMs: number, ctx: ReadContext) {
  const headers: Record<string, string> = {};
  if (headerName && ctx.secret) headers[headerName] = ctx.secret;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    return await guardedGet(url, { headers, signal, limit: maxBytes() });
  } catch (err) {
    if (err instanceof FetchError) {
      const f = err.fault;
      switch (f.kind) {
        case "status":
          throw new SourceError(`HTTP ${f.status} ${f.statusText} from ${f.url}`.replace(/ +from/, " from"));
        case "too_large":
          throw new SourceError(
            f.bytes === null
              ? `the answer of ${f.url} is over the limit of ${f.limit} bytes`
              : `the answer of ${f.url} is ${f.bytes} bytes, over the limit of ${f.limit}`,
          );
        case "refused":
          throw new SourceError(`refused to fetch ${f.url}: ${f.message}`);
        default: {
          const never: never = f;
          throw new SourceError(`could not fetch ${url}: ${String(never)}`);
        }
      }
    }
    const e = err as Error & { code?: string; cause?: { code?: string; message?: string } };
    if (e.name === "TimeoutError" || e.name === "AbortError" || signal.aborted)
      throw new SourceError(`no answer from ${url} within ${timeoutMs} ms`);
    if (err instanceof RefusedAddressError) throw new SourceError(`refused to fetch ${url}: ${e.message}`);
    throw new SourceError(
      `could not fetch ${url}: ${e.code ?? e.cause?.code ?? e.cause?.message ?? e.message}`,
    );
  }
}

const SCOPES = new Set(["org", "unit", "person"]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Evaluates a JSONPath against an item; the first match (scripts in paths are off). */
function pick(path: string, json: unknown): unknown {
  const found = JSONPath({ path, json: json as object, wrap: true, eval: false }) as unknown[];
  return found[0];
}

/** The items the document's `itemsPath` names, each mapped through the field paths. */
export function mapJsonItems(doc: unknown, config: HttpJsonConfig, ctx: ReadContext): ReadResult {
  let items: unknown[];
  try {
    items = JSONPath({ path: config.itemsPath, json: doc as object, wrap: true, eval: false }) as unknown[];
  } catch (err) {
    throw new SourceError(`itemsPath ${config.itemsPath} cannot be read: ${(err as Error).message}`);
  }
  if (items.length > MAX_ITEMS)
    throw new SourceError(`${items.length} items, over the limit of ${MAX_ITEMS}`);
  const records: SourceRecord[] = [];
  const problems: ReadProblem[] = [];
  const f = config.fields;
  items.forEach((item, i) => {
    const row = i + 1;
    const faults: ReadProblem[] = [];
    const fault = (field: string, message: string) => faults.push({ row, field, message });
    const text = (field: string, path: string | undefined) => {
      if (!path) return undefined;
      const v = pick(path, item);
      if (v === undefined || v === null || v === "") return undefined;
      if (typeof v === "string" || typeof v === "number") return String(v);
      fault(field, `${path} is ${Array.isArray(v) ? "a list" : typeof v}, not text`);
      return undefined;
    };
    const metricKey = text("metricKey", f.metricKey) ?? ctx.defaultMetricKey;
    if (!metricKey)
      fault(
        "metricKey",
        f.metricKey ? `${f.metricKey} is empty` : "the source feeds several metrics: map metricKey",
      );
    const scopeType = (text("scopeType", f.scopeType) ?? "org").toLowerCase();
    if (!SCOPES.has(scopeType))
      fault("scopeType", `"${scopeType}" is not a scope type: use org, unit or person`);
    const scopeId = text("scopeId", f.scopeId) ?? null;
    if (scopeId !== null && !UUID.test(scopeId)) fault("scopeId", `"${scopeId}" is not an id`);
    const periodStart = text("periodStart", f.periodStart);
    if (periodStart === undefined) fault("periodStart", `${f.periodStart} is missing`);
    else if (!isIsoDate(periodStart)) fault("periodStart", `"${periodStart}" is not a date as YYYY-MM-DD`);
    const periodEnd = text("periodEnd", f.periodEnd) ?? periodStart;
    if (periodEnd !== undefined && periodEnd !== periodStart && !isIsoDate(periodEnd))
      fault("periodEnd", `"${periodEnd}" is not a date as YYYY-MM-DD`);
    const raw = pick(f.value, item);
    const value = typeof raw === "number" ? raw : typeof raw === "string" ? parseNumber(raw) : undefined;
    if (value === undefined || !Number.isFinite(value))
      fault("value", raw === undefined ? `${f.value} is missing` : `${JSON.stringify(raw)} is not a number`);
    if (faults.length > 0) problems.push(...faults);
    else
      records.push({
        row,
        metricKey: metricKey as string,
        scopeType: scopeType as SourceRecord["scopeType"],
        scopeId,
        periodStart: periodStart as string,
        periodEnd: (periodEnd ?? periodStart) as string,
        value: value as number,
      });
  });
  return { records, problems };
}

/** Rows of cells under headers (CSV or SQL), read with the imports module's column mapping. */
function mapTable(
  headers: string[],
  rows: { row: number; cells: string[] }[],
  columns: CsvUrlConfig["columns"],
  ctx: ReadContext,
): ReadResult {
  // the columns named win; every field left out is guessed among the other columns
  const given = Object.entries(columns ?? {}).filter((e): e is [string, string] => Boolean(e[1]));
  const named = new Set(given.map(([, v]) => v));
  const mapping: ColumnMapping = {
    ...guessMapping(headers.filter((h) => !named.has(h))),
    ...Object.fromEntries(given),
  };
  mapping.metricKey = ctx.defaultMetricKey;
  const faults = mappingFaults(mapping, headers);
  if (faults.length > 0) throw new SourceError(faults.map((f) => f.message).join("; "));
  const index = new Map(headers.map((h, i) => [h, i]));
  const records: SourceRecord[] = [];
  const problems: ReadProblem[] = [];
  for (const r of rows) {
    const read = readRow(r.cells, index, mapping, { source: "connector" });
    if (!read.row) {
      for (const f of read.faults) problems.push({ row: r.row, field: f.column, message: f.message });
      continue;
    }
    const scopeId = read.row.scope === "" ? null : read.row.scope;
    if (scopeId !== null && !UUID.test(scopeId)) {
      problems.push({ row: r.row, field: mapping.scope ?? "scope", message: `"${scopeId}" is not an id` });
      continue;
    }
    records.push({
      row: r.row,
      metricKey: read.row.metric,
      scopeType: read.row.scopeType ?? "org",
      scopeId,
      periodStart: read.row.periodStart,
      periodEnd: read.row.periodEnd,
      value: read.row.value,
    });
  }
  return { records, problems };
}

async function readHttpJson(config: HttpJsonConfig, ctx: ReadContext): Promise<ReadResult> {
  const text = await fetchText(config.url, config.headerName, config.timeoutMs, ctx);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new SourceError(`the answer of ${config.url} is not valid JSON: ${(err as Error).message}`);
  }
  return mapJsonItems(doc, config, ctx);
}

async function readCsvUrl(config: CsvUrlConfig, ctx: ReadContext): Promise<ReadResult> {
  const text = await fetchText(config.url, config.headerName, config.timeoutMs, ctx);
  let table: string[][];
  try {
    table = parseCsv(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      // sources saved before the delimiter was a setting have none: comma
      delimiter: CSV_DELIMITERS[config.delimiter ?? "comma"],
    }) as string[][];
  } catch (err) {
    throw new SourceError(`the answer of ${config.url} is not CSV: ${(err as Error).message}`);
  }
  const [headers, ...rows] = table;
  if (!headers) throw new SourceError(`the answer of ${config.url} is empty: no header row`);
  if (rows.length > MAX_ITEMS) throw new SourceError(`${rows.length} rows, over the limit of ${MAX_ITEMS}`);
  return mapTable(
    headers.map((h) => h.trim()),
    rows.map((cells, i) => ({ row: i + 2, cells })),
    config.columns,
    ctx,
  );
}

/** A result cell as text: dates (pg gives a local-midnight Date for `date`) as YYYY-MM-DD. */
function cellText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) {
    const p = (n: number) => String(n).padStart(2, "0");
    return `${v.getFullYear()}-${p(v.getMonth() + 1)}-${p(v.getDate())}`;
  }
  return String(v);
}

/**
 * Runs the query on its own connection inside a READ ONLY transaction with a statement timeout, as
 * one prepared statement (so it cannot carry a second statement), reading at most maxRows + 1 rows.
 */
async function readSql(config: SqlConfig, ctx: ReadContext): Promise<ReadResult> {
  if (!ctx.secret) throw new SourceError("no connection URL is stored: set the source's secret");
  const client = new pg.Client({
    connectionString: ctx.secret,
    connectionTimeoutMillis: config.timeoutMs,
    query_timeout: config.timeoutMs + 1000,
    application_name: "yardstick-connector",
  });
  client.on("error", () => {});
  const query = config.query.replace(/;\s*$/, "");
  try {
    await client.connect();
    await client.query("begin transaction read only");
    await client.query(`set local statement_timeout = ${Math.round(config.timeoutMs)}`);
    const res = await client.query({
      name: "yardstick-connector",
      text: `select * from (${query}) as source_rows limit ${config.maxRows + 1}`,
      values: [],
    });
    await client.query("rollback");
    if (res.rows.length > config.maxRows)
      throw new SourceError(`the query answers more than ${config.maxRows} rows: narrow it or raise maxRows`);
    const headers = res.fields.map((f) => f.name);
    return mapTable(
      headers,
      res.rows.map((r: Record<string, unknown>, i: number) => ({
        row: i + 1,
        cells: headers.map((h) => cellText(r[h])),
      })),
      config.columns,
      ctx,
    );
  } catch (err) {
    if (err instanceof SourceError) throw err;
    const e = err as Error & { code?: string };
    if (e.code === "57014") throw new SourceError(`the query ran past its timeout of ${config.timeoutMs} ms`);
    if (e.code === "25006")
      throw new SourceError(`the query tried to write; sources are read only (${e.message})`);
    throw new SourceError(`the query failed: ${e.message.replace(ctx.secret, "***")}`);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Reads a source of any kind. */
export async function readSource(kind: SourceKind, config: unknown, ctx: ReadContext): Promise<ReadResult> {
  switch (kind) {
    case "http_json":
      return readHttpJson(config as HttpJsonConfig, ctx);
    case "csv_url":
      return readCsvUrl(config as CsvUrlConfig, ctx);
    case "sql":
      return readSql(config as SqlConfig, ctx);
    default: {
      const never: never = kind;
      throw new SourceError(`unknown source kind ${String(never)}`);
    }
  }
}
