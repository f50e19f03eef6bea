/** SQL for the quarantine review queue and its decisions. Every function takes a db or a transaction. */
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/connection.ts";
import { measurementReviews, measurements } from "../../db/schema.ts";

export type QueueRow = {
  id: string;
  metricId: string;
  metricKey: string;
  metricName: string;
  metricUnit: string;
  scopeType: string;
  scopeId: string;
  scopeName: string;
  periodStart: string;
  periodEnd: string;
  value: number;
  source: string;
  recordedAt: string;
  recordedBy: string | null;
  supersedesId: string | null;
  supersedesValue: number | null;
  note: string;
  findings: { rule: string; outcome: string; message: string }[];
};

/**
 * Quarantined measurements without a decision, oldest first (ids are time-ordered), with their
 * metric, scope name, findings and the value they would replace. `stewardId` limits the queue to the
 * metrics that person stewards.
 */
export async function listQuarantined(
  db: Db,
  orgId: string,
  q: { metricId?: string; stewardId?: string; afterId?: string; limit: number },
): Promise<QueueRow[]> {
  const res = (await db.execute(sql`
    select m.id, m.metric_id as "metricId", mt.key as "metricKey", mt.name as "metricName",
      mt.unit as "metricUnit", m.scope_type as "scopeType", m.scope_id as "scopeId",
      coalesce(case m.scope_type
        when 'org' then (select o.name from organizations o where o.id = m.org_id)
        when 'unit' then (select u.name from org_units u where u.org_id = m.org_id and u.id = m.scope_id)
        else (select p.name from people p where p.org_id = m.org_id and p.id = m.scope_id) end, '') as "scopeName",
      m.period_start::text as "periodStart", m.period_end::text as "periodEnd", m.value, m.source,
      to_json(m.recorded_at)#>>'{}' as "recordedAt", m.recorded_by as "recordedBy",
      m.supersedes_id as "supersedesId", t.value as "supersedesValue", m.note,
      coalesce((select json_agg(json_build_object('rule', f.rule, 'outcome', f.outcome, 'message', f.message)
          order by f.rule)
        from measurement_findings f where f.org_id = m.org_id and f.measurement_id = m.id), '[]'::json) as findings
    from measurements m
    join metrics mt on mt.org_id = m.org_id and mt.id = m.metric_id
    left join measurements t on t.org_id = m.org_id and t.id = m.supersedes_id
    where m.org_id = ${orgId} and m.validation_state = 'quarantined'
      and not exists (select 1 from measurement_reviews r where r.org_id = m.org_id and r.measurement_id = m.id)
      ${q.metricId !== undefined ? sql`and m.metric_id = ${q.metricId}` : sql``}
      ${q.stewardId !== undefined ? sql`and mt.steward_id = ${q.stewardId}` : sql``}
      ${q.afterId !== undefined ? sql`and m.id > ${q.afterId}::uuid` : sql``}
    order by m.id limit ${q.limit}`)) as unknown as { rows: QueueRow[] };
  return res.rows.map((r) => ({
    ...r,
    value: Number(r.value),
    supersedesValue: r.supersedesValue === null ? null : Number(r.supersedesValue),
    recordedAt: new Date(r.recordedAt).toISOString(),
  }));
}

export type ReviewRecord = typeof measurementReviews.$inferSelect;

export async function findReview(
  db: Db,
  orgId: string,
  measurementId: string,
): Promise<ReviewRecord | undefined> {
  const rows = await db
    .select()
    .from(measurementReviews)
    .where(and(eq(measurementReviews.orgId, orgId), eq(measurementReviews.measurementId, measurementId)));
  return rows[0];
}

export async function insertReview(tx: Db, row: typeof measurementReviews.$inferInsert): Promise<void> {
  await tx.insert(measurementReviews).values(row);
}

/** The one change a measurement row ever sees: quarantined → accepted, on a steward's decision. */
export async function markAccepted(tx: Db, orgId: string, id: string): Promise<void> {
  await tx
    .update(measurements)
    .set({ validationState: "accepted" })
    .where(
      and(
        eq(measurements.orgId, orgId),
        eq(measurements.id, id),
        eq(measurements.validationState, "quarantined"),
      ),
    );
}

export async function findFindings(db: Db, orgId: string, measurementId: string) {
  const res = (await db.execute(sql`
    select rule, outcome, message from measurement_findings
    where org_id = ${orgId} and measurement_id = ${measurementId} order by rule`)) as unknown as {
    rows: { rule: string; outcome: string; message: string }[];
  };
  return res.rows;
}
