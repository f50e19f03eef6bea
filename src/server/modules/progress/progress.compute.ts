/**
 * Computing a handful of goals from the database: their definitions (current, or the version in force
 * at a moment), the values they read (via src/domain's `selectEffective` and `aggregateForGoal`) and
 * their subtree's rollup (`computeAllProgress`). Used by the incremental recompute, as-of answers and
 * explain; the full recompute has its own set-based path in the service.
 */
import { z } from "zod";
import { aggregateForGoal, selectEffective } from "../../../domain/aggregate.ts";
import { computeAllProgress, type Progress, type ProgressPolicy } from "../../../domain/progress.ts";
import type { Db } from "../../db/connection.ts";
import { readTogether } from "../../db/together.ts";
import {
  asAggregation,
  type GoalFacts,
  type GoalReadings,
  readsMetric,
  toGoalInput,
} from "./progress.inputs.ts";
import { loadGoalFacts, type SeriesKey } from "./progress.repo.ts";
import {
  type FactsWithSnapshot,
  loadAggregations,
  loadGoalFactsWithSnapshots,
  loadLatestCheckIns,
  loadSeriesPoints,
  loadSubtree,
  type SeriesPoint,
} from "./progress-readings.repo.ts";

/** "Everything recorded so far": the cut-off for current (not historical) answers. */
export const KNOWN_NOW = "9999-12-31T23:59:59.999Z";

/** What a goal reads, with the measurements behind the value (for explain). */
export type GoalReading = { facts: GoalFacts; readings: GoalReadings; used: SeriesPoint[] };

/** The definition fields a version snapshot may override (camelCase, as the goals module writes them). */
const Snapshot = z
  .object({
    kind: z.string(),
    state: z.string(),
    metricId: z.uuid().nullable(),
    scopeType: z.string(),
    scopeId: z.uuid().nullable(),
    baselineValue: z.number().nullable(),
    targetValue: z.number().nullable(),
    stretchValue: z.number().nullable(),
    thresholdValue: z.number().nullable(),
    rangeMin: z.number().nullable(),
    rangeMax: z.number().nullable(),
    rubricLevels: z.number().int().nullable(),
    startDate: z.string(),
    dueDate: z.string(),
    checkpoints: z.array(z.object({ date: z.string(), expected: z.number() })),
    rollupMode: z.string(),
    version: z.number().int(),
  })
  .partial();

/** The definition in force: the snapshot's fields over the current row (older snapshots may lack some). */
function factsInForce(row: FactsWithSnapshot, orgId: string): GoalFacts {
  const { createdAt: _c, snapshot, snapshotVersion, ...current } = row;
  if (snapshot === null) return current;
  const parsed = Snapshot.safeParse(snapshot);
  if (!parsed.success) return current;
  const s = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined));
  const merged: GoalFacts = { ...current, ...s, version: snapshotVersion ?? current.version };
  if ("scopeId" in s) merged.scopeId = parsed.data.scopeId ?? orgId;
  return merged;
}

const seriesKeyOf = (k: SeriesKey) => `${k.metricId}|${k.scopeType}|${k.scopeId}`;

/**
 * What each goal reads as of `asOf`, knowing what was recorded by `knownAt`. `historical` uses the
 * goal version in force at `knownAt` instead of the current definition.
 */
export async function readGoals(
  db: Db,
  orgId: string,
  ids: string[],
  asOf: string,
  knownAt: string,
  historical: boolean,
): Promise<Map<string, GoalReading>> {
  let facts: GoalFacts[];
  if (historical) {
    const rows = await loadGoalFactsWithSnapshots(db, orgId, ids, knownAt);
    facts = rows.map((r) => factsInForce(r, orgId));
    // A snapshot may name another metric than today's row: look its aggregation up.
    const changed = rows.filter((r, i) => facts[i]?.metricId !== r.metricId);
    if (changed.length > 0) {
      const metricIds = [...new Set(facts.map((f) => f.metricId).filter((m): m is string => m !== null))];
      const aggregations = await loadAggregations(db, orgId, metricIds);
      for (const f of facts) f.aggregation = f.metricId ? (aggregations.get(f.metricId) ?? null) : null;
    }
  } else {
    facts = await loadGoalFacts(db, orgId, ids);
  }

  const series = new Map<string, SeriesKey>();
  for (const f of facts) {
    if (readsMetric(f) && f.metricId) {
      const key = { metricId: f.metricId, scopeType: f.scopeType, scopeId: f.scopeId };
      series.set(seriesKeyOf(key), key);
    }
  }
  const checkInGoals = facts.filter((f) => f.kind === "milestone" || f.kind === "rubric").map((f) => f.id);
  const [points, checkIns] = await readTogether(db, [
    () => loadSeriesPoints(db, orgId, [...series.values()], asOf, knownAt),
    () => loadLatestCheckIns(db, orgId, checkInGoals, asOf, knownAt),
  ]);
  const bySeries = new Map<string, SeriesPoint[]>();
  for (const p of points) {
    const key = seriesKeyOf(p);
    const list = bySeries.get(key);
    if (list) list.push(p);
    else bySeries.set(key, [p]);
  }
  const latest = new Map(checkIns.map((c) => [c.goalId, c]));

  const out = new Map<string, GoalReading>();
  for (const f of facts) {
    let value: number | null = null;
    let used: SeriesPoint[] = [];
    const aggregation = asAggregation(f.aggregation);
    if (readsMetric(f) && f.metricId && aggregation) {
      const own = bySeries.get(
        seriesKeyOf({ metricId: f.metricId, scopeType: f.scopeType, scopeId: f.scopeId }),
      );
      const effective = selectEffective(own ?? [], knownAt);
      const result = aggregateForGoal(effective, aggregation, f.startDate, asOf);
      value = result.value;
      const byId = new Map(effective.map((p) => [p.id, p]));
      used = result.used.map((id) => byId.get(id)).filter((p): p is SeriesPoint => p !== undefined);
    }
    const c = latest.get(f.id);
    out.set(f.id, {
      facts: f,
      readings: { value, milestoneDone: c?.milestoneDone ?? null, rubricLevel: c?.rubricLevel ?? null },
      used,
    });
  }
  return out;
}

/**
 * Progress of these goals as of `asOf`, rolled up over their whole subtree (alignments that existed
 * at `knownAt`; goals cancelled in the definition in force do not count).
 */
export async function computeSubtree(
  db: Db,
  orgId: string,
  rootIds: string[],
  asOf: string,
  knownAt: string,
  historical: boolean,
  policy: ProgressPolicy,
): Promise<Map<string, Progress>> {
  const { ids, edges } = await loadSubtree(db, orgId, rootIds, knownAt);
  const readings = await readGoals(db, orgId, ids, asOf, knownAt, historical);
  const inputs = [...readings.values()].map((r) => toGoalInput(r.facts, r.readings));
  const counted = edges.filter((e) => readings.get(e.child)?.facts.state !== "cancelled");
  return computeAllProgress(inputs, counted, asOf, policy);
}
