import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mad, median, medianAndMad, robustZ } from "./outliers.ts";

describe("median and MAD", () => {
  it("medianAndMad gives both at once: [1, 2, 3, 4, 100] → median 3, MAD 1 (deviations 2, 1, 0, 1, 97)", () => {
    expect(medianAndMad([1, 2, 3, 4, 100])).toEqual({ median: 3, mad: 1 });
    expect(medianAndMad([4, 1, 3, 2])).toEqual({ median: 2.5, mad: 1 });
  });

  // up to 200 values: short windows take an insertion sort, long ones (over 64) the library's
  it("medianAndMad agrees with the definitions, whatever the order and number of the values", () => {
    const naiveMedian = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      const n = s.length;
      return n % 2 ? (s[(n - 1) / 2] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
    };
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }),
        (xs) => {
          const m = naiveMedian(xs);
          expect(medianAndMad(xs)).toEqual({ median: m, mad: naiveMedian(xs.map((x) => Math.abs(x - m))) });
        },
      ),
    );
  });

  it.each([
    [[3, 1, 2, 10], 2.5],
    [[5], 5],
    [[7, 1, 3], 3],
    [[], Number.NaN],
  ])("median(%j) = %s", (xs, m) => {
    expect(median(xs)).toBe(m);
  });

  it.each([
    [[1, 2, 3, 4, 100], 1],
    [[10, 11, 12, 13, 14], 1],
    [[5, 5, 5, 9], 0],
    [[], Number.NaN],
  ])("mad(%j) = %s", (xs, d) => {
    expect(mad(xs)).toBe(d);
  });
});

describe("robustZ", () => {
  const history = [10, 11, 12, 13, 14];
  it.each([
    ["far above", 20, history, 0.6745 * 8],
    ["below", 9, history, 0.6745 * -3],
    ["at the median", 12, history, 0],
    ["flat history, same value", 5, [5, 5, 5, 5], 0],
    ["flat history, higher", 6, [5, 5, 5, 5], Number.POSITIVE_INFINITY],
    ["flat history, lower", 4, [5, 5, 5, 5], Number.NEGATIVE_INFINITY],
    ["no history", 4, [], Number.NaN],
  ])("%s", (_name, x, h, z) => {
    const got = robustZ(x, h);
    if (Number.isFinite(z)) expect(got).toBeCloseTo(z, 12);
    else expect(got).toBe(z);
  });
});
