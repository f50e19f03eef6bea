/**
 * The bulk write with partial acceptance: up to 5,000 measurements (values and corrections) of any
 * metrics in one request. Each row is rejected (malformed, or it does not fit what is recorded: not
 * written) or written in the state the metric's validation rules give it: accepted, flagged (counts,
 * with a warning) or quarantined (kept, not counted until a steward accepts it). The written rows go
 * in one transaction with one audit event, and the series they change are recomputed in it.
 *
 * `writeMeasurementRows` is the one entry point for other ways in (connectors, the HTTP use case in
 * measurements.bulk-http.ts): it takes rows already parsed (`BulkMeasurementRow`, or with `at` in
 * place of a period) and answers each row's outcome. Keep its signature. The file import calls its
 * two halves, `prepareWrite` and `writePrepared`, to judge a chunk ahead (ADR 007).
 */
import type { Finding } from "../../../domain/validation/rules.ts";
import type { Actor } from "../../actor.ts";
import type { Clock } from "../../clock.ts";
import { insertReady } from "../../db/batch.ts";
import type { Db } from "../../db/connection.ts";
import { readTogether } from "../../db/together.ts";
import { AppError, type FieldError } from "../../errors.ts";
import { newRowId } from "../../ids.ts";
import { appendAudit } from "../audit/audit.service.ts";
import {
  findMetricFactsByIdsOrKeys,
  lockMetricsForWrite,
  type MetricFacts,
} from "../metrics/metrics.service.ts";
import { createProgressService, type SeriesKey } from "../progress/progress.service.ts";
import { aheadHolds, carriedHolds, type JudgedAhead, type WrittenAhead } from "./measurements.bulk-ahead.ts";
import { renderWrite } from "./measurements.bulk-render.ts";
import { deriveFormulaMeasurements } from "./measurements.derive.ts";
import { judgeAgainst, loadJudgeState, seriesKeyOf } from "./measurements.judge.ts";
import {
  loadPlanContext,
  type PlannedRow,
  planRow,
  planRowKnowingScope,
  type RowFault,
} from "./measurements.plan.ts";
import { canWriteMeasurements } from "./measurements.policy.ts";
import type { BulkMeasurementRowInput } from "./measurements.schema.ts";

/** What happened to one row of a write, by its index in the rows given. */
export type RowOutcome =
  | {
      index: number;
      status: "accepted" | "flagged" | "quarantined";
      /** the new measurement's id */
      id: string;
      /** the rules that flagged or quarantined it (empty when accepted) */
      findings: Finding[];
    }
  | {
      index: number;
      status: "rejected";
      /** `field` names the row's field (`value`, `periodStart`, `metricKey`, …), without the `rows[i].` prefix */
      errors: FieldError[];
    };

export type WriteRowsResult = {
  /** carried by every row written; null when none was */
  batchId: string | null;
  counts: { accepted: number; flagged: number; quarantined: number; rejected: number };
  /** one per row given, in the same order */
  outcomes: RowOutcome[];
  /** the series (metric + scope) whose counted values changed */
  series: SeriesKey[];
};

export type WriteRowsOptions = {
  /** the batch id the written rows carry (an import's id, say); a new one by default */
  batchId?: string;
  /** recompute the goals reading the changed series in this transaction (default true) */
  recompute?: boolean;
  /**
   * An earlier write of this process, committed: its rows are judged on from the state it was judged
   * in when nothing else wrote to its metrics since (measurements.bulk-ahead.ts, `carriedHolds`)
   */
  carried?: WrittenAhead | null;
  /** hears the rows judged, the metrics' write sequences and the state judged in, once locked */
  onJudged?: (written: WrittenAhead) => void;
  /**
   * The caller's own statements in the write's transaction (an import's progress), run once the rows
   * are judged and audited and before they are sent: it hears each row's outcome and the counts.
   */
  beforeInsert?: (decided: Omit<WriteRowsResult, "series">) => Promise<void>;
  /**
   * Hears that the rows were handed to the database, which inserts them in the write's last long
   * statement: a caller working ahead (an import judging its next chunk) goes on from here.
   */
  onRowsSent?: () => void;
};

/** Each row's metric, by id or key; faults for rows naming none, an unknown one, or two different ones. */
async function resolveMetrics(db: Db, orgId: string, rows: readonly BulkMeasurementRowInput[]) {
  const ids = rows.flatMap((r) => (r.metricId ? [r.metricId] : []));
  const keys = rows.flatMap((r) => (r.metricKey ? [r.metricKey] : []));
  const found = await findMetricFactsByIdsOrKeys(db, orgId, ids, keys);
  const byId = new Map(found.map((m) => [m.id, m]));
  const byKey = new Map(found.map((m) => [m.key, m]));
  const faults: RowFault[] = [];
  const metrics = rows.map((r, index): MetricFacts | undefined => {
    const fault = (field: string, message: string) => faults.push({ index, field, message, code: "invalid" });
    if (r.metricId === undefined && r.metricKey === undefined) {
      fault("metricId", "name the metric: give metricId or metricKey");
      return undefined;
    }
    const metric = r.metricId !== undefined ? byId.get(r.metricId) : byKey.get(r.metricKey ?? "");
    if (!metric) {
      fault(
        r.metricId !== undefined ? "metricId" : "metricKey",
        "no metric with this id or key in the KPI library",
      );
      return undefined;
    }
    if (r.metricKey !== undefined && r.metricKey !== metric.key) {
      fault(
        "metricKey",
        `metricId names metric ${metric.key}; give one of them, or both for the same metric`,
      );
      return undefined;
    }
    return metric;
  });
  return { metrics, faults };
}

/**
 * Writes the rows that can be written, inside the caller's transaction `tx`: checks each row (metric,
 * scope, dates, one counted value per period, corrections), judges the rest by its metric's
 * validation rules, audits the batch (`measurement.bulk_recorded`), inserts them with their findings
 * and recomputes the goals reading the changed series. Throws AppError `forbidden` (nothing written)
 * when a row names a metric the caller may not record. Rows are judged in order, so a later row of
 * the same series sees the earlier ones.
 */
export async function writeMeasurementRows(
  tx: Db,
  clock: Clock,
  actor: Actor,
  rows: readonly BulkMeasurementRowInput[],
  options: WriteRowsOptions = {},
): Promise<WriteRowsResult> {
  return writePrepared(tx, clock, actor, await prepareWrite(tx, clock, actor, rows), options);
}

/** A write's rows read and planned: each one's metric and period, or its faults. */
export type PreparedWrite = {
  rows: readonly BulkMeasurementRowInput[];
  /** faults of rows that cannot be planned (unknown metric, scope, bad dates…) */
  faults: RowFault[];
  /** the rows to judge, in index order */
  planned: PlannedRow[];
};

/**
 * The first half of `writeMeasurementRows`, which only reads (metrics, scopes, the organisation's
 * calendar): it may run outside the write's transaction, ahead of it. Throws AppError `forbidden`
 * when a row names a metric the caller may not record.
 */
export async function prepareWrite(
  db: Db,
  clock: Clock,
  actor: Actor,
  rows: readonly BulkMeasurementRowInput[],
): Promise<PreparedWrite> {
  const orgId = actor.orgId;
  // three independent reads side by side: one wait, not three, while the database is busy writing
  // the write before this one (an import's chunk, a bulk request in flight)
  const [{ metrics, faults }, ctx] = await readTogether(db, [
    () => resolveMetrics(db, orgId, rows),
    async () => {
      const c = await loadPlanContext(db, orgId, clock);
      await c.scopeExists.preload(rows);
      return c;
    },
  ]);
  const denied = [...new Set(metrics.filter((m) => m && !canWriteMeasurements(actor, m)).map((m) => m?.key))];
  if (denied.length > 0)
    throw new AppError(
      "forbidden",
      `only administrators, the performance office and a metric's steward record its measurements; you may not record ${denied.join(", ")}`,
    );
  const planned: PlannedRow[] = [];
  for (const [index, input] of rows.entries()) {
    const metric = metrics[index];
    if (!metric) continue;
    const found = input.scopeId !== undefined ? ctx.scopeExists.known(input.scopeType, input.scopeId) : true;
    const result =
      found !== undefined
        ? planRowKnowingScope(index, metric, input, ctx, found)
        : await planRow(index, metric, input, ctx);
    if (result.row) planned.push(result.row);
    else faults.push(...result.faults);
  }
  const rejectedIndexes = new Set(faults.map((f) => f.index));
  return { rows, faults, planned: planned.filter((r) => !rejectedIndexes.has(r.index)) };
}

/**
 * Whether the metric facts `prepared` was planned with are current: each metric's write sequence,
 * just locked, is one more (the lock's own bump) than the one read with its facts. A rules change
 * made between the read and the lock (or a prepare made outside the transaction, ahead) shows here.
 */
const factsHold = (prepared: PreparedWrite, locked: Map<string, number>): boolean =>
  prepared.planned.every((r) => locked.get(r.metricId) === r.metric.writeSeq + 1);

/**
 * The second half of `writeMeasurementRows`, in the write's transaction: locks the metrics, judges
 * the rows (or takes the judgement made ahead, when nothing was written or changed since: see
 * measurements.bulk-ahead.ts), audits, writes, derives and recomputes.
 */
export async function writePrepared(
  tx: Db,
  clock: Clock,
  actor: Actor,
  prepared: PreparedWrite,
  options: WriteRowsOptions & { ahead?: JudgedAhead | null } = {},
): Promise<WriteRowsResult> {
  const orgId = actor.orgId;
  const { rows } = prepared;
  const progress = createProgressService({ db: tx, clock });
  const lockAll = (p: PreparedWrite) =>
    lockMetricsForWrite(
      tx,
      orgId,
      p.planned.map((r) => r.metricId),
    );
  let locked = await lockAll(prepared);
  const tookAhead = options.ahead && aheadHolds(options.ahead, locked) ? options.ahead : null;
  let judgement = tookAhead?.judgement ?? null;
  let state = tookAhead?.state ?? null;
  if (!judgement || !state) {
    if (options.ahead || !factsHold(prepared, locked)) {
      // Something was written or changed since: read and plan again under the lock, then judge here.
      prepared = await prepareWrite(tx, clock, actor, rows);
      locked = await lockAll(prepared);
    }
    const carried = options.carried && carriedHolds(options.carried, locked) ? options.carried.state : null;
    state = await loadJudgeState(tx, orgId, prepared.planned, carried);
    judgement = judgeAgainst(state, prepared.planned, newRowId);
  }
  options.onJudged?.({ judged: judgement.judged, locked, state });
  const faults = [...prepared.faults, ...judgement.faults];
  const { judged } = judgement;
  const rendered =
    tookAhead?.rendered ??
    renderWrite(tx, actor, judgement, rows.length, { now: clock.now(), batchId: options.batchId });
  const { batchId, now } = rendered;
  const outcomes: RowOutcome[] = rows.map((_r, index) => ({ index, status: "rejected", errors: [] }));
  for (const f of faults) {
    const o = outcomes[f.index];
    if (o?.status === "rejected") o.errors.push({ field: f.field, message: f.message });
  }
  for (const j of judged)
    outcomes[j.row.index] = { index: j.row.index, status: j.state, id: j.id, findings: j.findings };
  const counts = { accepted: 0, flagged: 0, quarantined: 0, rejected: 0 };
  for (const o of outcomes) counts[o.status] += 1;
  // The short statements go before the rows' COPY. After it come only the findings, the formula
  // derivation, the recompute and the commit: a caller judging its next write ahead keeps the event
  // loop busy, and each statement sent after the COPY waits for it (ADR 007, third addendum).
  if (rendered.audit) await appendAudit(tx, { orgId, actorId: actor.personId, at: now }, [rendered.audit]);
  await options.beforeInsert?.({ batchId, counts, outcomes });
  await insertReady(tx, rendered.measurements, options.onRowsSent);
  await insertReady(tx, rendered.findings);
  // Quarantined rows change no figure: only the series with a counted new value are recomputed.
  const series = new Map<string, SeriesKey>();
  for (const j of judged) {
    if (j.state === "quarantined") continue;
    const r = j.row;
    if (!series.has(j.seriesKey))
      series.set(j.seriesKey, { metricId: r.metricId, scopeType: r.scopeType, scopeId: r.scopeId });
  }
  const derived = await deriveFormulaMeasurements(
    tx,
    orgId,
    judged.map((j) => j.row),
    { actorId: actor.personId, now },
  );
  for (const d of derived) series.set(seriesKeyOf(d), d);
  if (options.recompute ?? true) await progress.recomputeForSeries(tx, orgId, [...series.values()]);

  return { batchId, counts, outcomes, series: [...series.values()] };
}
