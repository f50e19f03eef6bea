import { describe, expect, it } from "vitest";
import { mad, median, robustZ } from "./outliers.ts";

describe("median and MAD", () => {
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
