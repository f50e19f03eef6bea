/**
 * A series' counted values in period order while a request's rows are checked one by one: what came
 * before a row (its previous value and the recent history), and each counted row added in turn, so a
 * row is judged against stored values and the earlier rows of the same request alike.
 */
import type { PriorValue } from "./checks.ts";

/** Period order: by end, then start (ISO dates compare as strings). */
const cmp = (a: PriorValue, b: PriorValue): number =>
  a.periodEnd < b.periodEnd
    ? -1
    : a.periodEnd > b.periodEnd
      ? 1
      : a.periodStart < b.periodStart
        ? -1
        : a.periodStart > b.periodStart
          ? 1
          : 0;

export type SeriesHistory = {
  /** The latest value whose period ends before `periodStart`, and up to `window` such values, oldest first. */
  before: (periodStart: string, window: number) => { previous: PriorValue | null; history: number[] };
  /** Adds a counted value; a value for the same period replaces the one held (a correction). */
  put: (v: PriorValue) => void;
  /** Forgets all but the latest `keep` values (a writer moving forward needs no more). */
  trim: (keep: number) => void;
};

export function createSeriesHistory(initial: readonly PriorValue[]): SeriesHistory {
  // Sorted by (periodEnd, periodStart); `values` holds their values, so a history is one slice.
  const sorted: PriorValue[] = [];
  const values: number[] = [];
  /** Index of the first entry whose period ends on or after `end`. */
  const firstEndingFrom = (end: string) => {
    // Rows mostly arrive in period order: after the last value held, without a search.
    const last = sorted.at(-1);
    if (!last || last.periodEnd < end) return sorted.length;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] as PriorValue).periodEnd < end) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const put = (v: PriorValue) => {
    // Rows mostly arrive in period order: a value after the last one is appended without a search.
    const last = sorted.at(-1);
    if (!last || cmp(last, v) < 0) {
      sorted.push(v);
      values.push(v.value);
      return;
    }
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(sorted[mid] as PriorValue, v) < 0) lo = mid + 1;
      else hi = mid;
    }
    const at = sorted[lo];
    if (at && cmp(at, v) === 0) {
      sorted[lo] = v;
      values[lo] = v.value;
    } else {
      sorted.splice(lo, 0, v);
      values.splice(lo, 0, v.value);
    }
  };
  // Sorted once; a later value for the same period replaces an earlier one, as `put` does.
  for (const v of [...initial].sort(cmp)) {
    const last = sorted.at(-1);
    if (last && cmp(last, v) === 0) {
      sorted[sorted.length - 1] = v;
      values[values.length - 1] = v.value;
    } else {
      sorted.push(v);
      values.push(v.value);
    }
  }
  return {
    before(periodStart, window) {
      const k = firstEndingFrom(periodStart);
      return {
        previous: sorted[k - 1] ?? null,
        history: values.slice(Math.max(0, k - window), k),
      };
    },
    put,
    trim(keep) {
      const drop = sorted.length - Math.max(0, keep);
      if (drop <= 0) return;
      sorted.splice(0, drop);
      values.splice(0, drop);
    },
  };
}
