/** The data-source (connector) resource's shapes: what is pulled, how it maps to measurements, when. */
import { z } from "zod";
import { cronFault } from "../../../domain/connectors.ts";
import { PageQuery } from "../../http/pagination.ts";

export const SOURCE_KINDS = ["http_json", "csv_url", "sql"] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** The value the API answers in place of a stored secret; sent back on update, it keeps the secret. */
export const SECRET_MASK = "***";

const url = z
  .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
  .max(2000)
  .describe("where to fetch the data");
const headerName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{1,64}$/, "must be an HTTP header name, e.g. Authorization")
  .optional()
  .describe("header sent with the secret as its value (e.g. Authorization with secret 'Bearer …')");
const timeoutMs = z
  .number()
  .int()
  .min(100)
  .max(60_000)
  .default(10_000)
  .describe("give up on a fetch or query after this many milliseconds");
const path = z.string().trim().min(1).max(500);

/** JSONPath-style paths: `itemsPath` from the document to the items, each field's from one item. */
const HttpJsonConfig = z.strictObject({
  url,
  headerName,
  timeoutMs,
  itemsPath: path.default("$[*]").describe("JSONPath from the document to the list of items, e.g. $.data[*]"),
  fields: z.strictObject({
    metricKey: path.optional().describe("the metric's key; leave out when the source feeds one metric"),
    scopeType: path.optional().describe("org, unit or person; org by default"),
    scopeId: path.optional().describe("the unit's or person's id"),
    periodStart: path.describe("e.g. $.date"),
    periodEnd: path.optional(),
    value: path.describe("e.g. $.amount"),
  }),
});

const column = z.string().trim().max(200, "a column name has at most 200 characters").optional();
/**
 * Which column (CSV header, or SQL result column) feeds each field; a field left out (or empty) is
 * guessed from the names, as in file imports.
 */
const Columns = z
  .strictObject({
    metric: column,
    scopeType: column,
    scope: column,
    periodStart: column,
    periodEnd: column,
    value: column,
  })
  .superRefine((cols, ctx) => {
    const feeds = new Map<string, string>();
    for (const [field, name] of Object.entries(cols)) {
      if (!name) continue;
      const other = feeds.get(name);
      if (other)
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: `column "${name}" feeds ${other} already; name another column`,
        });
      else feeds.set(name, field);
    }
  })
  .optional()
  .describe("the column per field; a field left out is guessed from the column names");

export const CSV_DELIMITERS = { comma: ",", semicolon: ";", tab: "\t" } as const;
export type CsvDelimiter = keyof typeof CSV_DELIMITERS;

const CsvUrlConfig = z.strictObject({
  url,
  headerName,
  timeoutMs,
  delimiter: z
    .enum(["comma", "semicolon", "tab"], { error: "must be comma, semicolon or tab" })
    .default("comma")
    .describe("what separates the cells: comma (,), semicolon (;) or tab"),
  columns: Columns,
});

const SqlConfig = z.strictObject({
  query: z
    .string()
    .trim()
    .min(1, "write the query")
    .max(20_000)
    .describe(
      "one SELECT, run read-only; columns metric, scope_type, scope, period_start, period_end, value",
    ),
  timeoutMs,
  maxRows: z.number().int().min(1).max(100_000).default(10_000).describe("read at most this many rows"),
  columns: Columns,
});

export const Schedule = z
  .union([
    z.strictObject({ every: z.number().int().min(1).max(10_080).describe("minutes between pulls") }),
    z.strictObject({
      cron: z
        .string()
        .trim()
        .max(100)
        .superRefine((v, ctx) => {
          const fault = cronFault(v);
          if (fault) ctx.addIssue({ code: "custom", message: fault });
        })
        .describe("five-field cron in the organisation's time zone, e.g. 0 6 * * *"),
    }),
  ])
  .nullable()
  .describe("when to pull: every N minutes, or a cron expression; null pulls only on demand")
  .meta({ id: "DataSourceSchedule" });
export type Schedule = z.infer<typeof Schedule>;

const common = {
  name: z.string().trim().min(1, "give the source a name").max(80),
  metricIds: z
    .array(z.uuid())
    .min(1, "name at least one metric this source feeds")
    .max(20)
    .describe("the metrics this source feeds; its rows for any other metric are rejected"),
  schedule: Schedule.default(null),
  staleAfterMinutes: z
    .number()
    .int()
    .min(1)
    .max(525_600)
    .optional()
    .describe("stale when no run succeeded for this long; three schedule intervals by default"),
  stewardId: z
    .uuid()
    .optional()
    .describe("who answers for the source (scheduled pulls write as them); the caller by default"),
  backupSourceId: z
    .uuid()
    .nullable()
    .default(null)
    .describe("the source that feeds the same metrics while this one fails or is stale"),
  secret: z
    .string()
    .max(4000)
    .nullable()
    .optional()
    .describe(`header value (http, csv) or connection URL (sql); answered as "${SECRET_MASK}", never shown`),
};

export const CreateDataSourceInput = z
  .discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("http_json"), config: HttpJsonConfig, ...common }),
    z.strictObject({ kind: z.literal("csv_url"), config: CsvUrlConfig, ...common }),
    z.strictObject({ kind: z.literal("sql"), config: SqlConfig, ...common }),
  ])
  .meta({ id: "CreateDataSourceInput" });
export type CreateDataSourceInput = z.infer<typeof CreateDataSourceInput>;
export type HttpJsonConfig = z.infer<typeof HttpJsonConfig>;
export type CsvUrlConfig = z.infer<typeof CsvUrlConfig>;
export type SqlConfig = z.infer<typeof SqlConfig>;
export type SourceConfig = HttpJsonConfig | CsvUrlConfig | SqlConfig;

/** An update replaces the source's settings (the kind stays); send `secret: "***"` or leave it out to keep it. */
export const UpdateDataSourceInput = CreateDataSourceInput.meta({ id: "UpdateDataSourceInput" });
export type UpdateDataSourceInput = CreateDataSourceInput;

export const Health = z
  .object({
    state: z.enum(["healthy", "unhealthy", "stale", "pending"]),
    reason: z.string().nullable().describe("why unhealthy or stale"),
  })
  .meta({ id: "DataSourceHealth" });

const count = z.number().int().min(0);
export const RunCounts = z.object({
  accepted: count,
  flagged: count,
  quarantined: count,
  rejected: count,
  unchanged: count.describe("rows whose value was already recorded: nothing written"),
});

export const DataSourceRun = z
  .object({
    id: z.uuid(),
    sourceId: z.uuid(),
    kind: z.enum(["pull", "switch_to_backup", "switch_to_primary"]),
    trigger: z.enum(["schedule", "manual", "failover"]),
    status: z.enum(["running", "succeeded", "failed", "recorded"]),
    fed: z
      .boolean()
      .describe("whether the rows were written to the metrics (a backup's only while it stands in)"),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    rowsRead: count,
    counts: RunCounts,
    error: z.string().nullable(),
    note: z.string().nullable(),
    problems: z
      .array(z.object({ row: z.number().int(), field: z.string(), message: z.string() }))
      .describe("the first problems of the rows (item or line number, field, message)"),
  })
  .meta({ id: "DataSourceRun" });
export type DataSourceRun = z.infer<typeof DataSourceRun>;

export const DataSource = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: z.enum(SOURCE_KINDS),
    config: z.record(z.string(), z.unknown()),
    secret: z.literal(SECRET_MASK).nullable().describe(`"${SECRET_MASK}" when a secret is stored`),
    metrics: z.array(z.object({ id: z.uuid(), key: z.string() })),
    schedule: Schedule,
    staleAfterMinutes: z.number().int(),
    steward: z.object({ id: z.uuid(), name: z.string() }),
    backupSourceId: z.uuid().nullable(),
    backupFor: z.array(z.uuid()).describe("the sources this one stands in for"),
    active: z.boolean(),
    usingBackup: z.boolean().describe("true while this source's backup feeds its metrics"),
    health: Health,
    nextRunAt: z.string().nullable(),
    lastRunAt: z.string().nullable(),
    lastSuccessAt: z.string().nullable(),
    lastError: z.string().nullable(),
    lastRows: z.number().int().nullable(),
    lastRun: DataSourceRun.nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    abilities: z.object({ update: z.boolean(), run: z.boolean() }),
  })
  .meta({ id: "DataSource" });
export type DataSource = z.infer<typeof DataSource>;

export const SourceParams = z.object({ id: z.uuid() });
export const RunParams = z.object({ id: z.uuid(), runId: z.uuid() });
export const SourceListQuery = PageQuery.extend({
  includeInactive: z.stringbool().default(false),
});
export type SourceListQuery = z.infer<typeof SourceListQuery>;

export const Discrepancy = z
  .object({
    metricId: z.uuid(),
    metricKey: z.string(),
    scopeType: z.enum(["org", "unit", "person"]),
    scopeId: z.uuid(),
    periodStart: z.string(),
    periodEnd: z.string(),
    primaryValue: z.number(),
    backupValue: z.number(),
    absolute: z.number().describe("backup − primary"),
    relative: z.number().nullable().describe("(backup − primary) / |primary|; null when the primary is 0"),
  })
  .meta({ id: "Discrepancy" });
export type Discrepancy = z.infer<typeof Discrepancy>;

export const DiscrepancyReport = z
  .object({
    primary: z.object({ id: z.uuid(), name: z.string() }),
    backup: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    items: z.array(Discrepancy),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: "DiscrepancyReport" });
export type DiscrepancyReport = z.infer<typeof DiscrepancyReport>;
