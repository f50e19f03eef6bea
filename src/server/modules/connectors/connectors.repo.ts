/** SQL of data sources: the sources, their run history, their readings and the discrepancy join. */
import { and, asc, desc, eq, isNotNull, lt, lte, sql } from "drizzle-orm";
import type { Db } from "../../db/connection.ts";
import { dataSourceReadings, dataSourceRuns, dataSources, metrics } from "../../db/schema.ts";

export type SourceRow = typeof dataSources.$inferSelect;
export type SourceInsert = typeof dataSources.$inferInsert;
export type RunRow = typeof dataSourceRuns.$inferSelect;
export type RunInsert = typeof dataSourceRuns.$inferInsert;
export type ReadingInsert = typeof dataSourceReadings.$inferInsert;

export async function insertSource(db: Db, row: SourceInsert): Promise<void> {
  await db.insert(dataSources).values(row);
}

export async function findSource(db: Db, orgId: string, id: string): Promise<SourceRow | undefined> {
  const rows = await db
    .select()
    .from(dataSources)
    .where(and(eq(dataSources.orgId, orgId), eq(dataSources.id, id)));
  return rows[0];
}

/** The source, locked for the rest of the transaction (one run claims it at a time). */
export async function lockSource(tx: Db, orgId: string, id: string): Promise<SourceRow | undefined> {
  const rows = await tx
    .select()
    .from(dataSources)
    .where(and(eq(dataSources.orgId, orgId), eq(dataSources.id, id)))
    .for("update");
  return rows[0];
}

export async function findSourceByName(db: Db, orgId: string, name: string): Promise<SourceRow | undefined> {
  const rows = await db
    .select()
    .from(dataSources)
    .where(and(eq(dataSources.orgId, orgId), eq(dataSources.name, name)));
  return rows[0];
}

export async function updateSource(
  db: Db,
  orgId: string,
  id: string,
  set: Partial<Omit<SourceInsert, "orgId" | "id">>,
): Promise<void> {
  await db
    .update(dataSources)
    .set(set)
    .where(and(eq(dataSources.orgId, orgId), eq(dataSources.id, id)));
}

/** A data steward's sources: those feeding at least one metric they steward. */
const fedByStewardOf = (personId: string) => sql`exists (
  select 1 from ${metrics} m
  where m.org_id = ${dataSources.orgId} and m.steward_id = ${personId}
    and m.id::text in (select jsonb_array_elements_text(${dataSources.metricIds})))`;

/** Sources by name then id; `stewardId` limits the list to the sources feeding that steward's metrics. */
export async function listSources(
  db: Db,
  orgId: string,
  opts: { stewardId: string | undefined; includeInactive: boolean; after: string | undefined; limit: number },
): Promise<SourceRow[]> {
  return db
    .select()
    .from(dataSources)
    .where(
      and(
        eq(dataSources.orgId, orgId),
        opts.includeInactive ? undefined : eq(dataSources.active, true),
        opts.stewardId ? fedByStewardOf(opts.stewardId) : undefined,
        opts.after ? sql`${dataSources.id} > ${opts.after}` : undefined,
      ),
    )
    .orderBy(asc(dataSources.id))
    .limit(opts.limit);
}

/** The sources that name `id` as their backup. */
export async function listBackedBy(db: Db, orgId: string, id: string): Promise<SourceRow[]> {
  return db
    .select()
    .from(dataSources)
    .where(and(eq(dataSources.orgId, orgId), eq(dataSources.backupSourceId, id)));
}

/** Active scheduled sources whose next run is due at `now`, across organisations. */
export async function listDueSources(db: Db, now: string): Promise<SourceRow[]> {
  return db
    .select()
    .from(dataSources)
    .where(
      and(eq(dataSources.active, true), isNotNull(dataSources.nextRunAt), lte(dataSources.nextRunAt, now)),
    )
    .orderBy(asc(dataSources.nextRunAt))
    .limit(500);
}

/** Active primaries with a backup not yet standing in, across organisations (checked for staleness). */
export async function listPrimariesNotSwitched(db: Db): Promise<SourceRow[]> {
  return db
    .select()
    .from(dataSources)
    .where(
      and(
        eq(dataSources.active, true),
        isNotNull(dataSources.backupSourceId),
        eq(dataSources.usingBackup, false),
      ),
    );
}

/**
 * Moves a due source's next run from `expected` to `next`, only when no other process did first:
 * answers whether this caller claimed the run.
 */
export async function claimDue(
  db: Db,
  orgId: string,
  id: string,
  expected: string,
  next: string,
): Promise<boolean> {
  const rows = await db
    .update(dataSources)
    .set({ nextRunAt: next })
    .where(and(eq(dataSources.orgId, orgId), eq(dataSources.id, id), eq(dataSources.nextRunAt, expected)))
    .returning({ id: dataSources.id });
  return rows.length > 0;
}

export async function insertRun(db: Db, row: RunInsert): Promise<void> {
  await db.insert(dataSourceRuns).values(row);
}

export async function updateRun(
  db: Db,
  orgId: string,
  id: string,
  set: Partial<Omit<RunInsert, "orgId" | "id">>,
): Promise<void> {
  await db
    .update(dataSourceRuns)
    .set(set)
    .where(and(eq(dataSourceRuns.orgId, orgId), eq(dataSourceRuns.id, id)));
}

/** Marks the runs of a source still `running` as failed with `error` (their process died). */
export async function failRunningRuns(
  tx: Db,
  orgId: string,
  sourceId: string,
  finishedAt: string,
  error: string,
): Promise<void> {
  await tx
    .update(dataSourceRuns)
    .set({ status: "failed", finishedAt, error })
    .where(
      and(
        eq(dataSourceRuns.orgId, orgId),
        eq(dataSourceRuns.sourceId, sourceId),
        eq(dataSourceRuns.status, "running"),
      ),
    );
}

export async function findRun(db: Db, orgId: string, id: string): Promise<RunRow | undefined> {
  const rows = await db
    .select()
    .from(dataSourceRuns)
    .where(and(eq(dataSourceRuns.orgId, orgId), eq(dataSourceRuns.id, id)));
  return rows[0];
}

/** A source's history, newest first. */
export async function listRuns(
  db: Db,
  orgId: string,
  sourceId: string,
  opts: { before: string | undefined; limit: number },
): Promise<RunRow[]> {
  return db
    .select()
    .from(dataSourceRuns)
    .where(
      and(
        eq(dataSourceRuns.orgId, orgId),
        eq(dataSourceRuns.sourceId, sourceId),
        opts.before ? lt(dataSourceRuns.id, opts.before) : undefined,
      ),
    )
    .orderBy(desc(dataSourceRuns.id))
    .limit(opts.limit);
}

/** The latest pull of a source (for its card). */
export async function findLastPull(db: Db, orgId: string, sourceId: string): Promise<RunRow | undefined> {
  const rows = await db
    .select()
    .from(dataSourceRuns)
    .where(
      and(
        eq(dataSourceRuns.orgId, orgId),
        eq(dataSourceRuns.sourceId, sourceId),
        eq(dataSourceRuns.kind, "pull"),
      ),
    )
    .orderBy(desc(dataSourceRuns.id))
    .limit(1);
  return rows[0];
}

/** Replaces the values a source read for these metric, scope and periods with this run's. */
export async function upsertReadings(db: Db, rows: ReadingInsert[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insert(dataSourceReadings)
      .values(rows.slice(i, i + 1000))
      .onConflictDoUpdate({
        target: [
          dataSourceReadings.orgId,
          dataSourceReadings.sourceId,
          dataSourceReadings.metricId,
          dataSourceReadings.scopeType,
          dataSourceReadings.scopeId,
          dataSourceReadings.periodStart,
          dataSourceReadings.periodEnd,
        ],
        set: {
          value: sql`excluded.value`,
          runId: sql`excluded.run_id`,
          readAt: sql`excluded.read_at`,
        },
      });
  }
}

export type DiscrepancyRow = {
  metricId: string;
  metricKey: string;
  scopeType: "org" | "unit" | "person";
  scopeId: string;
  periodStart: string;
  periodEnd: string;
  primaryValue: number;
  backupValue: number;
};

/**
 * Where both sources read a value for the same metric, scope and period, both values; ordered by
 * metric, scope, period. `offset` pages through them.
 */
export async function listBothRead(
  db: Db,
  orgId: string,
  primaryId: string,
  backupId: string,
  opts: { offset: number; limit: number },
): Promise<DiscrepancyRow[]> {
  const res = (await db.execute(sql`
    select p.metric_id as "metricId", m.key as "metricKey", p.scope_type as "scopeType",
      p.scope_id as "scopeId", p.period_start::text as "periodStart", p.period_end::text as "periodEnd",
      p.value as "primaryValue", b.value as "backupValue"
    from data_source_readings p
    join data_source_readings b on b.org_id = p.org_id and b.source_id = ${backupId}
      and b.metric_id = p.metric_id and b.scope_type = p.scope_type and b.scope_id = p.scope_id
      and b.period_start = p.period_start and b.period_end = p.period_end
    join metrics m on m.org_id = p.org_id and m.id = p.metric_id
    where p.org_id = ${orgId} and p.source_id = ${primaryId}
    order by m.key, p.scope_type, p.scope_id, p.period_start, p.period_end
    offset ${opts.offset} limit ${opts.limit}`)) as unknown as { rows: DiscrepancyRow[] };
  return res.rows.map((r) => ({
    ...r,
    primaryValue: Number(r.primaryValue),
    backupValue: Number(r.backupValue),
  }));
}
