/**
 * Formula metrics' values follow their inputs: when a measurement of an input lands, the formula
 * metric's value for the same scope and period is computed from the current values of all its inputs
 * for that scope and period (once all are there) and recorded as a measurement with source `formula`
 * and the inputs used (measurement ids and values) in its note, for the explain trace. A value already
 * derived for that period is superseded, never overwritten; an unchanged one is left alone. A formula
 * over formula metrics is derived after them (src/domain/formula/graph.ts). Derived rows skip the
 * validation rules: their inputs passed them. Runs inside the write's transaction.
 */
import { uuidv7 } from "uuidv7";
import { evaluateFormula, parseFormula } from "../../../domain/formula/formula.ts";
import { derivationOrder } from "../../../domain/formula/graph.ts";
import {
  decodeFormulaTrace,
  encodeFormulaTrace,
  type FormulaInput,
  type FormulaTrace,
} from "../../../domain/formula/trace.ts";
import type { Db } from "../../db/connection.ts";
import type { measurements } from "../../db/schema.ts";
import { type AuditEventInput, appendAudit } from "../audit/audit.service.ts";
import { findMetricKeys, listFormulaMetrics } from "../metrics/metrics.formula.ts";
import { lockMetricsForWrite } from "../metrics/metrics.service.ts";
import type { SeriesKey } from "../progress/progress.service.ts";
import {
  findCurrentInPeriods,
  insertMeasurements,
  type MeasurementRecord,
  type PeriodKey,
} from "./measurements.repo.ts";

/** Who caused the derivation, and when (the write's actor and instant). */
export type DeriveContext = { actorId: string; now: Date };

type Period = { scopeType: string; scopeId: string; periodStart: string; periodEnd: string };
const periodId = (p: Period) => `${p.scopeType}|${p.scopeId}|${p.periodStart}|${p.periodEnd}`;

/** The value a period counts with: the newest current row that is not quarantined. */
export function currentValue(rows: MeasurementRecord[]): MeasurementRecord | undefined {
  return rows
    .filter((r) => r.validationState !== "quarantined")
    .sort((a, b) => a.recordedAt.localeCompare(b.recordedAt) || a.id.localeCompare(b.id))
    .at(-1);
}

/** Whether two traces used the same measurements with the same values, in the same order. */
/** The row a formula derives for one period: it supersedes the period's current value, if any. */
export function derivedRow(
  orgId: string,
  metricId: string,
  period: { scopeType: string; scopeId: string; periodStart: string; periodEnd: string },
  value: number,
  opts: { ctx: DeriveContext; previousId: string | null; provisional: boolean; trace: FormulaTrace },
) {
  return {
    orgId,
    id: uuidv7(),
    metricId,
    scopeType: period.scopeType,
    scopeId: period.scopeId,
    periodStart: period.periodStart,
    periodEnd: period.periodEnd,
    value,
    recordedAt: opts.ctx.now.toISOString(),
    recordedBy: opts.ctx.actorId,
    supersedesId: opts.previousId,
    source: "formula",
    batchId: null,
    provisional: opts.provisional,
    validationState: "accepted",
    note: encodeFormulaTrace(opts.trace),
  };
}

export const sameInputs = (a: FormulaInput[], b: FormulaInput[]) =>
  a.length === b.length &&
  a.every((x, i) => x.measurementId === b[i]?.measurementId && x.value === b[i]?.value);

/**
 * Derives the formula metrics that read the touched periods (metric, scope, period), inputs first,
 * and answers the formula series it wrote to (for the recompute). Audited per formula metric:
 * `measurement.derived` with the rows written, `measurement.not_derived` with the periods whose inputs
 * are all there but the formula has no value (division by zero, a result that is not finite).
 */
export async function deriveFormulaMeasurements(
  tx: Db,
  orgId: string,
  touched: readonly PeriodKey[],
  ctx: DeriveContext,
  attempt = 1,
): Promise<SeriesKey[]> {
  if (touched.length === 0) return [];
  const formulas = await listFormulaMetrics(tx, orgId);
  if (formulas.length === 0) return [];
  const parsed = new Map(
    formulas.flatMap((f) => parseFormula(f.formula).formula ?? []).map((p) => [p.text, p]),
  );
  const references = [...new Set([...parsed.values()].flatMap((p) => p.references))];
  const known = await findMetricKeys(tx, orgId, [...new Set(touched.map((k) => k.metricId))], references);
  const idOf = new Map(known.map((m) => [m.key, m.id]));
  const keyOf = new Map(known.map((m) => [m.id, m.key]));
  const pending = new Map<string, Map<string, Period>>();
  const addPending = (key: string, p: Period) => {
    const periods = pending.get(key) ?? new Map<string, Period>();
    const { scopeType, scopeId, periodStart, periodEnd } = p;
    periods.set(periodId(p), { scopeType, scopeId, periodStart, periodEnd });
    pending.set(key, periods);
  };
  for (const k of touched) {
    const key = keyOf.get(k.metricId);
    if (key !== undefined) addPending(key, k);
  }
  const order = derivationOrder(formulas, pending.keys());
  if (order.length === 0) return [];
  const byKey = new Map(formulas.map((f) => [f.key, f]));
  await lockMetricsForWrite(
    tx,
    orgId,
    order.flatMap((k) => byKey.get(k)?.id ?? []),
  );
  // A formula changed while this waited for the lock (the change held it, and re-derived the values
  // committed before this write): read the formulas again under the lock, or this would write values
  // of the formula that no longer holds. Bounded: the third round uses the formulas it read.
  if (attempt < 3) {
    const fresh = await listFormulaMetrics(tx, orgId);
    const text = (fs: { id: string; formula: string }[]) => fs.map((f) => `${f.id}:${f.formula}`).join("\n");
    if (text(fresh) !== text(formulas))
      return deriveFormulaMeasurements(tx, orgId, touched, ctx, attempt + 1);
  }

  const written = new Map<string, SeriesKey>();
  const audit: AuditEventInput[] = [];
  for (const key of order) {
    const metric = byKey.get(key);
    const formula = metric ? parsed.get(metric.formula) : undefined;
    if (!metric || !formula) continue;
    const periods = new Map<string, Period>();
    for (const r of formula.references) for (const [id, p] of pending.get(r) ?? []) periods.set(id, p);
    if (periods.size === 0) continue;
    const inputIds = formula.references.map((r) => idOf.get(r));
    if (inputIds.some((id) => id === undefined)) continue;
    const keys = [...periods.values()].flatMap((p) =>
      [...(inputIds as string[]), metric.id].map((metricId) => ({ ...p, metricId })),
    );
    const rows = await findCurrentInPeriods(tx, orgId, keys);
    const grouped = new Map<string, MeasurementRecord[]>();
    for (const r of rows) {
      const k = `${r.metricId}|${periodId(r)}`;
      grouped.set(k, [...(grouped.get(k) ?? []), r]);
    }
    const rowsOf = (metricId: string, p: Period) => grouped.get(`${metricId}|${periodId(p)}`) ?? [];
    const inserts: (typeof measurements.$inferInsert)[] = [];
    const derivedRows: Record<string, unknown>[] = [];
    const skipped: Record<string, unknown>[] = [];
    for (const p of periods.values()) {
      const inputs: (FormulaInput & { provisional: boolean })[] = [];
      for (const [i, metricKey] of formula.references.entries()) {
        const row = currentValue(rowsOf(inputIds[i] as string, p));
        if (row)
          inputs.push({ metricKey, measurementId: row.id, value: row.value, provisional: row.provisional });
      }
      if (inputs.length < formula.references.length) continue; // waiting for the other inputs
      const used = inputs.map(({ provisional: _p, ...i }) => i);
      const result = evaluateFormula(formula, new Map(used.map((i) => [i.metricKey, i.value])));
      const previous = currentValue(rowsOf(metric.id, p));
      if (result.value === null) {
        skipped.push({ ...p, inputs: used, reason: result.reason, stale: previous?.id ?? null });
        continue;
      }
      if (previous?.source === "formula" && previous.value === result.value) {
        const trace = decodeFormulaTrace(previous.note);
        if (trace && trace.formula === formula.text && sameInputs(trace.inputs, used)) continue;
      }
      const row = derivedRow(orgId, metric.id, p, result.value, {
        ctx,
        previousId: previous?.id ?? null,
        provisional: inputs.some((i) => i.provisional),
        trace: { formula: formula.text, inputs: used },
      });
      inserts.push(row);
      derivedRows.push({
        id: row.id,
        ...p,
        value: row.value,
        inputs: used,
        supersedes: previous?.id ?? null,
        from: previous?.value ?? null,
      });
      addPending(key, p);
      written.set(`${metric.id}|${p.scopeType}|${p.scopeId}`, {
        metricId: metric.id,
        scopeType: p.scopeType,
        scopeId: p.scopeId,
      });
    }
    await insertMeasurements(tx, inserts);
    // One event per formula metric and write, like the bulk write's one event per batch.
    const event = { entityType: "metric", entityId: metric.id };
    if (derivedRows.length > 0)
      audit.push({
        ...event,
        action: "measurement.derived",
        data: { formula: formula.text, rows: derivedRows },
      });
    if (skipped.length > 0)
      audit.push({
        ...event,
        action: "measurement.not_derived",
        data: { formula: formula.text, periods: skipped },
      });
  }
  if (audit.length > 0) await appendAudit(tx, { orgId, actorId: ctx.actorId, at: ctx.now }, audit);
  return [...written.values()];
}
