/**
 * Turns goal definitions into API goals: contributors, visible parents, the SMART check, progress and
 * the caller's abilities, loaded for a whole page at once (a fixed number of queries per page).
 */
import { checkSmart, type SmartCheck, type SmartGoalFacts } from "../../../domain/smart.ts";
import type { Actor } from "../../actor.ts";
import type { Clock } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";
import { readTogether } from "../../db/together.ts";
import type { createProgressService } from "../progress/progress.service.ts";
import { type ParentLink, parentLinksOf } from "./goals.alignments.repo.ts";
import { type CycleFacts, findCycles, findMetrics, type MetricFacts } from "./goals.lookup.repo.ts";
import { abilitiesFor } from "./goals.policy.ts";
import { type ContributorRow, contributorsOf, type GoalRow, ownersReportingTo } from "./goals.repo.ts";
import { type Goal, GoalAbilityFacts, GoalDefinition } from "./goals.schema.ts";

export type GoalDeps = { db: Db; clock: Clock; progress: ReturnType<typeof createProgressService> };

/** A definition with its timestamps: today's row, or a version in force on a past date. */
export type GoalView = GoalDefinition & { createdAt: string; updatedAt: string };

/** PostgreSQL's text timestamps ("2026-07-01 09:00:00+00") as ISO 8601. */
export function toIso(ts: string): string {
  const d = new Date(ts.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00"));
  return Number.isNaN(d.getTime()) ? ts : d.toISOString();
}

export function definitionOf(row: GoalRow, contributors: ContributorRow[]): GoalDefinition {
  const { orgId: _org, createdAt: _c, updatedAt: _u, ...fields } = row;
  return GoalDefinition.parse({ ...fields, contributors });
}

export async function viewsOf(db: Db, rows: GoalRow[]): Promise<GoalView[]> {
  const orgId = rows[0]?.orgId;
  if (orgId === undefined) return [];
  const contributors = await contributorsOf(
    db,
    orgId,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    ...definitionOf(r, contributors.get(r.id) ?? []),
    createdAt: toIso(r.createdAt),
    updatedAt: toIso(r.updatedAt),
  }));
}

const DIRECTIONS = ["increase", "decrease", "keep_within_range"] as const;
const directionOf = (m: MetricFacts | undefined): SmartGoalFacts["direction"] =>
  DIRECTIONS.find((d) => d === m?.direction) ?? null;

export function smartOf(
  g: GoalDefinition,
  cycle: CycleFacts | undefined,
  metric: MetricFacts | undefined,
  parentCount: number,
): SmartCheck {
  return checkSmart({
    title: g.title,
    specificOutcome: g.specificOutcome,
    ownerId: g.ownerId,
    level: g.level,
    kind: g.kind,
    metricId: g.metricId,
    baseline: g.baselineValue,
    target: g.targetValue,
    threshold: g.thresholdValue,
    stretch: g.stretchValue,
    rangeMin: g.rangeMin,
    rangeMax: g.rangeMax,
    rubricLevels: g.rubricLevels,
    direction: directionOf(metric),
    start: g.startDate,
    due: g.dueDate,
    cycleStart: cycle?.startDate ?? null,
    cycleEnd: cycle?.endDate ?? null,
    parentCount,
    checkpoints: g.checkpoints,
  });
}

/** The SMART check of one definition, loading what it needs (cycle, metric, parent count). */
export async function checkGoalSmart(db: Db, actor: Actor, g: GoalDefinition): Promise<SmartCheck> {
  const [cycles, metrics, links] = await readTogether(db, [
    () => findCycles(db, actor.orgId, [g.cycleId]),
    () => findMetrics(db, actor.orgId, g.metricId ? [g.metricId] : []),
    () => parentLinksOf(db, actor, [g.id]),
  ]);
  return smartOf(g, cycles.get(g.cycleId), g.metricId ? metrics.get(g.metricId) : undefined, links.length);
}

/**
 * The API goals for these views. `current` gives today's rows (abilities are about what the caller
 * may do now); `asOf` reads progress and parent links as of that day.
 */
export async function presentGoals(
  deps: GoalDeps,
  actor: Actor,
  views: GoalView[],
  current: Map<string, GoalRow>,
  asOf?: { day: string; cutoff: string },
): Promise<Goal[]> {
  if (views.length === 0) return [];
  const ids = views.map((v) => v.id);
  // Sequential on purpose: PGlite runs one query at a time, and a pg pool is shared by requests.
  const links = await parentLinksOf(deps.db, actor, ids, asOf?.cutoff);
  const cycles = await findCycles(
    deps.db,
    actor.orgId,
    views.map((v) => v.cycleId),
  );
  const metrics = await findMetrics(
    deps.db,
    actor.orgId,
    views.flatMap((v) => (v.metricId ? [v.metricId] : [])),
  );
  const reports = await ownersReportingTo(
    deps.db,
    actor,
    [...current.values()].map((r) => r.ownerId),
  );
  const progress = await deps.progress.getProgress(actor.orgId, ids, asOf?.day);
  const linksOf = new Map<string, ParentLink[]>();
  for (const l of links) linksOf.set(l.childId, [...(linksOf.get(l.childId) ?? []), l]);
  return views.map((v) => {
    const mine = linksOf.get(v.id) ?? [];
    const now = current.get(v.id);
    const facts = now ? GoalAbilityFacts.parse(now) : v;
    return {
      ...v,
      parents: mine.filter((l) => l.visible).map((l) => ({ goalId: l.parentId, weight: l.weight })),
      smart: smartOf(v, cycles.get(v.cycleId), v.metricId ? metrics.get(v.metricId) : undefined, mine.length),
      progress: progress.get(v.id) ?? null,
      abilities: abilitiesFor(actor, { ...facts, ownerReportsToActor: reports.has(facts.ownerId) }),
    };
  });
}
