/**
 * The one Drizzle schema for PGlite and PostgreSQL. Every table carries `org_id` and every key and
 * foreign key leads with it, so the schema distributes by tenant (Citus) without change.
 * Ids are UUIDv7 made in the application (PostgreSQL 15 has no uuidv7()).
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "string" });
const day = (name: string) => date(name, { mode: "string" });

export const organizations = pgTable("organizations", {
  id: uuid("id").primaryKey(),
  name: text("name").notNull(),
  timeZone: text("time_zone").notNull().default("UTC"),
  fiscalYearStartMonth: integer("fiscal_year_start_month").notNull().default(1),
  locale: text("locale").notNull().default("en-GB"),
  currency: text("currency").notNull().default("EUR"),
  /** Status bands, rollup cap, maximum score: see src/domain/progress.ts DEFAULT_POLICY. */
  policy: jsonb("policy").$type<Record<string, unknown>>().notNull().default({}),
  auditSeq: bigint("audit_seq", { mode: "number" }).notNull().default(0),
  auditHead: text("audit_head").notNull().default(""),
  createdAt: ts("created_at").notNull().defaultNow(),
});

export const orgUnits = pgTable(
  "org_units",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id),
    id: uuid("id").notNull(),
    parentId: uuid("parent_id"),
    name: text("name").notNull(),
    kind: text("kind").notNull(),
    headId: uuid("head_id"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.parentId], foreignColumns: [t.orgId, t.id] }),
    index("org_units_parent_idx").on(t.orgId, t.parentId),
  ],
);

export const people = pgTable(
  "people",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id),
    id: uuid("id").notNull(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    title: text("title").notNull().default(""),
    unitId: uuid("unit_id"),
    managerId: uuid("manager_id"),
    roles: text("roles").array().notNull().default(sql`'{}'::text[]`),
    active: boolean("active").notNull().default(true),
    passwordHash: text("password_hash"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("people_email_idx").on(t.orgId, sql`lower(${t.email})`),
    index("people_email_lookup_idx").on(sql`lower(${t.email})`),
    index("people_manager_idx").on(t.orgId, t.managerId),
    index("people_unit_idx").on(t.orgId, t.unitId),
    foreignKey({ columns: [t.orgId, t.unitId], foreignColumns: [orgUnits.orgId, orgUnits.id] }),
    foreignKey({ columns: [t.orgId, t.managerId], foreignColumns: [t.orgId, t.id] }),
  ],
);

export const sessions = pgTable(
  "sessions",
  {
    orgId: uuid("org_id").notNull(),
    /** sha256 of the cookie's token: a leaked table does not yield live sessions. */
    tokenHash: text("token_hash").notNull(),
    personId: uuid("person_id").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.tokenHash] }),
    foreignKey({ columns: [t.orgId, t.personId], foreignColumns: [people.orgId, people.id] }),
  ],
);

export const cycles = pgTable(
  "cycles",
  {
    orgId: uuid("org_id").notNull(),
    id: uuid("id").notNull(),
    name: text("name").notNull(),
    kind: text("kind").notNull(),
    startDate: day("start_date").notNull(),
    endDate: day("end_date").notNull(),
    phase: text("phase").notNull().default("planning"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] })],
);

export const metrics = pgTable(
  "metrics",
  {
    orgId: uuid("org_id").notNull(),
    id: uuid("id").notNull(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    unit: text("unit").notNull(),
    currencyCode: text("currency_code"),
    direction: text("direction").notNull(),
    indicatorType: text("indicator_type").notNull(),
    aggregation: text("aggregation").notNull(),
    period: text("period").notNull().default("month"),
    calculation: text("calculation").notNull().default("manual"),
    formula: text("formula"),
    baselinePeriod: text("baseline_period"),
    dataSource: text("data_source").notNull().default(""),
    calculationNote: text("calculation_note").notNull().default(""),
    refreshCadence: text("refresh_cadence").notNull().default("monthly"),
    stewardId: uuid("steward_id"),
    finalityLagDays: integer("finality_lag_days").notNull().default(0),
    /** The steward closed every period ending on or before this day: its values are final. */
    closedThrough: day("closed_through"),
    validationRules: jsonb("validation_rules").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    /**
     * Goes up by one whenever the metric is changed or its measurements are written (each write locks
     * the metric and bumps it): a bulk write judged ahead of its transaction compares it to know that
     * nothing else was written or changed in between (measurements.bulk-ahead.ts).
     */
    writeSeq: bigint("write_seq", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("metrics_key_idx").on(t.orgId, t.key),
    foreignKey({ columns: [t.orgId, t.stewardId], foreignColumns: [people.orgId, people.id] }),
  ],
);

/**
 * Bitemporal and immutable: `period_start..period_end` is the business time described,
 * `recorded_at` when we learned it. A correction is a new row whose `supersedes_id` names the old one.
 * scope_id is the organisation's id for organisation-wide figures, so the key never holds a null.
 */
export const measurements = pgTable(
  "measurements",
  {
    orgId: uuid("org_id").notNull(),
    id: uuid("id").notNull(),
    metricId: uuid("metric_id").notNull(),
    scopeType: text("scope_type").notNull(),
    scopeId: uuid("scope_id").notNull(),
    periodStart: day("period_start").notNull(),
    periodEnd: day("period_end").notNull(),
    value: doublePrecision("value").notNull(),
    recordedAt: ts("recorded_at").notNull(),
    recordedBy: uuid("recorded_by"),
    supersedesId: uuid("supersedes_id"),
    source: text("source").notNull().default("api"),
    batchId: uuid("batch_id"),
    provisional: boolean("provisional").notNull().default(false),
    validationState: text("validation_state").notNull().default("accepted"),
    note: text("note").notNull().default(""),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    // period_start last: "the last n values before a date" (judging a row) is read in index order and
    // stops after n, instead of sorting the series' whole history (ties on period_end are ordered)
    index("measurements_series_idx").on(
      t.orgId,
      t.metricId,
      t.scopeType,
      t.scopeId,
      t.periodEnd,
      t.periodStart,
    ),
    // Corrections are rare: a small partial index answers "which rows are superseded" without a scan.
    index("measurements_supersedes_idx")
      .on(t.orgId, t.supersedesId)
      .where(sql`${t.supersedesId} is not null`),
    // The review queue: quarantined rows are few, so a partial index finds them without a scan.
    index("measurements_quarantined_idx").on(t.orgId, t.id).where(sql`${t.validationState} = 'quarantined'`),
    foreignKey({ columns: [t.orgId, t.metricId], foreignColumns: [metrics.orgId, metrics.id] }),
  ],
);

export const goals = pgTable(
  "goals",
  {
    orgId: uuid("org_id").notNull(),
    id: uuid("id").notNull(),
    cycleId: uuid("cycle_id").notNull(),
    title: text("title").notNull(),
    specificOutcome: text("specific_outcome").notNull().default(""),
    ownerId: uuid("owner_id").notNull(),
    level: text("level").notNull(),
    unitId: uuid("unit_id"),
    kind: text("kind").notNull(),
    metricId: uuid("metric_id"),
    scopeType: text("scope_type").notNull().default("org"),
    scopeId: uuid("scope_id"),
    baselineValue: doublePrecision("baseline_value"),
    baselinePeriod: text("baseline_period"),
    targetValue: doublePrecision("target_value"),
    stretchValue: doublePrecision("stretch_value"),
    thresholdValue: doublePrecision("threshold_value"),
    rangeMin: doublePrecision("range_min"),
    rangeMax: doublePrecision("range_max"),
    rubricLevels: integer("rubric_levels"),
    startDate: day("start_date").notNull(),
    dueDate: day("due_date").notNull(),
    checkpoints: jsonb("checkpoints").$type<{ date: string; expected: number }[]>().notNull().default([]),
    reviewCadence: text("review_cadence").notNull().default("monthly"),
    visibility: text("visibility").notNull().default("public"),
    riskAssumptions: text("risk_assumptions").notNull().default(""),
    rollupMode: text("rollup_mode").notNull().default("weighted_mean"),
    state: text("state").notNull().default("draft"),
    version: integer("version").notNull().default(1),
    smartOverrideReason: text("smart_override_reason"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index("goals_cycle_idx").on(t.orgId, t.cycleId, t.id),
    index("goals_owner_idx").on(t.orgId, t.ownerId),
    index("goals_metric_idx").on(t.orgId, t.metricId),
    // The goals one new measurement touches (its metric and scope; organisation scope is the org's id).
    index("goals_series_idx").on(t.orgId, t.metricId, t.scopeType, sql`coalesce(${t.scopeId}, ${t.orgId})`),
    foreignKey({ columns: [t.orgId, t.cycleId], foreignColumns: [cycles.orgId, cycles.id] }),
    foreignKey({ columns: [t.orgId, t.ownerId], foreignColumns: [people.orgId, people.id] }),
    foreignKey({ columns: [t.orgId, t.metricId], foreignColumns: [metrics.orgId, metrics.id] }),
  ],
);

export const goalContributors = pgTable(
  "goal_contributors",
  {
    orgId: uuid("org_id").notNull(),
    goalId: uuid("goal_id").notNull(),
    personId: uuid("person_id").notNull(),
    share: doublePrecision("share").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.goalId, t.personId] }),
    index("goal_contributors_person_idx").on(t.orgId, t.personId),
    foreignKey({ columns: [t.orgId, t.goalId], foreignColumns: [goals.orgId, goals.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.orgId, t.personId], foreignColumns: [people.orgId, people.id] }),
  ],
);

/** A child goal supports a parent goal with a contribution weight; together the links form a DAG. */
export const alignments = pgTable(
  "alignments",
  {
    orgId: uuid("org_id").notNull(),
    childId: uuid("child_id").notNull(),
    parentId: uuid("parent_id").notNull(),
    weight: doublePrecision("weight").notNull().default(1),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.childId, t.parentId] }),
    index("alignments_parent_idx").on(t.orgId, t.parentId),
    foreignKey({ columns: [t.orgId, t.childId], foreignColumns: [goals.orgId, goals.id] }),
    foreignKey({ columns: [t.orgId, t.parentId], foreignColumns: [goals.orgId, goals.id] }),
  ],
);

/** Immutable, effective-dated snapshots of a goal's definition. */
export const goalVersions = pgTable(
  "goal_versions",
  {
    orgId: uuid("org_id").notNull(),
    goalId: uuid("goal_id").notNull(),
    version: integer("version").notNull(),
    effectiveFrom: ts("effective_from").notNull(),
    snapshot: jsonb("snapshot").$type<Record<string, unknown>>().notNull(),
    changedBy: uuid("changed_by"),
    reason: text("reason").notNull().default(""),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.goalId, t.version] }),
    foreignKey({ columns: [t.orgId, t.goalId], foreignColumns: [goals.orgId, goals.id] }),
  ],
);

export const checkIns = pgTable(
  "check_ins",
  {
    orgId: uuid("org_id").notNull(),
    id: uuid("id").notNull(),
    goalId: uuid("goal_id").notNull(),
    authorId: uuid("author_id").notNull(),
    checkInDate: day("check_in_date").notNull(),
    value: doublePrecision("value"),
    confidence: integer("confidence").notNull(),
    narrative: text("narrative").notNull().default(""),
    blockers: text("blockers").notNull().default(""),
    measurementId: uuid("measurement_id"),
    milestoneDone: boolean("milestone_done"),
    rubricLevel: integer("rubric_level"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index("check_ins_goal_idx").on(t.orgId, t.goalId, t.checkInDate),
    foreignKey({ columns: [t.orgId, t.goalId], foreignColumns: [goals.orgId, goals.id] }),
  ],
);

/** Materialised current progress, kept fresh by the recompute (full and incremental). */
export const goalProgress = pgTable(
  "goal_progress",
  {
    orgId: uuid("org_id").notNull(),
    goalId: uuid("goal_id").notNull(),
    asOf: day("as_of").notNull(),
    attainment: doublePrecision("attainment"),
    expected: doublePrecision("expected").notNull(),
    pace: doublePrecision("pace"),
    status: text("status").notNull(),
    score: doublePrecision("score"),
    computedAt: ts("computed_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.goalId] }),
    index("goal_progress_status_idx").on(t.orgId, t.status),
  ],
);

/** Append-only, hash-chained per organisation: hash = sha256(prev_hash || canonical JSON of the event). */
export const auditEvents = pgTable(
  "audit_events",
  {
    orgId: uuid("org_id").notNull(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    id: uuid("id").notNull(),
    at: ts("at").notNull(),
    actorId: uuid("actor_id"),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.seq] }),
    index("audit_events_entity_idx").on(t.orgId, t.entityType, t.entityId),
  ],
);

export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    orgId: uuid("org_id").notNull(),
    key: text("key").notNull(),
    actorId: uuid("actor_id").notNull(),
    route: text("route").notNull(),
    requestHash: text("request_hash").notNull(),
    statusCode: integer("status_code").notNull(),
    response: jsonb("response").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.actorId, t.key] })],
);

/**
 * A measurement file being imported (issue 4): uploaded, previewed (dry run), then committed in
 * chunks. `chunks_done` and `rows_done` move in the same transaction as each chunk's measurements,
 * so a crashed import resumes after its last committed chunk: never doubled, never half.
 */
export const imports = pgTable(
  "imports",
  {
    orgId: uuid("org_id").notNull(),
    id: uuid("id").notNull(),
    fileName: text("file_name").notNull(),
    sourceName: text("source_name").notNull(),
    format: text("format").notNull(),
    byteSize: bigint("byte_size", { mode: "number" }).notNull(),
    filePath: text("file_path").notNull(),
    status: text("status").notNull(),
    columns: jsonb("columns").$type<string[]>().notNull().default([]),
    mapping: jsonb("mapping").$type<Record<string, unknown>>().notNull().default({}),
    sample: jsonb("sample").$type<unknown[]>().notNull().default([]),
    totalRows: integer("total_rows").notNull().default(0),
    validRows: integer("valid_rows").notNull().default(0),
    problemRows: integer("problem_rows").notNull().default(0),
    skipInvalid: boolean("skip_invalid").notNull().default(false),
    chunksDone: integer("chunks_done").notNull().default(0),
    rowsDone: integer("rows_done").notNull().default(0),
    accepted: integer("accepted").notNull().default(0),
    flagged: integer("flagged").notNull().default(0),
    quarantined: integer("quarantined").notNull().default(0),
    rejected: integer("rejected").notNull().default(0),
    error: text("error"),
    createdBy: uuid("created_by").notNull(),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
    finishedAt: ts("finished_at"),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index("imports_status_idx").on(t.status),
    foreignKey({ columns: [t.orgId, t.createdBy], foreignColumns: [people.orgId, people.id] }),
  ],
);

/** Every problem a row of an import has: found by the dry run, or when a chunk is committed. */
export const importProblems = pgTable(
  "import_problems",
  {
    orgId: uuid("org_id").notNull(),
    importId: uuid("import_id").notNull(),
    seq: integer("seq").notNull(),
    rowNumber: integer("row_number").notNull(),
    column: text("column").notNull(),
    message: text("message").notNull(),
    phase: text("phase").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.importId, t.seq] }),
    foreignKey({ columns: [t.orgId, t.importId], foreignColumns: [imports.orgId, imports.id] }).onDelete(
      "cascade",
    ),
  ],
);

/** The column mapping last used for a source name, offered again for its next file. */
export const importMappings = pgTable(
  "import_mappings",
  {
    orgId: uuid("org_id").notNull(),
    sourceName: text("source_name").notNull(),
    mapping: jsonb("mapping").$type<Record<string, unknown>>().notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.sourceName] })],
);

/**
 * What each validation rule found on a measurement when it was written (src/domain/validation):
 * one row per rule that flagged or quarantined it; accepted rows have none.
 */
export const measurementFindings = pgTable(
  "measurement_findings",
  {
    orgId: uuid("org_id").notNull(),
    measurementId: uuid("measurement_id").notNull(),
    rule: text("rule").notNull(),
    outcome: text("outcome").notNull(),
    message: text("message").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.measurementId, t.rule] }),
    foreignKey({
      columns: [t.orgId, t.measurementId],
      foreignColumns: [measurements.orgId, measurements.id],
    }),
  ],
);

/**
 * A steward's decision on a quarantined measurement: accept (it counts from now on) or reject (it
 * stays out), with the reason. At most one per measurement; the measurement row itself keeps its
 * value, and only its `validation_state` moves to accepted on accept.
 */
export const measurementReviews = pgTable(
  "measurement_reviews",
  {
    orgId: uuid("org_id").notNull(),
    id: uuid("id").notNull(),
    measurementId: uuid("measurement_id").notNull(),
    decision: text("decision").notNull(),
    reason: text("reason").notNull(),
    reviewedBy: uuid("reviewed_by").notNull(),
    reviewedAt: ts("reviewed_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("measurement_reviews_measurement_idx").on(t.orgId, t.measurementId),
    foreignKey({
      columns: [t.orgId, t.measurementId],
      foreignColumns: [measurements.orgId, measurements.id],
    }),
    foreignKey({ columns: [t.orgId, t.reviewedBy], foreignColumns: [people.orgId, people.id] }),
  ],
);

/**
 * A connector: data the server pulls on a schedule (an HTTP JSON endpoint, a CSV at a URL, a SQL
 * query against another PostgreSQL database) and writes as measurements of its target metrics.
 * `secret` (a header value or a connection URL) is never returned by the API. `backup_source_id`
 * names the source that feeds the same metrics while this one fails or is stale; `using_backup`
 * says the switch is on. `next_run_at` is when the scheduler pulls it next (null: manual only).
 */
export const dataSources = pgTable(
  "data_sources",
  {
    orgId: uuid("org_id").notNull(),
    id: uuid("id").notNull(),
    name: text("name").notNull(),
    kind: text("kind").notNull(),
    config: jsonb("config").$type<Record<string, unknown>>().notNull(),
    secret: text("secret"),
    metricIds: jsonb("metric_ids").$type<string[]>().notNull(),
    schedule: jsonb("schedule").$type<Record<string, unknown>>(),
    staleAfterMinutes: integer("stale_after_minutes").notNull(),
    stewardId: uuid("steward_id").notNull(),
    backupSourceId: uuid("backup_source_id"),
    active: boolean("active").notNull().default(true),
    usingBackup: boolean("using_backup").notNull().default(false),
    nextRunAt: ts("next_run_at"),
    runningSince: ts("running_since"),
    lastRunAt: ts("last_run_at"),
    lastSuccessAt: ts("last_success_at"),
    lastError: text("last_error"),
    lastRows: integer("last_rows"),
    createdBy: uuid("created_by").notNull(),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("data_sources_name_idx").on(t.orgId, t.name),
    index("data_sources_due_idx").on(t.nextRunAt),
    foreignKey({ columns: [t.orgId, t.stewardId], foreignColumns: [people.orgId, people.id] }),
  ],
);

/**
 * One entry of a source's history: a pull (`pull`, with its counts and error) or a switch to or from
 * its backup (`switch_to_backup`, `switch_to_primary`, with the reason in `error`/`note`).
 */
export const dataSourceRuns = pgTable(
  "data_source_runs",
  {
    orgId: uuid("org_id").notNull(),
    id: uuid("id").notNull(),
    sourceId: uuid("source_id").notNull(),
    kind: text("kind").notNull(),
    trigger: text("trigger").notNull(),
    status: text("status").notNull(),
    fed: boolean("fed").notNull().default(false),
    startedAt: ts("started_at").notNull(),
    finishedAt: ts("finished_at"),
    rowsRead: integer("rows_read").notNull().default(0),
    accepted: integer("accepted").notNull().default(0),
    flagged: integer("flagged").notNull().default(0),
    quarantined: integer("quarantined").notNull().default(0),
    rejected: integer("rejected").notNull().default(0),
    unchanged: integer("unchanged").notNull().default(0),
    error: text("error"),
    note: text("note"),
    problems: jsonb("problems")
      .$type<{ row: number; field: string; message: string }[]>()
      .notNull()
      .default([]),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index("data_source_runs_source_idx").on(t.orgId, t.sourceId, t.id),
    foreignKey({ columns: [t.orgId, t.sourceId], foreignColumns: [dataSources.orgId, dataSources.id] }),
  ],
);

/**
 * The latest value each source read for a metric, scope and period (whether or not it fed the
 * metric): what the discrepancy report compares between a source and its backup.
 */
export const dataSourceReadings = pgTable(
  "data_source_readings",
  {
    orgId: uuid("org_id").notNull(),
    sourceId: uuid("source_id").notNull(),
    metricId: uuid("metric_id").notNull(),
    scopeType: text("scope_type").notNull(),
    scopeId: uuid("scope_id").notNull(),
    periodStart: day("period_start").notNull(),
    periodEnd: day("period_end").notNull(),
    value: doublePrecision("value").notNull(),
    runId: uuid("run_id").notNull(),
    readAt: ts("read_at").notNull(),
  },
  (t) => [
    primaryKey({
      columns: [t.orgId, t.sourceId, t.metricId, t.scopeType, t.scopeId, t.periodStart, t.periodEnd],
    }),
    foreignKey({ columns: [t.orgId, t.sourceId], foreignColumns: [dataSources.orgId, dataSources.id] }),
  ],
);

/**
 * A series (metric and scope) whose metric has a frequency rule and that stopped reporting: opened
 * when whole periods are due without a counted value since `last_period_end` (src/domain/validation/
 * missing-data.ts), resolved when a value arrives or the rule no longer finds data missing. At most
 * one open alert per series; `periods_missing` is the count when it opened (reads recount as of today).
 */
export const missingDataAlerts = pgTable(
  "missing_data_alerts",
  {
    orgId: uuid("org_id").notNull(),
    id: uuid("id").notNull(),
    metricId: uuid("metric_id").notNull(),
    scopeType: text("scope_type").notNull(),
    scopeId: uuid("scope_id").notNull(),
    lastPeriodEnd: day("last_period_end").notNull(),
    missingSince: day("missing_since").notNull(),
    periodsMissing: integer("periods_missing").notNull(),
    openedAt: ts("opened_at").notNull(),
    resolvedAt: ts("resolved_at"),
    /** value_arrived | not_missing (the rule now tolerates the gap, or is off) */
    resolution: text("resolution"),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("missing_data_alerts_open_idx")
      .on(t.orgId, t.metricId, t.scopeType, t.scopeId)
      .where(sql`${t.resolvedAt} is null`),
    foreignKey({ columns: [t.orgId, t.metricId], foreignColumns: [metrics.orgId, metrics.id] }),
  ],
);

/** The day each organisation's full missing-data check last ran (so several processes run it once). */
export const missingDataChecks = pgTable(
  "missing_data_checks",
  {
    orgId: uuid("org_id").notNull(),
    checkedOn: day("checked_on").notNull(),
    checkedAt: ts("checked_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }),
  ],
);
