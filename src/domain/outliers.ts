/**
 * Robust outlier scores for data validation: a new value compared with a metric's history by median
 * and median absolute deviation, which a few bad points cannot drag around the way mean and standard
 * deviation can.
 */

/** The middle of the first `n` sorted values: the mean of the middle two for an even count; NaN when none. */
function middle(sorted: readonly number[], n = sorted.length): number {
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  const upper = sorted[mid] as number;
  return n % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

const ascending = (a: number, b: number) => a - b;

/** Median of `xs`; the mean of the middle two for an even count; NaN for an empty list. Example: [3, 1, 2, 10] → 2.5. */
export function median(xs: readonly number[]): number {
  return middle(sortedCopy(xs));
}

/**
 * Median and median absolute deviation `median(|xᵢ − median(xs)|)` of `xs`. One sort for each:
 * judging a row against its 24 earlier values used to sort three times, the largest share of the
 * validation's time (bench/import.ts, all rules on). Short windows are sorted in two scratch arrays
 * kept between calls: a million rows judged allocated ~0.5 GB of copies, collected again (GC).
 */
export function medianAndMad(xs: readonly number[]): { median: number; mad: number } {
  const n = xs.length;
  if (n > INSERTION_MAX) {
    const sorted = sortInPlace(xs.slice());
    const m = middle(sorted, n);
    return { median: m, mad: middle(sortInPlace(sorted.map((x) => Math.abs(x - m))), n) };
  }
  for (let i = 0; i < n; i++) scratch[i] = xs[i] as number;
  insertionSort(scratch, n);
  const m = middle(scratch, n);
  for (let i = 0; i < n; i++) deviations[i] = Math.abs((scratch[i] as number) - m);
  insertionSort(deviations, n);
  return { median: m, mad: middle(deviations, n) };
}

/**
 * Windows are short (24 values by default): insertion sort is ~8× faster there than
 * `Array.prototype.sort` with a comparator, and ~20× faster than a typed array's sort (measured on
 * Node 20). Longer windows (up to 1,000) take the library sort.
 */
const INSERTION_MAX = 64;
const scratch: number[] = new Array<number>(INSERTION_MAX).fill(0);
const deviations: number[] = new Array<number>(INSERTION_MAX).fill(0);

/** Sorts the first `n` values of `a` in place. */
function insertionSort(a: number[], n: number): void {
  for (let i = 1; i < n; i++) {
    const v = a[i] as number;
    let j = i - 1;
    while (j >= 0 && (a[j] as number) > v) {
      a[j + 1] = a[j] as number;
      j--;
    }
    a[j + 1] = v;
  }
}

function sortInPlace(a: number[]): number[] {
  if (a.length > INSERTION_MAX) return a.sort(ascending);
  insertionSort(a, a.length);
  return a;
}

const sortedCopy = (xs: readonly number[]): number[] => sortInPlace(xs.slice());

/** Median absolute deviation `median(|xᵢ − median(xs)|)`; NaN for an empty list. Example: [1, 2, 3, 4, 100] → 1. */
export function mad(xs: readonly number[]): number {
  return medianAndMad(xs).mad;
}

/**
 * Robust z-score `0.6745 · (x − median) / MAD` of `x` against `history` (|z| > 3.5 is the usual
 * outlier line). When MAD is 0 (most of the history identical): 0 if x equals the median, else
 * ±Infinity with the sign of `x − median`. NaN for an empty history (nothing to judge against).
 * Example: history [10, 11, 12, 13, 14] (median 12, MAD 1), x = 20 → 0.6745 · 8 = 5.396.
 */
export function robustZ(x: number, history: readonly number[]): number {
  const { median: m, mad: d } = medianAndMad(history);
  return robustZFrom(x, m, d);
}

/** `robustZ` of `x` from the history's median `m` and MAD `d`, already known. */
export function robustZFrom(x: number, m: number, d: number): number {
  if (Number.isNaN(m)) return Number.NaN;
  if (d === 0) return x === m ? 0 : x > m ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  return (0.6745 * (x - m)) / d;
}
