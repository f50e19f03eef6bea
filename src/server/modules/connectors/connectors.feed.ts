/**
 * What a pull read, stored and fed to its metrics: the values kept for the discrepancy report, and
 * (when the source feeds) the measurement rows written through `writeMeasurementRows`. Rows whose
 * value is already recorded are left alone (unchanged); a changed value supersedes the one recorded
 * by the same source (or, for a primary, by its backup), so a correction never overwrites.
 */
import type { Actor } from "../../actor.ts";
import type { Clock } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";
import { writeMeasurementRows } from "../measurements/measurements.bulk.ts";
import { findCurrentInPeriods } from "../measurements/measurements.repo.ts";
import type { BulkMeasurementRow } from "../measurements/measurements.schema.ts";
import { findMetricFactsByIdsOrKeys } from "../metrics/metrics.service.ts";
import type { ReadProblem, SourceRecord } from "./connectors.read.ts";
import * as repo from "./connectors.repo.ts";

/** Rows per call of the measurement write. */
const WRITE_CHUNK = 5000;

/** The `source` the measurements a connector writes carry. */
export const measurementSource = (sourceId: string) => `connector:${sourceId}`;

/**
 * Turns what a pull of `s` read into measurement rows and, when the source feeds its metrics, writes
 * them (inside `tx`, carrying the run's id as their batch); answers the counts and the problems.
 */
export async function feedRecords(
  tx: Db,
  clock: Clock,
  s: repo.SourceRow,
  actor: Actor,
  runId: string,
  records: SourceRecord[],
  fed: boolean,
) {
  const orgId = s.orgId;
  const targets = await findMetricFactsByIdsOrKeys(tx, orgId, s.metricIds, []);
  const byKey = new Map(targets.map((m) => [m.key, m]));
  const problems: ReadProblem[] = [];
  // the last item for a metric, scope and period wins
  const keyed = new Map<string, BulkMeasurementRow & { row: number; metricId: string; scopeId: string }>();
  for (const r of records) {
    const metric = byKey.get(r.metricKey ?? "");
    if (!metric) {
      problems.push({
        row: r.row,
        field: "metricKey",
        message: `metric "${r.metricKey}" is not one this source feeds (${targets.map((m) => m.key).join(", ")})`,
      });
      continue;
    }
    const scopeId = r.scopeType === "org" ? orgId : r.scopeId;
    if (!scopeId) {
      problems.push({
        row: r.row,
        field: "scopeId",
        message: `scope ${r.scopeType} needs the ${r.scopeType}'s id`,
      });
      continue;
    }
    const k = `${metric.id}|${r.scopeType}|${scopeId}|${r.periodStart}|${r.periodEnd}`;
    keyed.set(k, {
      row: r.row,
      metricId: metric.id,
      scopeType: r.scopeType,
      scopeId,
      periodStart: r.periodStart,
      periodEnd: r.periodEnd,
      value: r.value,
      note: "",
      source: measurementSource(s.id),
    });
  }
  const now = clock.now().toISOString();
  const items = [...keyed.values()];
  await repo.upsertReadings(
    tx,
    items.map((r) => ({
      orgId,
      sourceId: s.id,
      metricId: r.metricId,
      scopeType: r.scopeType,
      scopeId: r.scopeId,
      periodStart: r.periodStart,
      periodEnd: r.periodEnd ?? r.periodStart,
      value: r.value,
      runId,
      readAt: now,
    })),
  );
  const counts = { accepted: 0, flagged: 0, quarantined: 0, rejected: 0, unchanged: 0 };
  if (!fed) return { counts, problems };
  // A primary corrects what it or its backup recorded; a backup only what it recorded itself.
  const family = new Set([measurementSource(s.id)]);
  if (s.backupSourceId) family.add(measurementSource(s.backupSourceId));
  for (let i = 0; i < items.length; i += WRITE_CHUNK) {
    const chunk = items.slice(i, i + WRITE_CHUNK);
    const current = await findCurrentInPeriods(
      tx,
      orgId,
      chunk.map((r) => ({
        metricId: r.metricId,
        scopeType: r.scopeType,
        scopeId: r.scopeId,
        periodStart: r.periodStart,
        periodEnd: r.periodEnd ?? r.periodStart,
      })),
    );
    const byPeriod = new Map<string, (typeof current)[number][]>();
    for (const c of current) {
      const k = `${c.metricId}|${c.scopeType}|${c.scopeId}|${c.periodStart}|${c.periodEnd}`;
      byPeriod.set(k, [...(byPeriod.get(k) ?? []), c]);
    }
    const rows: BulkMeasurementRow[] = [];
    const rowOf: number[] = [];
    for (const r of chunk) {
      const here =
        byPeriod.get(`${r.metricId}|${r.scopeType}|${r.scopeId}|${r.periodStart}|${r.periodEnd}`) ?? [];
      if (here.some((c) => c.value === r.value && family.has(c.source))) {
        counts.unchanged += 1;
        continue;
      }
      const counted = here.find((c) => c.validationState !== "quarantined");
      const { row, metricId, scopeId, ...rest } = r;
      rows.push({
        ...rest,
        metricId,
        ...(r.scopeType === "org" ? {} : { scopeId }),
        ...(counted && family.has(counted.source) ? { supersedes: counted.id } : {}),
      });
      rowOf.push(row);
    }
    if (rows.length === 0) continue;
    const written = await writeMeasurementRows(tx, clock, actor, rows, { batchId: runId });
    for (const o of written.outcomes) {
      counts[o.status] += 1;
      if (o.status === "rejected")
        for (const e of o.errors)
          problems.push({ row: rowOf[o.index] ?? 0, field: e.field, message: e.message });
    }
  }
  return { counts, problems };
}
