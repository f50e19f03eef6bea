import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { GoalMeasure } from "./attainment.ts";
import {
  computeAllProgress,
  computeGoalProgress,
  DEFAULT_POLICY,
  type GoalInput,
  type Progress,
} from "./progress.ts";

function goal(id: string, over: Partial<GoalInput> = {}): GoalInput {
  return {
    id,
    start: "2026-01-01",
    due: "2026-12-31",
    checkpoints: [],
    rollupMode: "weighted_mean",
    measure: null,
    thresholdValue: null,
    stretchValue: null,
    ...over,
  };
}

// Company goal C ← units U1 (weight 60) and U2 (40); U1 ← team goals T1 and T2 (50 each).
const goals: GoalInput[] = [
  goal("C"),
  goal("U1"),
  goal("U2", {
    rollupMode: "own_metric",
    measure: { kind: "flow", target: 1_000_000, total: 800_000 },
    thresholdValue: 600_000,
  }),
  goal("T1", {
    rollupMode: "own_metric",
    measure: { kind: "level", baseline: 67, target: 75, value: 71 },
    thresholdValue: 69,
    stretchValue: 79,
  }),
  goal("T2", {
    rollupMode: "own_metric",
    measure: { kind: "level", baseline: 10, target: 6, value: 4 },
    stretchValue: 4,
  }),
];
const edges = [
  { child: "U1", parent: "C", weight: 60 },
  { child: "U2", parent: "C", weight: 40 },
  { child: "T1", parent: "U1", weight: 50 },
  { child: "T2", parent: "U1", weight: 50 },
];
// 2 July 2026 is 182 of 364 days into the year: every goal expects 0.5.
const midYear = "2026-07-02";

function figures(p: Progress | undefined) {
  return (
    p && { attainment: p.attainment, expected: p.expected, pace: p.pace, status: p.status, score: p.score }
  );
}

describe("computeAllProgress: a three-level cascade", () => {
  const all = computeAllProgress(goals, edges, midYear);

  it.each([
    // T1: (71 − 67) / (75 − 67) = 0.5; threshold 69 → 0.25, so score = 50 + 50·(0.5 − 0.25)/0.75.
    ["T1", { attainment: 0.5, expected: 0.5, pace: 1, status: "on_track", score: 50 + 50 / 3 }],
    // T2: (4 − 10) / (6 − 10) = 1.5, at its stretch (4 days → 1.5): achieved early, score 150.
    ["T2", { attainment: 1.5, expected: 0.5, pace: 3, status: "achieved", score: 150 }],
    // U1: (50·0.5 + 50·min(1.5, 1)) / 100 = 0.75; no measure, so no threshold: score 75.
    ["U1", { attainment: 0.75, expected: 0.5, pace: 1.5, status: "on_track", score: 75 }],
    // U2: 800,000 / 1,000,000 = 0.8; threshold 0.6: score 50 + 50·0.2/0.4 = 75.
    ["U2", { attainment: 0.8, expected: 0.5, pace: 1.6, status: "on_track", score: 75 }],
    // C: 0.6·0.75 + 0.4·0.8 = 0.77.
    ["C", { attainment: 0.77, expected: 0.5, pace: 1.54, status: "on_track", score: 77 }],
  ] as const)("%s", (id, expected) => {
    const got = figures(all.get(id));
    expect(got).toEqual({
      ...expected,
      attainment: expect.closeTo(expected.attainment, 12),
      expected: expect.closeTo(expected.expected, 12),
      pace: expect.closeTo(expected.pace, 12),
      score: expect.closeTo(expected.score, 9),
    });
  });

  it("reports child counts and the date", () => {
    expect([...all].map(([id, p]) => [id, p.childCount, p.asOf])).toEqual([
      ["C", 2, midYear],
      ["U1", 2, midYear],
      ["U2", 0, midYear],
      ["T1", 0, midYear],
      ["T2", 0, midYear],
    ]);
  });

  it("weakest mode takes the lower unit: min(0.75, 0.8)", () => {
    const weakest = goals.map((g) => (g.id === "C" ? { ...g, rollupMode: "weakest" as const } : g));
    expect(computeAllProgress(weakest, edges, midYear).get("C")?.attainment).toBeCloseTo(0.75, 12);
  });

  it("own_metric with children keeps the goal's own figure", () => {
    const own = goals.map((g) =>
      g.id === "U1"
        ? {
            ...g,
            rollupMode: "own_metric" as const,
            measure: { kind: "milestone", done: false } as GoalMeasure,
          }
        : g,
    );
    const u1 = computeAllProgress(own, edges, midYear).get("U1");
    expect(u1).toMatchObject({ attainment: 0, childCount: 2, status: "off_track" });
  });

  it("own_metric without a measure rolls up as weighted_mean", () => {
    const noMeasure = goals.map((g) => (g.id === "U1" ? { ...g, rollupMode: "own_metric" as const } : g));
    expect(computeAllProgress(noMeasure, edges, midYear).get("U1")?.attainment).toBeCloseTo(0.75, 12);
  });

  it("a goal with a measure but mode weighted_mean rolls up its children", () => {
    const both = goals.map((g) =>
      g.id === "U1" ? { ...g, measure: { kind: "milestone", done: true } as GoalMeasure } : g,
    );
    expect(computeAllProgress(both, edges, midYear).get("U1")?.attainment).toBeCloseTo(0.75, 12);
  });

  it("gives outcomes at the due date", () => {
    const end = computeAllProgress(goals, edges, "2026-12-31");
    expect([...end].map(([id, p]) => [id, p.status])).toEqual([
      ["C", "missed"],
      ["U1", "missed"],
      ["U2", "partially_achieved"],
      ["T1", "partially_achieved"],
      ["T2", "achieved"],
    ]);
  });

  it("before the start nothing is expected: not started, pace null", () => {
    const early = computeAllProgress(goals, edges, "2025-12-15");
    expect(early.get("C")).toMatchObject({ expected: 0, pace: null, status: "not_started" });
    expect(early.get("T1")).toMatchObject({ attainment: 0.5, status: "not_started" });
  });
});

describe("computeAllProgress: edge cases", () => {
  it("ignores edges to unknown goals", () => {
    const all = computeAllProgress(goals, [...edges, { child: "ghost", parent: "C", weight: 100 }], midYear);
    expect(all.get("C")?.attainment).toBeCloseTo(0.77, 12);
    expect(all.get("C")?.childCount).toBe(2);
  });

  it("throws on a cycle and on a repeated id", () => {
    expect(() =>
      computeAllProgress(goals, [...edges, { child: "C", parent: "T1", weight: 1 }], midYear),
    ).toThrow(/cycle/);
    expect(() => computeAllProgress(goals, [{ child: "C", parent: "C", weight: 1 }], midYear)).toThrow(
      /cycle/,
    );
    expect(() => computeAllProgress([...goals, goal("C")], edges, midYear)).toThrow(/duplicate goal id C/);
  });

  it("reads an invalid measure as no data instead of failing the recompute", () => {
    const bad = goal("bad", {
      measure: { kind: "level", baseline: 5, target: 5, value: 5 },
      thresholdValue: 4,
    });
    expect(computeAllProgress([bad], [], midYear).get("bad")).toMatchObject({
      attainment: null,
      status: "no_data",
    });
  });

  it("a goal without a measure or children has no data", () => {
    expect(computeAllProgress([goal("lonely")], [], midYear).get("lonely")).toEqual({
      attainment: null,
      expected: 0.5,
      pace: null,
      status: "no_data",
      score: null,
      asOf: midYear,
      childCount: 0,
    });
  });

  it("applies the policy's cap and maximum score", () => {
    const policy = { ...DEFAULT_POLICY, rollupCap: 2, maxScore: 200 };
    const all = computeAllProgress(goals, edges, midYear, policy);
    expect(all.get("U1")?.attainment).toBeCloseTo(1, 12); // (0.5 + 1.5) / 2
    expect(all.get("T2")?.score).toBe(200);
  });
});

describe("computeGoalProgress agrees with computeAllProgress", () => {
  const measure: fc.Arbitrary<GoalMeasure | null> = fc.oneof(
    fc.constant(null),
    fc.record({
      kind: fc.constant("level" as const),
      baseline: fc.constant(10),
      target: fc.constantFrom(20, 5),
      value: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
    }),
    fc.record({ kind: fc.constant("milestone" as const), done: fc.boolean() }),
    fc.record({
      kind: fc.constant("rubric" as const),
      levels: fc.constant(5),
      level: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
    }),
  );
  const randomGraph = fc.integer({ min: 1, max: 30 }).chain((n) =>
    fc.record({
      goals: fc.array(
        fc.record({
          measure,
          rollupMode: fc.constantFrom("weighted_mean" as const, "weakest" as const, "own_metric" as const),
          thresholdValue: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
          stretchValue: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
          dueOffset: fc.integer({ min: 1, max: 400 }),
        }),
        { minLength: n, maxLength: n },
      ),
      edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.integer({ min: 0, max: 100 })), {
        maxLength: 60,
      }),
    }),
  );

  it("for every goal of a random DAG", () => {
    fc.assert(
      fc.property(randomGraph, fc.integer({ min: -30, max: 450 }), (g, dayOffset) => {
        const start = 20_454; // 2026-01-01
        const iso = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);
        const inputs = g.goals.map((x, i) =>
          goal(`g${i}`, {
            ...x,
            due: iso(start + x.dueOffset),
            checkpoints: [{ date: "2026-03-01", expected: 0.3 }],
          }),
        );
        const es = g.edges
          .filter(([a, b]) => a !== b)
          .map(([a, b, weight]) => ({
            child: `g${Math.max(a, b)}`,
            parent: `g${Math.min(a, b)}`,
            weight,
          }));
        const asOf = iso(start + dayOffset);
        const all = computeAllProgress(inputs, es, asOf);
        expect(all.size).toBe(inputs.length);
        for (const input of inputs) {
          const children = es
            .filter((e) => e.parent === input.id)
            .map((e) => ({ ...(all.get(e.child) as Progress), weight: e.weight }));
          expect(all.get(input.id)).toEqual(computeGoalProgress(input, children, asOf));
        }
      }),
    );
  });
});

describe("scale", () => {
  it("computes 200,000 goals in a tree and returns every id", () => {
    const n = 200_000;
    const many: GoalInput[] = [];
    const links: { child: string; parent: string; weight: number }[] = [];
    for (let i = 0; i < n; i++) {
      const leaf = i >= n / 10;
      many.push(
        goal(`g${i}`, {
          rollupMode: leaf ? "own_metric" : "weighted_mean",
          measure: leaf ? { kind: "level", baseline: 10, target: 20, value: 10 + (i % 13) } : null,
          checkpoints: i % 3 === 0 ? [{ date: "2026-07-01", expected: 0.6 }] : [],
          thresholdValue: leaf ? 12 : null,
        }),
      );
      if (i > 0) links.push({ child: `g${i}`, parent: `g${Math.floor((i - 1) / 10)}`, weight: 1 + (i % 5) });
    }
    const all = computeAllProgress(many, links, midYear);
    expect(all.size).toBe(n);
    expect(many.every((g) => all.has(g.id))).toBe(true);
    expect(all.get("g0")?.childCount).toBe(10);
    expect(all.get("g0")?.attainment).not.toBeNull();
  });
});
