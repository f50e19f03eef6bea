/**
 * A formula metric's values after its formula changed (or a plain metric became a formula metric):
 * every (scope, period) in which its inputs or the metric itself have a current value is derived
 * again with the new formula, the way measurements.derive.ts derives one period when an input
 * arrives. A new value supersedes the current one, never overwrites it, so what the old formula said
 * stays as history; the new row carries the new formula and the inputs it used for the explain trace.
 *
 * Three outcomes per period with a current value or a complete set of inputs:
 * - rederived: a new value, superseding the current one (derived or entered by hand) when there is one;
 * - unchanged: the current value is already a formula value with the same figure from the same
 *   input measurements, so it is left alone (its trace names the formula it was derived with);
 * - kept: the new formula gives no value there (an input has no value for the period, a division by
 *   zero, …), so the current value stays current until an input arrives or a steward corrects it.
 * Formula metrics that read this one follow through deriveFormulaMeasurements.
 *
 * When the formula is removed nothing is derived or deleted: the derived values stay current as
 * history, and later values are entered by hand or imported (a correction supersedes them).
 *
 * Bounded: periods are read in pages of `batchPeriods` (keyset paging), each page one statement to
 * list it, one to read its current values, one insert; all inside the caller's transaction.
 */
import { evaluateFormula, parseFormula } from "../../../domain/formula/formula.ts";
import { decodeFormulaTrace, type FormulaInput } from "../../../domain/formula/trace.ts";
import type { Db } from "../../db/connection.ts";
import type { measurements } from "../../db/schema.ts";
import { findMetricKeys } from "../metrics/metrics.formula.ts";
import type { SeriesKey } from "../progress/progress.service.ts";
import {
  currentValue,
  type DeriveContext,
  derivedRow,
  deriveFormulaMeasurements,
  sameInputs,
} from "./measurements.derive.ts";
import {
  countCurrentDerived,
  listPeriodsWithValues,
  type ScopePeriod,
} from "./measurements.rederive.repo.ts";
import { findCurrentInPeriods, insertMeasurements, type MeasurementRecord } from "./measurements.repo.ts";

/** Periods read, evaluated and written per round; YARDSTICK_REDERIVE_BATCH_PERIODS for tests. */
export const batchPeriods = (): number => {
  const v = Number(process.env.YARDSTICK_REDERIVE_BATCH_PERIODS);
  return Number.isInteger(v) && v > 0 ? v : 500;
};

/** At most this many kept periods are named in the answer and the audit event (the count is whole). */
export const KEPT_SAMPLE = 20;

export type KeptPeriod = ScopePeriod & { value: number; reason: string };

/** What a formula change did to the metric's values (the audit event and the API answer carry it). */
export type Rederivation = {
  rederived: number;
  unchanged: number;
  kept: number;
  /** the first kept periods, with the value that stays and why the new formula gave none */
  keptSample: KeptPeriod[];
};

const periodId = (p: ScopePeriod) => `${p.scopeType}|${p.scopeId}|${p.periodStart}|${p.periodEnd}`;
const seriesId = (s: SeriesKey) => `${s.metricId}|${s.scopeType}|${s.scopeId}`;

/**
 * Re-derives the metric's values with `formula` (already validated; null: the formula was removed).
 * Call inside the transaction that changed the metric, after the change is written, with the metric
 * locked. Answers the counts and the series whose values changed (for the goals' recompute).
 */
export async function rederiveFormulaMetric(
  tx: Db,
  orgId: string,
  metric: { id: string; formula: string | null },
  ctx: DeriveContext,
): Promise<{ rederivation: Rederivation; series: SeriesKey[] }> {
  const done: Rederivation = { rederived: 0, unchanged: 0, kept: 0, keptSample: [] };
  if (metric.formula === null) {
    done.kept = await countCurrentDerived(tx, orgId, metric.id);
    return { rederivation: done, series: [] };
  }
  const formula = parseFormula(metric.formula).formula;
  if (!formula) throw new Error(`re-derive: the stored formula of metric ${metric.id} does not parse`);
  const known = await findMetricKeys(tx, orgId, [], formula.references);
  const idOf = new Map(known.map((m) => [m.key, m.id]));
  const inputIds = formula.references.map((r) => {
    const id = idOf.get(r);
    if (id === undefined) throw new Error(`re-derive: the formula reads ${r}, which is not in the library`);
    return id;
  });
  const metricIds = [...new Set([...inputIds, metric.id])];
  const series = new Map<string, SeriesKey>();
  const limit = batchPeriods();

  for (let after: ScopePeriod | null = null; ; ) {
    const periods = await listPeriodsWithValues(tx, orgId, metricIds, after, limit);
    if (periods.length === 0) break;
    after = periods.at(-1) ?? null;
    const rows = await findCurrentInPeriods(
      tx,
      orgId,
      periods.flatMap((p) => metricIds.map((metricId) => ({ ...p, metricId }))),
    );
    const grouped = new Map<string, MeasurementRecord[]>();
    for (const r of rows) {
      const k = `${r.metricId}|${periodId(r)}`;
      grouped.set(k, [...(grouped.get(k) ?? []), r]);
    }
    const rowsOf = (metricId: string, p: ScopePeriod) => grouped.get(`${metricId}|${periodId(p)}`) ?? [];

    const inserts: (typeof measurements.$inferInsert)[] = [];
    for (const p of periods) {
      const inputs: (FormulaInput & { provisional: boolean })[] = [];
      for (const [i, metricKey] of formula.references.entries()) {
        const row = currentValue(rowsOf(inputIds[i] as string, p));
        if (row)
          inputs.push({ metricKey, measurementId: row.id, value: row.value, provisional: row.provisional });
      }
      const used = inputs.map(({ provisional: _p, ...i }) => i);
      const result = evaluateFormula(formula, new Map(used.map((i) => [i.metricKey, i.value])));
      const previous = currentValue(rowsOf(metric.id, p));
      if (result.value === null) {
        if (previous) {
          done.kept++;
          if (done.keptSample.length < KEPT_SAMPLE)
            done.keptSample.push({ ...p, value: previous.value, reason: result.reason });
        }
        continue;
      }
      if (previous?.source === "formula" && previous.value === result.value) {
        const trace = decodeFormulaTrace(previous.note);
        if (trace && sameInputs(trace.inputs, used)) {
          done.unchanged++;
          continue;
        }
      }
      inserts.push(
        derivedRow(orgId, metric.id, p, result.value, {
          ctx,
          previousId: previous?.id ?? null,
          provisional: inputs.some((i) => i.provisional),
          trace: { formula: formula.text, inputs: used },
        }),
      );
      const own = { metricId: metric.id, scopeType: p.scopeType, scopeId: p.scopeId };
      series.set(seriesId(own), own);
    }
    if (inserts.length > 0) {
      await insertMeasurements(tx, inserts);
      done.rederived += inserts.length;
      // Formula metrics that read this one derive from the new values (audited by the derivation).
      const touched = inserts.map((r) => ({
        metricId: metric.id,
        scopeType: r.scopeType,
        scopeId: r.scopeId,
        periodStart: r.periodStart,
        periodEnd: r.periodEnd,
      }));
      for (const s of await deriveFormulaMeasurements(tx, orgId, touched, ctx)) series.set(seriesId(s), s);
    }
    if (periods.length < limit) break;
  }
  return { rederivation: done, series: [...series.values()] };
}
