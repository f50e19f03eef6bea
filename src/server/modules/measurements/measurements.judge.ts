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
import { readTogether } from "../../db/together.ts";
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
  /** the row's series as a map key (see seriesKeyOf) */
  seriesKey: string;
};

/** The counted value a period has while judging: stored (no index) or an earlier row of the request. */
type Holder = { id: string; source: string; index?: number };

export const seriesKeyOf = (r: { metricId: string; scopeType: string; scopeId: string }) =>
  `${r.metricId}|${r.scopeType}|${r.scopeId}`;

/**
 * What judging knows of one series (metric and scope). Found through nested maps of the row's own
 * metric id, scope type and scope id rather than one key string made per row: making and hashing
 * that ~80-character string (and a ~100-character one per period) was most of the judge's time.
 */
export type SeriesState = {
  /** seriesKeyOf the series, made once */
  key: string;
  /** the counted values the rules look back on (null when the metric's rules look at none) */
  history: SeriesHistory | null;
  /** the period end up to which every counted value of the series is known (with a history) */
  covered: string | null;
  /** the counted value of each period the request writes, by periodOf */
  live: Map<string, Holder>;
  /**
   * the history went on from the write before (loadSeries): that write's rows are in it, and all
   * end before this request's periods
   */
  carried: boolean;
};

/** A period of a series as a short map key: its start, and its end when that is another day. */
const periodOf = (r: { periodStart: string; periodEnd: string }) =>
  r.periodStart === r.periodEnd ? r.periodStart : `${r.periodStart}|${r.periodEnd}`;

type SeriesIndex = Map<string, Map<string, Map<string, SeriesState>>>;

/** The series of `r` in `index`; made (empty) when `make` and missing. */
function seriesIn(
  index: SeriesIndex,
  r: { metricId: string; scopeType: string; scopeId: string },
  make: boolean,
): SeriesState | undefined {
  let byType = index.get(r.metricId);
  if (!byType) {
    if (!make) return undefined;
    byType = new Map();
    index.set(r.metricId, byType);
  }
  let byId = byType.get(r.scopeType);
  if (!byId) {
    if (!make) return undefined;
    byId = new Map();
    byType.set(r.scopeType, byId);
  }
  let s = byId.get(r.scopeId);
  if (!s && make) {
    s = { key: seriesKeyOf(r), history: null, covered: null, live: new Map(), carried: false };
    byId.set(r.scopeId, s);
  }
  return s;
}

/** How many earlier values a metric's rules look at: the outlier window, 1 for step change or frequency. */
function historyNeeded(metric: MetricFacts): number {
  const r = metric.rules;
  const on = (a: string | undefined) => a !== undefined && a !== "off";
  if (on(r.outlier?.action)) return r.outlier?.window ?? OUTLIER_DEFAULTS.window;
  return on(r.stepChange?.action) || on(r.frequency?.action) ? 1 : 0;
}

type SeriesAsk = Parameters<typeof findCountedAround>[2][number];

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
async function loadSeries(tx: Db, orgId: string, rows: PlannedRow[], carried: JudgeState | null) {
  const series: SeriesIndex = new Map();
  const asks = new Map<SeriesState, SeriesAsk>();
  for (const r of rows) {
    const s = seriesIn(series, r, true) as SeriesState;
    const ask = asks.get(s);
    if (!ask) {
      asks.set(s, {
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
  const reads: SeriesAsk[] = [];
  const loaded = new Map<SeriesState, PriorValue[]>();
  for (const [s, a] of asks) {
    const known = carried ? seriesIn(carried.series, a, false) : undefined;
    if (a.limit > 0 && known?.history && known.covered !== null && known.covered < a.from) {
      // every counted value ending on or before `covered` is known: read only the later ones
      known.history.trim(a.limit);
      s.history = known.history;
      s.carried = true;
      reads.push({ ...a, from: addDays(known.covered, 1), limit: 0 });
    } else {
      reads.push(a);
      if (a.limit > 0) loaded.set(s, []);
    }
    if (a.limit > 0) s.covered = a.to;
  }
  for (const v of await findCountedAround(tx, orgId, reads)) {
    const s = seriesIn(series, v, false);
    if (!s) continue;
    // a value ending before the request's first period of its series holds no period it writes
    if (v.periodEnd >= (asks.get(s)?.from ?? "")) s.live.set(periodOf(v), { id: v.id, source: v.source });
    const fresh = loaded.get(s);
    if (fresh) fresh.push(v);
    else s.history?.put(v);
  }
  for (const [s, values] of loaded) s.history = createSeriesHistory(values);
  return series;
}

/** What `rows` are judged against: what is known of their series, and the correction targets. */
export type JudgeState = {
  series: SeriesIndex;
  targets: Map<string, MeasurementRecord>;
};

/** What `state` knows of a series (tests and the bulk write's callers look at it). */
export const seriesState = (
  state: JudgeState,
  s: { metricId: string; scopeType: string; scopeId: string },
): SeriesState | undefined => seriesIn(state.series, s, false);

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
  const targetIds = [...new Set(rows.flatMap((r) => (r.supersedes ? [r.supersedes] : [])))];
  const [series, found] = await readTogether(db, [
    () => loadSeries(db, orgId, rows, carried),
    () => findMeasurements(db, orgId, targetIds),
  ]);
  return { series, targets: new Map(found.map((m) => [m.id, m] as const)) };
}

/**
 * Adds to `state` the rows an earlier write judged, for a state read while that write was not yet
 * committed. Adding rows the state already holds changes nothing (same period, same id), so series
 * that went on from that write's state are skipped. Rows of series the state does not hold are not
 * asked about.
 */
export function addJudged(state: JudgeState, judged: readonly JudgedRow[]): void {
  for (const j of judged) {
    if (j.state === "quarantined") continue;
    const r = j.row;
    const s = seriesIn(state.series, r, false);
    if (!s || s.carried) continue;
    s.live.set(periodOf(r), { id: j.id, source: r.source });
    s.history?.put({ periodStart: r.periodStart, periodEnd: r.periodEnd, value: r.value });
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
  const { targets } = state;
  const judged: JudgedRow[] = [];
  const faults: RowFault[] = [];
  const claimed = new Map<SeriesState, Map<string, PlannedRow>>();
  const claimedTarget = new Map<string, number>();
  // Made once, not once a row: a 5,000-row write judges every row in this loop.
  const fault = (r: PlannedRow, code: RowFault["code"], field: string, message: string) =>
    faults.push({ index: r.index, field, message, code });
  const windowOf = new Map<MetricFacts, number>();
  const ordered = rows.every((r, i) => i === 0 || (rows[i - 1] as PlannedRow).index < r.index)
    ? rows
    : [...rows].sort((a, b) => a.index - b.index);
  for (const r of ordered) {
    const series = seriesIn(state.series, r, true) as SeriesState;
    const { live } = series;
    let claimedPeriod = claimed.get(series);
    if (!claimedPeriod) {
      claimedPeriod = new Map();
      claimed.set(series, claimedPeriod);
    }
    const key = periodOf(r);
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
      if (periodKeyOf(target) !== periodKeyOf(r)) {
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
    const history = series.history;
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
      seriesKey: series.key,
    });
    if (verdict.state !== "quarantined") {
      live.set(key, { id, source: r.source, index: r.index });
      history?.put({ periodStart: r.periodStart, periodEnd: r.periodEnd, value: r.value });
    }
  }
  return { judged, faults, targets };
}
