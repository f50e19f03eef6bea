/**
 * SQL for the progress engine: the set-based loads of a full recompute, the ancestor walk of an
 * incremental one, and the multi-row upsert of `goal_progress`. Every function takes a db or a tx.
 */
import { type SQL, sql } from "drizzle-orm";
import type { ProgressStatus } from "../../../domain/status.ts";
import type { Db } from "../../db/connection.ts";
import type { GoalFacts, GoalReadings } from "./progress.inputs.ts";

/** Rows of a raw query, the same on node-postgres and PGlite. */
export async function selectRows<T>(db: Db, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

/** A uuid[] parameter (one parameter however many ids: drizzle would expand a JS array into a list). */
export const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(",")}}`}::uuid[]`;

/** The columns of GoalFacts, read from `goals g` left-joined to `metrics m`. */
export const goalFactsColumns = sql`
  g.id, g.kind, g.state, g.metric_id as "metricId", m.aggregation,
  g.scope_type as "scopeType", coalesce(g.scope_id, g.org_id) as "scopeId",
  g.baseline_value as "baselineValue", g.target_value as "targetValue",
  g.stretch_value as "stretchValue", g.threshold_value as "thresholdValue",
  g.range_min as "rangeMin", g.range_max as "rangeMax", g.rubric_levels as "rubricLevels",
  g.start_date::text as "startDate", g.due_date::text as "dueDate", g.checkpoints,
  g.rollup_mode as "rollupMode", g.version`;

export async function loadOrgSettings(db: Db, orgId: string) {
  const rows = await selectRows<{ timeZone: string; policy: unknown }>(
    db,
    sql`select time_zone as "timeZone", policy from organizations where id = ${orgId}`,
  );
  return rows[0];
}

/** Every organisation's id and time zone (for the daily recompute). */
export async function listOrganisations(db: Db) {
  return selectRows<{ id: string; timeZone: string }>(
    db,
    sql`select id, time_zone as "timeZone" from organizations order by id`,
  );
}

/** The latest day the organisation's stored figures were computed for; null before the first recompute. */
export async function latestProgressDay(db: Db, orgId: string): Promise<string | null> {
  const rows = await selectRows<{ day: string | null }>(
    db,
    sql`select max(as_of)::text as day from goal_progress where org_id = ${orgId}`,
  );
  return rows[0]?.day ?? null;
}

/**
 * Every goal of the organisation's non-closed cycles with the value it reads as of `asOf`, in one
 * query. The value is aggregated in SQL from the current measurements (not quarantined, not
 * superseded by a non-quarantined correction), exactly as `aggregateForGoal` does:
 * `last` = the most current point with period_end ≤ asOf; sum/average/min/max over the points with
 * start ≤ period_start and period_end ≤ asOf. Milestone and rubric goals read their latest check-in.
 */
export async function loadAllGoalInputs(
  db: Db,
  orgId: string,
  asOf: string,
  part: { index: number; count: number } = { index: 0, count: 1 },
) {
  // One part of the goals by a hash of their id: parts run side by side on pooled connections.
  const inPart =
    part.count > 1 ? sql`and mod(abs(hashtext(g.id::text)), ${part.count}) = ${part.index}` : sql``;
  const series = sql`x.org_id = g.org_id and x.metric_id = g.metric_id and x.scope_type = g.scope_type
    and x.scope_id = coalesce(g.scope_id, g.org_id) and x.period_end <= ${asOf}::date
    and x.validation_state <> 'quarantined' and x.id not in (select id from superseded)`;
  // The planner's cost for a million correlated sub-plans switches JIT on, which then spends more
  // time compiling than the query takes: off for this statement's transaction.
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return selectRows<GoalFacts & GoalReadings>(
      tx,
      sql`with superseded as materialized (
      select s.supersedes_id as id from measurements s
      where s.org_id = ${orgId} and s.supersedes_id is not null and s.validation_state <> 'quarantined'
    )
    select ${goalFactsColumns},
      case
        when g.metric_id is null or g.kind not in ('metric', 'range') then null
        when m.aggregation = 'last' then (
          select x.value from measurements x where ${series}
          order by x.period_end desc, x.period_start desc, x.recorded_at desc, x.id desc limit 1)
        else (
          select case m.aggregation when 'sum' then sum(x.value) when 'average' then avg(x.value)
            when 'min' then min(x.value) when 'max' then max(x.value) end
          from measurements x where ${series} and x.period_start >= g.start_date)
      end as value,
      case when g.kind = 'milestone' then (
        select c.milestone_done from check_ins c
        where c.org_id = g.org_id and c.goal_id = g.id and c.milestone_done is not null
          and c.check_in_date <= ${asOf}::date
        order by c.check_in_date desc, c.id desc limit 1) end as "milestoneDone",
      case when g.kind = 'rubric' then (
        select c.rubric_level from check_ins c
        where c.org_id = g.org_id and c.goal_id = g.id and c.rubric_level is not null
          and c.check_in_date <= ${asOf}::date
        order by c.check_in_date desc, c.id desc limit 1) end as "rubricLevel"
    from goals g
    join cycles cy on cy.org_id = g.org_id and cy.id = g.cycle_id and cy.phase <> 'closed'
    left join metrics m on m.org_id = g.org_id and m.id = g.metric_id
    where g.org_id = ${orgId} ${inPart}`,
    );
  });
}

export type WeightedEdge = { child: string; parent: string; weight: number };

/** Every alignment whose supporting goal still counts: a cancelled goal no longer rolls up. */
export async function loadAllEdges(db: Db, orgId: string) {
  return selectRows<WeightedEdge>(
    db,
    sql`select a.child_id as child, a.parent_id as parent, a.weight from alignments a
    join goals c on c.org_id = a.org_id and c.id = a.child_id
    where a.org_id = ${orgId} and c.state <> 'cancelled'`,
  );
}

/**
 * These goals and every goal above them (recursive walk up the alignments), limited to goals of
 * non-closed cycles. `seed` is a SQL query returning the starting goal ids as `id`.
 */
export async function findWithAncestors(db: Db, orgId: string, seed: SQL): Promise<string[]> {
  const rows = await selectRows<{ id: string }>(
    db,
    sql`with recursive up(id) as (
      ${seed}
      union
      select a.parent_id from alignments a join up on a.child_id = up.id where a.org_id = ${orgId}
    )
    select up.id from up
    join goals g on g.org_id = ${orgId} and g.id = up.id
    join cycles cy on cy.org_id = g.org_id and cy.id = g.cycle_id and cy.phase <> 'closed'`,
  );
  return rows.map((r) => r.id);
}

export const seedGoals = (orgId: string, goalIds: string[]) =>
  sql`select g.id from goals g where g.org_id = ${orgId} and g.id = any(${uuidArray(goalIds)})`;

export const seedMetrics = (orgId: string, metricIds: string[]) =>
  sql`select g.id from goals g where g.org_id = ${orgId} and g.metric_id = any(${uuidArray(metricIds)})`;

export type SeriesKey = { metricId: string; scopeType: string; scopeId: string };

/** Lateral, so each series is an index probe (the planner cannot size a json_to_recordset). */
export const seedSeries = (orgId: string, series: SeriesKey[]) =>
  sql`select g.id
    from json_to_recordset(${JSON.stringify(series)}::json) as s("metricId" uuid, "scopeType" text, "scopeId" uuid)
    cross join lateral (
      select g.id from goals g
      where g.org_id = ${orgId} and g.metric_id = s."metricId" and g.scope_type = s."scopeType"
        and coalesce(g.scope_id, g.org_id) = s."scopeId"
    ) g`;

/** The current definitions of these goals. */
export async function loadGoalFacts(db: Db, orgId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return selectRows<GoalFacts>(
    db,
    sql`select ${goalFactsColumns} from goals g
    left join metrics m on m.org_id = g.org_id and m.id = g.metric_id
    where g.org_id = ${orgId} and g.id = any(${uuidArray(ids)})`,
  );
}

export type ProgressRow = {
  goalId: string;
  asOf: string;
  attainment: number | null;
  expected: number;
  pace: number | null;
  /** as written by the engine: one of the domain's statuses */
  status: ProgressStatus;
  score: number | null;
};

const progressColumns = sql`p.goal_id as "goalId", p.as_of::text as "asOf", p.attainment, p.expected,
  p.pace, p.status, p.score`;

export async function loadProgressRows(db: Db, orgId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return selectRows<ProgressRow>(
    db,
    sql`select ${progressColumns} from goal_progress p
    where p.org_id = ${orgId} and p.goal_id = any(${uuidArray(ids)})`,
  );
}

/** The goals that support these parents (cancelled ones left out), with their stored progress. */
export async function loadChildEdges(db: Db, orgId: string, parentIds: string[]) {
  if (parentIds.length === 0) return [];
  return selectRows<WeightedEdge & { row: ProgressRow | null }>(
    db,
    sql`select a.child_id as child, a.parent_id as parent, a.weight,
      case when p.goal_id is null then null else json_build_object(
        'goalId', p.goal_id, 'asOf', p.as_of, 'attainment', p.attainment, 'expected', p.expected,
        'pace', p.pace, 'status', p.status, 'score', p.score) end as row
    from alignments a
    join goals c on c.org_id = a.org_id and c.id = a.child_id and c.state <> 'cancelled'
    left join goal_progress p on p.org_id = a.org_id and p.goal_id = a.child_id
    where a.org_id = ${orgId} and a.parent_id = any(${uuidArray(parentIds)})`,
  );
}

export type ProgressWrite = Omit<ProgressRow, "goalId"> & { goalId: string };

/**
 * Writes progress rows with one INSERT … ON CONFLICT DO UPDATE per batch (rows travel as one JSON
 * parameter). A row is rewritten only when a figure changed, and never over a row computed later
 * (a long full recompute does not undo a newer incremental one).
 */
export async function upsertProgress(db: Db, orgId: string, rows: ProgressWrite[], computedAt: string) {
  if (rows.length === 0) return;
  await db.execute(sql`insert into goal_progress
      (org_id, goal_id, as_of, attainment, expected, pace, status, score, computed_at)
    select ${orgId}::uuid, x."goalId", x."asOf", x.attainment, x.expected, x.pace, x.status, x.score,
      ${computedAt}::timestamptz
    from json_to_recordset(${JSON.stringify(rows)}::json) as x("goalId" uuid, "asOf" date,
      attainment float8, expected float8, pace float8, status text, score float8)
    on conflict (org_id, goal_id) do update set
      as_of = excluded.as_of, attainment = excluded.attainment, expected = excluded.expected,
      pace = excluded.pace, status = excluded.status, score = excluded.score,
      computed_at = excluded.computed_at
    where goal_progress.computed_at <= excluded.computed_at and (
      goal_progress.as_of, goal_progress.attainment, goal_progress.expected, goal_progress.pace,
      goal_progress.status, goal_progress.score)
      is distinct from (excluded.as_of, excluded.attainment, excluded.expected, excluded.pace,
      excluded.status, excluded.score)`);
}
