/**
 * SQL for computing a few goals on the fly (incremental recompute, as-of answers, explain): the
 * subtree under some goals, their definitions as of a moment, their measurement series and their
 * latest check-ins. Bitemporal: `knownAt` cuts off what was recorded later.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../db/connection.ts";
import type { GoalFacts } from "./progress.inputs.ts";
import {
  goalFactsColumns,
  type SeriesKey,
  selectRows,
  uuidArray,
  type WeightedEdge,
} from "./progress.repo.ts";

/** These goals and every goal below them, following alignments that existed at `knownAt`. */
export async function loadSubtree(db: Db, orgId: string, rootIds: string[], knownAt: string) {
  if (rootIds.length === 0) return { ids: [], edges: [] };
  const ids = (
    await selectRows<{ id: string }>(
      db,
      sql`with recursive down(id) as (
        select g.id from goals g where g.org_id = ${orgId} and g.id = any(${uuidArray(rootIds)})
        union
        select a.child_id from alignments a join down on a.parent_id = down.id
        where a.org_id = ${orgId} and a.created_at <= ${knownAt}::timestamptz
      )
      select id from down`,
    )
  ).map((r) => r.id);
  const edges = await selectRows<WeightedEdge>(
    db,
    sql`select a.child_id as child, a.parent_id as parent, a.weight from alignments a
    where a.org_id = ${orgId} and a.parent_id = any(${uuidArray(ids)})
      and a.created_at <= ${knownAt}::timestamptz`,
  );
  return { ids, edges };
}

export type FactsWithSnapshot = GoalFacts & {
  createdAt: string;
  snapshot: Record<string, unknown> | null;
  snapshotVersion: number | null;
};

/** Current definitions with the version snapshot in force at `knownAt` (null when none was). */
export async function loadGoalFactsWithSnapshots(db: Db, orgId: string, ids: string[], knownAt: string) {
  if (ids.length === 0) return [];
  return selectRows<FactsWithSnapshot>(
    db,
    sql`select ${goalFactsColumns}, to_json(g.created_at)#>>'{}' as "createdAt",
      v.snapshot, v.version as "snapshotVersion"
    from goals g
    left join metrics m on m.org_id = g.org_id and m.id = g.metric_id
    left join lateral (
      select gv.snapshot, gv.version from goal_versions gv
      where gv.org_id = g.org_id and gv.goal_id = g.id and gv.effective_from <= ${knownAt}::timestamptz
      order by gv.version desc limit 1
    ) v on true
    where g.org_id = ${orgId} and g.id = any(${uuidArray(ids)})`,
  );
}

export async function loadAggregations(db: Db, orgId: string, metricIds: string[]) {
  if (metricIds.length === 0) return new Map<string, string>();
  const rows = await selectRows<{ id: string; aggregation: string }>(
    db,
    sql`select id, aggregation from metrics where org_id = ${orgId} and id = any(${uuidArray(metricIds)})`,
  );
  return new Map(rows.map((r) => [r.id, r.aggregation]));
}

export type SeriesPoint = SeriesKey & {
  id: string;
  periodStart: string;
  periodEnd: string;
  value: number;
  recordedAt: string;
  supersedesId: string | null;
};

/**
 * The measurements of these series describing days up to `asOf` and recorded by `knownAt`,
 * quarantined ones left out (a quarantined correction does not replace the value it corrects).
 */
export async function loadSeriesPoints(
  db: Db,
  orgId: string,
  series: SeriesKey[],
  asOf: string,
  knownAt: string,
): Promise<SeriesPoint[]> {
  if (series.length === 0) return [];
  return selectRows<SeriesPoint>(
    db,
    sql`select x.metric_id as "metricId", x.scope_type as "scopeType", x.scope_id as "scopeId", x.id,
      x.period_start::text as "periodStart", x.period_end::text as "periodEnd", x.value,
      to_json(x.recorded_at)#>>'{}' as "recordedAt", x.supersedes_id as "supersedesId"
    from json_to_recordset(${JSON.stringify(series)}::json) as s("metricId" uuid, "scopeType" text, "scopeId" uuid)
    cross join lateral (
      select * from measurements x
      where x.org_id = ${orgId} and x.metric_id = s."metricId" and x.scope_type = s."scopeType"
        and x.scope_id = s."scopeId" and x.period_end <= ${asOf}::date
        and x.recorded_at <= ${knownAt}::timestamptz and x.validation_state <> 'quarantined'
    ) x`,
  );
}

export type LatestCheckIn = { goalId: string; milestoneDone: boolean | null; rubricLevel: number | null };

/** Each goal's latest answers (milestone done, rubric level) dated by `asOf` and recorded by `knownAt`. */
export async function loadLatestCheckIns(
  db: Db,
  orgId: string,
  goalIds: string[],
  asOf: string,
  knownAt: string,
): Promise<LatestCheckIn[]> {
  if (goalIds.length === 0) return [];
  const latest = (column: "milestone_done" | "rubric_level") => sql`(
    select c.${sql.raw(column)} from check_ins c
    where c.org_id = ${orgId} and c.goal_id = g.id and c.${sql.raw(column)} is not null
      and c.check_in_date <= ${asOf}::date and c.created_at <= ${knownAt}::timestamptz
    order by c.check_in_date desc, c.id desc limit 1)`;
  return selectRows<LatestCheckIn>(
    db,
    sql`select g.id as "goalId", ${latest("milestone_done")} as "milestoneDone",
      ${latest("rubric_level")} as "rubricLevel"
    from unnest(${uuidArray(goalIds)}) as g(id)`,
  );
}

/** The goals that supported `parentId` at `knownAt`, with their weights and current state. */
export async function loadDirectChildren(db: Db, orgId: string, parentId: string, knownAt: string) {
  return selectRows<WeightedEdge & { state: string }>(
    db,
    sql`select a.child_id as child, a.parent_id as parent, a.weight, c.state from alignments a
    join goals c on c.org_id = a.org_id and c.id = a.child_id
    where a.org_id = ${orgId} and a.parent_id = ${parentId} and a.created_at <= ${knownAt}::timestamptz
    order by a.child_id`,
  );
}

/** The notes of these measurements that a formula derived (they hold the inputs used), by id. */
export async function loadDerivedNotes(db: Db, orgId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await selectRows<{ id: string; note: string }>(
    db,
    sql`select id, note from measurements
    where org_id = ${orgId} and id = any(${uuidArray(ids)}) and source = 'formula'`,
  );
  return new Map(rows.map((r) => [r.id, r.note]));
}
