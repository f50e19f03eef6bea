import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "./dates.ts";
import { type Checkpoint, computeExpected } from "./expected.ts";

const year = { start: "2026-01-01", due: "2026-12-31" };

describe("computeExpected", () => {
  it.each([
    ["before start", "2025-12-01", 0],
    ["at start", "2026-01-01", 0],
    ["half way (182 of 364 days)", "2026-07-02", 0.5],
    ["a quarter of the way (91 of 364 days)", "2026-04-02", 0.25],
    ["at due", "2026-12-31", 1],
    ["after due", "2027-02-01", 1],
  ])("straight line, %s", (_name, asOf, expected) => {
    expect(computeExpected({ ...year, checkpoints: [] }, asOf)).toBeCloseTo(expected, 12);
  });

  const checkpoints: Checkpoint[] = [{ date: "2026-07-01", expected: 0.6 }];
  it.each([
    ["1 April: 90 of 181 days to the checkpoint", "2026-04-01", (0.6 * 90) / 181],
    ["at the checkpoint", "2026-07-01", 0.6],
    ["1 October: 92 of 183 days on the last leg", "2026-10-01", 0.6 + (0.4 * 92) / 183],
  ])("through a checkpoint, %s", (_name, asOf, expected) => {
    expect(computeExpected({ ...year, checkpoints }, asOf)).toBeCloseTo(expected, 12);
  });

  it("sorts checkpoints by date", () => {
    const unsorted: Checkpoint[] = [
      { date: "2026-10-01", expected: 0.9 },
      { date: "2026-04-01", expected: 0.2 },
    ];
    // 1 July lies 91 of 183 days from 1 April (0.2) to 1 October (0.9).
    expect(computeExpected({ ...year, checkpoints: unsorted }, "2026-07-01")).toBeCloseTo(
      0.2 + (0.7 * 91) / 183,
      12,
    );
  });

  it("ignores checkpoints outside (start, due) and invalid ones", () => {
    const ignored: Checkpoint[] = [
      { date: "2025-06-01", expected: 0.5 },
      { date: "2026-01-01", expected: 0.5 },
      { date: "2026-12-31", expected: 0.5 },
      { date: "2026-02-30", expected: 0.5 },
      { date: "2026-03-01", expected: Number.NaN },
    ];
    expect(computeExpected({ ...year, checkpoints: ignored }, "2026-07-02")).toBeCloseTo(0.5, 12);
  });

  it("treats two checkpoints on one date as a step", () => {
    const step: Checkpoint[] = [
      { date: "2026-07-02", expected: 0.8 },
      { date: "2026-07-02", expected: 0.3 },
    ];
    expect(computeExpected({ ...year, checkpoints: step }, "2026-07-01")).toBeCloseTo((0.3 * 181) / 182, 12);
    expect(computeExpected({ ...year, checkpoints: step }, "2026-07-02")).toBe(0.8);
  });

  it("is monotone non-decreasing in the date when checkpoints are", () => {
    const plan = fc
      .record({
        length: fc.integer({ min: 2, max: 800 }),
        picks: fc.array(
          fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
          {
            maxLength: 6,
          },
        ),
      })
      .map(({ length, picks }) => {
        const offsets = picks.map(([f]) => 1 + Math.floor(f * (length - 1))).sort((a, b) => a - b);
        const values = picks.map(([, v]) => v).sort((a, b) => a - b);
        const start = "2026-01-01";
        return {
          start,
          due: addDays(start, length),
          checkpoints: offsets.map((o, i) => ({ date: addDays(start, o), expected: values[i] as number })),
        };
      });
    fc.assert(
      fc.property(plan, fc.integer({ min: -10, max: 820 }), fc.integer({ min: 0, max: 50 }), (p, d, step) => {
        const e1 = computeExpected(p, addDays(p.start, d));
        const e2 = computeExpected(p, addDays(p.start, d + step));
        expect(e2).toBeGreaterThanOrEqual(e1);
        expect(e1).toBeGreaterThanOrEqual(0);
        expect(e2).toBeLessThanOrEqual(1);
      }),
    );
  });
});
