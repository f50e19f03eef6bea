/**
 * The explain trace of one goal's figures: the formula, every input (the definition's numbers, the
 * measurements behind the value, the supporting goals' figures) and the result, as of a date.
 */
import { decodeFormulaTrace, type FormulaTrace } from "../../../domain/formula/trace.ts";
import { computeGoalProgress } from "../../../domain/progress.ts";
import type { Db } from "../../db/connection.ts";
import { notFound } from "../../errors.ts";
import { KNOWN_NOW, readGoals } from "./progress.compute.ts";
import {
  endOfDayInZone,
  formulaOf,
  type ProgressDto,
  toGoalInput,
  toProgressDto,
} from "./progress.inputs.ts";
import type { ProgressService } from "./progress.service.ts";
import { loadDerivedNotes, loadDirectChildren } from "./progress-readings.repo.ts";

export type ExplainTrace = {
  goalId: string;
  asOf: string;
  /** when the inputs were cut off: the end of `asOf` in the organisation's zone, or null for "now" */
  knownAt: string | null;
  version: number;
  formula: string;
  inputs: {
    kind: string;
    aggregation: string | null;
    baseline: number | null;
    target: number | null;
    threshold: number | null;
    stretch: number | null;
    rangeMin: number | null;
    rangeMax: number | null;
    value: number | null;
    milestoneDone: boolean | null;
    rubricLevel: number | null;
    measurements: {
      id: string;
      periodStart: string;
      periodEnd: string;
      value: number;
      recordedAt: string;
      /** for a value a formula derived: the formula and the inputs it read */
      derivedFrom?: FormulaTrace;
    }[];
    children: { goalId: string; weight: number; attainment: number | null; expected: number }[];
  };
  result: ProgressDto;
};

/** Computes one goal's trace as of `asOf` (today when absent). Throws not_found for an unknown goal. */
export async function explainGoal(
  db: Db,
  progress: Pick<ProgressService, "orgContext" | "getProgress">,
  orgId: string,
  goalId: string,
  asOf?: string,
): Promise<ExplainTrace> {
  const ctx = await progress.orgContext(orgId);
  const day = asOf ?? ctx.today;
  const historical = day < ctx.today;
  const knownAt = historical ? endOfDayInZone(day, ctx.timeZone) : KNOWN_NOW;
  const reading = (await readGoals(db, orgId, [goalId], day, knownAt, historical)).get(goalId);
  if (!reading) throw notFound("goal");
  const edges = (await loadDirectChildren(db, orgId, goalId, knownAt)).filter((e) => e.state !== "cancelled");
  const childFigures = await progress.getProgress(
    orgId,
    edges.map((e) => e.child),
    day,
  );
  const children = edges.flatMap((e) => {
    const p = childFigures.get(e.child);
    return p ? [{ goalId: e.child, weight: e.weight, attainment: p.attainment, expected: p.expected }] : [];
  });
  const input = toGoalInput(reading.facts, reading.readings);
  const result = computeGoalProgress(input, children, day, ctx.policy);
  const f = reading.facts;
  const derived = await loadDerivedNotes(
    db,
    orgId,
    reading.used.map((m) => m.id),
  );
  return {
    goalId,
    asOf: day,
    knownAt: historical ? knownAt : null,
    version: f.version,
    formula: formulaOf(input.measure, children.length, f.rollupMode),
    inputs: {
      kind: f.kind,
      aggregation: f.aggregation,
      baseline: f.baselineValue,
      target: f.targetValue,
      threshold: f.thresholdValue,
      stretch: f.stretchValue,
      rangeMin: f.rangeMin,
      rangeMax: f.rangeMax,
      value: reading.readings.value,
      milestoneDone: reading.readings.milestoneDone,
      rubricLevel: reading.readings.rubricLevel,
      measurements: reading.used.map((m) => {
        const trace = decodeFormulaTrace(derived.get(m.id) ?? "");
        return {
          id: m.id,
          periodStart: m.periodStart,
          periodEnd: m.periodEnd,
          value: m.value,
          recordedAt: m.recordedAt,
          ...(trace ? { derivedFrom: trace } : {}),
        };
      }),
      children,
    },
    result: toProgressDto(result),
  };
}
