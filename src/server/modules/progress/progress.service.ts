/**
 * The progress engine: every goal's attainment, expected attainment, pace, status and score, kept in
 * `goal_progress` (full recompute, incremental recompute after a change) and computed on the fly for
 * past dates. All arithmetic is src/domain's; this file decides what to load and what to write.
 */
import type { SQL } from "drizzle-orm";
import { topologicalOrder } from "../../../domain/dag.ts";
import {
  computeAllProgress,
  computeGoalProgress,
  type Progress,
  type ProgressPolicy,
} from "../../../domain/progress.ts";
import type { RollupChild } from "../../../domain/rollup.ts";
import type { ProgressStatus } from "../../../domain/status.ts";
import { type Clock, dateInZone } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";
import { readTogether } from "../../db/together.ts";
import { notFound } from "../../errors.ts";
import { computeSubtree, KNOWN_NOW, readGoals } from "./progress.compute.ts";
import {
  endOfDayInZone,
  type ProgressDto,
  parsePolicy,
  toGoalInput,
  toProgressDto,
} from "./progress.inputs.ts";
import {
  findWithAncestors,
  loadAllEdges,
  loadAllGoalInputs,
  loadChildEdges,
  loadOrgSettings,
  loadProgressRows,
  type ProgressRow,
  type ProgressWrite,
  type SeriesKey,
  seedGoals,
  seedMetrics,
  seedSeries,
  upsertProgress,
} from "./progress.repo.ts";

export type { ProgressDto } from "./progress.inputs.ts";
export type { SeriesKey } from "./progress.repo.ts";

/**
 * The full recompute reads goals in this many parts at once: on a server each part runs on its own
 * pooled connection (and CPU); on PGlite they simply run one after another.
 */
const LOAD_PARTS = 2;

/** Rows per INSERT … ON CONFLICT statement of the full recompute. */
const WRITE_BATCH = 5000;

export type OrgContext = { today: string; timeZone: string; policy: ProgressPolicy };

const toWrite = (goalId: string, p: Progress): ProgressWrite => ({ goalId, ...toProgressDto(p) });

const rowToDto = (r: ProgressRow): ProgressDto => ({
  attainment: r.attainment,
  expected: r.expected,
  pace: r.pace,
  status: r.status,
  score: r.score,
  asOf: r.asOf,
});

/** The figures a parent rolls up from a child, whether freshly computed or stored. */
const asChild = (p: { attainment: number | null; expected: number }, weight: number): RollupChild => ({
  attainment: p.attainment,
  expected: p.expected,
  weight,
});

export function createProgressService(deps: { db: Db; clock: Clock }) {
  async function orgContext(db: Db, orgId: string): Promise<OrgContext> {
    const org = await loadOrgSettings(db, orgId);
    if (!org) throw notFound("organisation");
    return {
      today: dateInZone(deps.clock.now(), org.timeZone),
      timeZone: org.timeZone,
      policy: parsePolicy(org.policy),
    };
  }

  /** Every goal of the non-closed cycles computed for `day` from the data known now; nothing stored. */
  async function computeAllAt(orgId: string, day: string, policy: OrgContext["policy"]) {
    const [edges, ...parts] = await Promise.all([
      loadAllEdges(deps.db, orgId),
      ...Array.from({ length: LOAD_PARTS }, (_, index) =>
        loadAllGoalInputs(deps.db, orgId, day, { index, count: LOAD_PARTS }),
      ),
    ]);
    const inputs = parts.flat().map((g) => toGoalInput(g, g));
    return computeAllProgress(inputs, edges, day, policy);
  }

  /**
   * Recomputes the goals `seed` selects and all their ancestors, bottom-up, from the goals' own
   * readings and their other children's stored progress; writes and returns the new figures.
   */
  async function recomputeFrom(tx: Db, orgId: string, seed: SQL): Promise<Map<string, ProgressDto>> {
    const ids = await findWithAncestors(tx, orgId, seed);
    if (ids.length === 0) return new Map();
    const ctx = await orgContext(tx, orgId);
    const [readings, childEdges] = await readTogether(tx, [
      () => readGoals(tx, orgId, ids, ctx.today, KNOWN_NOW, false),
      () => loadChildEdges(tx, orgId, ids),
    ]);
    const inSet = new Set(ids);
    // Children outside the set whose stored figures are missing or from another day: compute them.
    const stale = [
      ...new Set(
        childEdges.filter((e) => !inSet.has(e.child) && e.row?.asOf !== ctx.today).map((e) => e.child),
      ),
    ];
    const outside =
      stale.length > 0
        ? await computeSubtree(tx, orgId, stale, ctx.today, KNOWN_NOW, false, ctx.policy)
        : new Map<string, Progress>();
    const computed = new Map<string, Progress>();
    const childrenOf = new Map<string, RollupChild[]>();
    const order = topologicalOrder(
      ids,
      childEdges.filter((e) => inSet.has(e.child)),
    );
    for (const id of order) {
      const reading = readings.get(id);
      if (!reading) continue;
      const children: RollupChild[] = [];
      for (const e of childEdges) {
        if (e.parent !== id) continue;
        const figures = computed.get(e.child) ?? outside.get(e.child) ?? e.row;
        if (figures) children.push(asChild(figures, e.weight));
      }
      childrenOf.set(id, children);
      const input = toGoalInput(reading.facts, reading.readings);
      computed.set(id, computeGoalProgress(input, children, ctx.today, ctx.policy));
    }
    const rows = [...computed].map(([id, p]) => toWrite(id, p));
    await upsertProgress(tx, orgId, rows, deps.clock.now().toISOString());
    return new Map(rows.map((r) => [r.goalId, rowToDto(r)]));
  }

  return {
    orgContext: (orgId: string) => orgContext(deps.db, orgId),

    /** Progress of these goals as of `asOf` (YYYY-MM-DD; today in the organisation's zone when absent). */
    async getProgress(orgId: string, goalIds: string[], asOf?: string): Promise<Map<string, ProgressDto>> {
      const ids = [...new Set(goalIds)];
      if (ids.length === 0) return new Map();
      const ctx = await orgContext(deps.db, orgId);
      const day = asOf ?? ctx.today;
      if (day === ctx.today) {
        const rows = await loadProgressRows(deps.db, orgId, ids);
        const out = new Map(rows.filter((r) => r.asOf === day).map((r) => [r.goalId, rowToDto(r)]));
        const missing = ids.filter((id) => !out.has(id));
        if (missing.length > 0) {
          const fresh = await computeSubtree(deps.db, orgId, missing, day, KNOWN_NOW, false, ctx.policy);
          for (const id of missing) {
            const p = fresh.get(id);
            if (p) out.set(id, toProgressDto(p));
          }
        }
        return out;
      }
      // A past date: only what was recorded by the end of that day, and the definitions then in force.
      const historical = day < ctx.today;
      const knownAt = historical ? endOfDayInZone(day, ctx.timeZone) : KNOWN_NOW;
      const all = await computeSubtree(deps.db, orgId, ids, day, knownAt, historical, ctx.policy);
      const out = new Map<string, ProgressDto>();
      for (const id of ids) {
        const p = all.get(id);
        if (p) out.set(id, toProgressDto(p));
      }
      return out;
    },

    /** Recomputes the goals that read these metrics, and all their ancestors. Pass the open transaction. */
    async recomputeForMetrics(tx: Db, orgId: string, metricIds: string[]): Promise<Map<string, ProgressDto>> {
      if (metricIds.length === 0) return new Map();
      return recomputeFrom(tx, orgId, seedMetrics(orgId, metricIds));
    },

    /**
     * Recomputes the goals that read these series (metric + scope: what one new measurement
     * touches), and all their ancestors. Narrower than `recomputeForMetrics`. Pass the open transaction.
     */
    async recomputeForSeries(tx: Db, orgId: string, series: SeriesKey[]): Promise<Map<string, ProgressDto>> {
      if (series.length === 0) return new Map();
      return recomputeFrom(tx, orgId, seedSeries(orgId, series));
    },

    /** Recomputes these goals and all their ancestors. Pass the open transaction. */
    async recomputeForGoals(tx: Db, orgId: string, goalIds: string[]): Promise<Map<string, ProgressDto>> {
      if (goalIds.length === 0) return new Map();
      return recomputeFrom(tx, orgId, seedGoals(orgId, goalIds));
    },

    /**
     * Each goal's status on `day`, computed set-based for the whole organisation from the data known
     * now (corrections included), not stored: the points of a trend. Past days only need no history.
     */
    async statusesOn(orgId: string, day: string): Promise<Map<string, ProgressStatus>> {
      const ctx = await orgContext(deps.db, orgId);
      const results = await computeAllAt(orgId, day, ctx.policy);
      return new Map([...results].map(([id, p]) => [id, p.status]));
    },

    /**
     * Every goal of the organisation's non-closed cycles as of `asOf` (today by default), set-based:
     * one query for the goals with the values they read (aggregated in SQL), one for the alignments,
     * one pass of `computeAllProgress`, then batched upserts. Answers how many goals it computed.
     */
    async recomputeAll(orgId: string, asOf?: string): Promise<{ goals: number; asOf: string }> {
      const ctx = await orgContext(deps.db, orgId);
      const day = asOf ?? ctx.today;
      const computedAt = deps.clock.now().toISOString();
      const results = await computeAllAt(orgId, day, ctx.policy);
      const rows: ProgressWrite[] = [];
      for (const [id, p] of results) rows.push(toWrite(id, p));
      // A few batches at a time: on a server they run on separate pooled connections.
      const batches: ProgressWrite[][] = [];
      for (let i = 0; i < rows.length; i += WRITE_BATCH) batches.push(rows.slice(i, i + WRITE_BATCH));
      for (let i = 0; i < batches.length; i += 4) {
        await Promise.all(batches.slice(i, i + 4).map((b) => upsertProgress(deps.db, orgId, b, computedAt)));
      }
      return { goals: rows.length, asOf: day };
    },
  };
}

export type ProgressService = ReturnType<typeof createProgressService>;
