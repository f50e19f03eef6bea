/**
 * Judging planned rows against what is recorded, inside the write's transaction (metrics locked):
 * which rows cannot be written at all (a second value for a period without `supersedes`, a bad
 * correction target: rejected), and for the rest the validation rules' findings and state
 * (src/domain/validation). Rows are judged in request order, each against the stored values and the
 * earlier counted rows of the same request, so a request reads as the same rows sent one by one.
 */
import { addDays } from "../../../domain/dates.ts";
import { type PriorValue, validateRow } from "../../../domain/validation/checks.ts";
import { type Finding, OUTLIER_DEFAULTS, type ValidationState } from "../../../domain/validation/rules.ts";
import { createSeriesHistory, type SeriesHistory } from "../../../domain/validation/series-history.ts";
import type { Db } from "../../db/connection.ts";
import type { MetricFacts } from "../metrics/metrics.service.ts";
import { type PlannedRow, periodKeyOf, type RowFault } from "./measurements.plan.ts";
import { findCountedAround, findMeasurements, type MeasurementRecord } from "./measurements.repo.ts";

/** A row that will be written: its id, what it corrects, its validation state and findings. */
export type JudgedRow = {
  row: PlannedRow;
  id: string;
  supersedesId: string | null;
  state: ValidationState;
  findings: Finding[];
  /** the row's period and series as map keys (see periodKeyOf, seriesKeyOf) */
  periodKey: string;
  seriesKey: string;
};

/** The counted value a period has while judging: stored (no index) or an earlier row of the request. */
type Holder = { id: string; source: string; index?: number };

export const seriesKeyOf = (r: { metricId: string; scopeType: string; scopeId: string }) =>
  `${r.metricId}|${r.scopeType}|${r.scopeId}`;

/** How many earlier values a metric's rules look at: the outlier window, 1 for step change or frequency. */
function historyNeeded(metric: MetricFacts): number {
  const r = metric.rules;
  const on = (a: string | undefined) => a !== undefined && a !== "off";
  if (on(r.outlier?.action)) return r.outlier?.window ?? OUTLIER_DEFAULTS.window;
  return on(r.stepChange?.action) || on(r.frequency?.action) ? 1 : 0;
}

/**
 * The counted values around the request's periods, in one statement: each period's current value
 * (a second one for it is refused or judged a duplicate) and, for series whose rules look back,
 * the history the rows are judged in.
 *
 * `carried` is the state an earlier write of the same writer was judged in, with that write's rows
 * (measurements.bulk-ahead.ts): a series it knows up to a day before this request's first period
 * keeps its history, and only the values stored after that day are read. A file imported oldest
 * first reads no history back after its first chunk (1,000 series: 24,000 values a chunk before).
 */
type SeriesAsk = Parameters<typeof findCountedAround>[2][number];

async function loadSeries(tx: Db, orgId: string, rows: PlannedRow[], carried: JudgeState | null) {
  const asks = new Map<string, SeriesAsk>();
  for (const r of rows) {
    const k = seriesKeyOf(r);
    const ask = asks.get(k);
    if (!ask) {
      asks.set(k, {
        metricId: r.metricId,
        scopeType: r.scopeType,
        scopeId: r.scopeId,
        from: r.periodStart,
        to: r.periodEnd,
        limit: historyNeeded(r.metric),
      });
    } else {
      if (r.periodStart < ask.from) ask.from = r.periodStart;
      if (r.periodEnd > ask.to) ask.to = r.periodEnd;
    }
  }
  const histories = new Map<string, SeriesHistory>();
  const covered = new Map<string, string>();
  const reads: SeriesAsk[] = [];
  const loaded = new Map<string, PriorValue[]>();
  for (const [k, a] of asks) {
    const known = carried?.histories.get(k);
    const knownTo = carried?.covered.get(k);
    if (a.limit > 0 && known && knownTo !== undefined && knownTo < a.from) {
      // every counted value ending on or before knownTo is known: read only the later ones
      known.trim(a.limit);
      histories.set(k, known);
      reads.push({ ...a, from: addDays(knownTo, 1), limit: 0 });
    } else {
      reads.push(a);
      if (a.limit > 0) loaded.set(k, []);
    }
    if (a.limit > 0) covered.set(k, a.to);
  }
  const found = await findCountedAround(tx, orgId, reads);
  const live = new Map<string, Holder>();
  for (const v of found) {
    const k = seriesKeyOf(v);
    // a value ending before the request's first period of its series holds no period it writes
    if (v.periodEnd >= (asks.get(k)?.from ?? "")) live.set(periodKeyOf(v), { id: v.id, source: v.source });
    const fresh = loaded.get(k);
    if (fresh) fresh.push(v);
    else histories.get(k)?.put(v);
  }
  for (const [k, values] of loaded) histories.set(k, createSeriesHistory(values));
  return { live, histories, covered };
}

/**
 * What `rows` are judged against: the stored counted values around them and the correction targets.
 * `covered` says, per series with a history, the last period end up to which every counted value is
 * known (in `histories` or, within the request's periods, in `live`).
 */
export type JudgeState = {
  live: Map<string, Holder>;
  histories: Map<string, SeriesHistory>;
  covered: Map<string, string>;
  targets: Map<string, MeasurementRecord>;
};

export type Judgement = { judged: JudgedRow[]; faults: RowFault[]; targets: Map<string, MeasurementRecord> };

/**
 * Reads what `rows` are judged against (in the write's transaction, or ahead of it: bulk-ahead),
 * going on from `carried` where it can (see loadSeries).
 */
export async function loadJudgeState(
  db: Db,
  orgId: string,
  rows: PlannedRow[],
  carried: JudgeState | null = null,
): Promise<JudgeState> {
  const { live, histories, covered } = await loadSeries(db, orgId, rows, carried);
  const targetIds = [...new Set(rows.flatMap((r) => (r.supersedes ? [r.supersedes] : [])))];
  const targets = new Map((await findMeasurements(db, orgId, targetIds)).map((m) => [m.id, m] as const));
  return { live, histories, covered, targets };
}

/**
 * Adds to `state` the rows an earlier write judged, for a state read while that write was not yet
 * committed. Adding rows the state already holds changes nothing (same period, same id).
 */
export function addJudged(state: JudgeState, judged: readonly JudgedRow[]): void {
  for (const j of judged) {
    if (j.state === "quarantined") continue;
    const r = j.row;
    state.live.set(j.periodKey, { id: j.id, source: r.source });
    state.histories
      .get(j.seriesKey)
      ?.put({ periodStart: r.periodStart, periodEnd: r.periodEnd, value: r.value });
  }
}

/**
 * Judges `rows` (in index order). Answers the rows to write, the faults of the rows that cannot be
 * written, and the correction targets by id (for the audit's old values).
 */
export async function judgeRows(
  tx: Db,
  orgId: string,
  rows: PlannedRow[],
  newId: () => string,
): Promise<Judgement> {
  return judgeAgainst(await loadJudgeState(tx, orgId, rows), rows, newId);
}

/** Judges `rows` against `state` (which it updates as rows are judged): pure, no I/O. */
export function judgeAgainst(state: JudgeState, rows: PlannedRow[], newId: () => string): Judgement {
  const { live, histories, targets } = state;
  const judged: JudgedRow[] = [];
  const faults: RowFault[] = [];
  const claimedPeriod = new Map<string, PlannedRow>();
  const claimedTarget = new Map<string, number>();
  // Made once, not once a row: a 5,000-row write judges every row in this loop.
  const fault = (r: PlannedRow, code: RowFault["code"], field: string, message: string) =>
    faults.push({ index: r.index, field, message, code });
  const windowOf = new Map<MetricFacts, number>();
  for (const r of [...rows].sort((a, b) => a.index - b.index)) {
    const key = periodKeyOf(r);
    const holder = live.get(key);
    const duplicateRule = (r.metric.rules.duplicate?.action ?? "off") !== "off";
    let supersedesId: string | null = null;
    let duplicateOf: string | null = null;
    if (r.supersedes === undefined) {
      const earlier = claimedPeriod.get(key);
      if (holder || earlier) {
        const sameSource = holder ? holder.source === r.source : earlier?.source === r.source;
        if (duplicateRule && sameSource) {
          const of = holder ?? { index: earlier?.index };
          duplicateOf =
            of.index !== undefined ? `row ${of.index} of this request` : `measurement ${holder?.id}`;
          supersedesId = holder?.id ?? null;
        } else if (holder && holder.index === undefined) {
          fault(
            r,
            "conflict",
            "supersedes",
            `a value for this metric, scope and period is already recorded (measurement ${holder.id}); to correct it, send "supersedes": "${holder.id}"`,
          );
          continue;
        } else {
          fault(
            r,
            "invalid",
            "periodStart",
            `row ${holder?.index ?? earlier?.index} of this request already writes this period`,
          );
          continue;
        }
      }
      claimedPeriod.set(key, r);
    } else {
      const target = targets.get(r.supersedes);
      const earlier = claimedTarget.get(r.supersedes);
      if (earlier !== undefined) {
        fault(r, "invalid", "supersedes", `row ${earlier} of this request already writes this period`);
        continue;
      }
      if (!target) {
        fault(r, "invalid", "supersedes", "no measurement with this id in the organisation");
        continue;
      }
      if (periodKeyOf(target) !== key) {
        fault(
          r,
          "invalid",
          "supersedes",
          `measurement ${target.id} is for ${target.scopeType} ${target.scopeId}, ${target.periodStart}..${target.periodEnd} of metric ${target.metricId}; a correction keeps the metric, scope and period`,
        );
        continue;
      }
      if (target.supersededById !== null) {
        fault(
          r,
          "conflict",
          "supersedes",
          `measurement ${target.id} was already corrected by measurement ${target.supersededById}; to correct the current value, send "supersedes": "${target.supersededById}"`,
        );
        continue;
      }
      if (target.validationState === "quarantined") {
        fault(
          r,
          "conflict",
          "supersedes",
          `measurement ${target.id} is quarantined and does not count; accept or reject it in the review queue${holder ? `, or correct the value that counts: "supersedes": "${holder.id}"` : ""}`,
        );
        continue;
      }
      if (holder && holder.id !== target.id) {
        fault(r, "invalid", "supersedes", `row ${holder.index} of this request already writes this period`);
        continue;
      }
      claimedTarget.set(r.supersedes, r.index);
      supersedesId = r.supersedes;
    }
    const seriesKey = seriesKeyOf(r);
    const history = histories.get(seriesKey);
    let window = windowOf.get(r.metric);
    if (window === undefined) {
      window = historyNeeded(r.metric);
      windowOf.set(r.metric, window);
    }
    const before = history ? history.before(r.periodStart, window) : { previous: null, history: [] };
    const verdict = validateRow(r.metric.rules, {
      value: r.value,
      periodStart: r.periodStart,
      unit: r.metric.unit,
      period: r.metric.period,
      previous: before.previous,
      history: before.history,
      duplicateOf: duplicateOf !== null ? { describe: duplicateOf } : null,
    });
    const id = newId();
    judged.push({
      row: r,
      id,
      supersedesId,
      state: verdict.state,
      findings: verdict.findings,
      periodKey: key,
      seriesKey,
    });
    if (verdict.state !== "quarantined") {
      live.set(key, { id, source: r.source, index: r.index });
      history?.put({ periodStart: r.periodStart, periodEnd: r.periodEnd, value: r.value });
    }
  }
  return { judged, faults, targets };
}
