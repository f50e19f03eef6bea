import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type RollupChild, rollup } from "./rollup.ts";

const children: RollupChild[] = [
  { attainment: 1.4, expected: 0.5, weight: 50 },
  { attainment: 0.6, expected: 0.6, weight: 30 },
  { attainment: 0.2, expected: 0.4, weight: 20 },
];

describe("rollup: worked examples", () => {
  it("weighted_mean caps overshoot at 1: (50·1 + 30·0.6 + 20·0.2) / 100 = 0.72", () => {
    const r = rollup("weighted_mean", children);
    expect(r.attainment).toBeCloseTo(0.72, 12);
    expect(r.expected).toBeCloseTo((50 * 0.5 + 30 * 0.6 + 20 * 0.4) / 100, 12); // 0.51
  });

  it("weighted_mean without a cap would be 0.92", () => {
    expect(rollup("weighted_mean", children, Number.POSITIVE_INFINITY).attainment).toBeCloseTo(0.92, 12);
  });

  it("weakest takes the lowest capped attainment, expected is still the weighted mean", () => {
    expect(rollup("weakest", children)).toEqual({ attainment: 0.2, expected: expect.closeTo(0.51, 12) });
    expect(rollup("weakest", [{ attainment: 1.5, expected: 0.5, weight: 1 }]).attainment).toBe(1);
  });

  it("counts a child without data as 0, unless no child has data", () => {
    const some = [
      { attainment: 0.8, expected: 0.5, weight: 1 },
      { attainment: null, expected: 0.5, weight: 1 },
    ];
    expect(rollup("weighted_mean", some)).toEqual({ attainment: 0.4, expected: 0.5 });
    expect(rollup("weakest", some)).toEqual({ attainment: 0, expected: 0.5 });
    const none = some.map((c) => ({ ...c, attainment: null }));
    expect(rollup("weighted_mean", none)).toEqual({ attainment: null, expected: 0.5 });
  });

  it("counts children equally when no weight is positive, and skips zero weights otherwise", () => {
    const zero = children.map((c) => ({ ...c, weight: 0 }));
    expect(rollup("weighted_mean", zero).attainment).toBeCloseTo((1 + 0.6 + 0.2) / 3, 12);
    const oneIgnored = [...children.slice(0, 2), { attainment: 0, expected: 0.9, weight: 0 }];
    expect(rollup("weakest", oneIgnored).attainment).toBe(0.6);
  });

  it("has nothing to say without children", () => {
    expect(rollup("weighted_mean", [])).toEqual({ attainment: null, expected: 0 });
    expect(rollup("weakest", [])).toEqual({ attainment: null, expected: 0 });
  });
});

describe("rollup: properties", () => {
  const attainment = fc.option(fc.double({ min: -2, max: 3, noNaN: true }), { nil: null });
  const expected = fc.double({ min: 0, max: 1, noNaN: true });
  const weight = fc.double({ min: 0.01, max: 1000, noNaN: true });
  const child = fc.record({ attainment, expected, weight });
  const mode = fc.constantFrom("weighted_mean" as const, "weakest" as const);

  it("a rollup of identical children equals the (capped) child", () => {
    fc.assert(
      fc.property(
        mode,
        attainment,
        expected,
        fc.array(weight, { minLength: 1, maxLength: 20 }),
        (m, a, e, ws) => {
          const r = rollup(
            m,
            ws.map((w) => ({ attainment: a, expected: e, weight: w })),
          );
          if (a === null) expect(r.attainment).toBeNull();
          else expect(r.attainment).toBeCloseTo(Math.min(a, 1), 9);
          expect(r.expected).toBeCloseTo(e, 9);
        },
      ),
    );
  });

  it("scaling every weight by k > 0 changes nothing", () => {
    fc.assert(
      fc.property(
        mode,
        fc.array(child, { minLength: 1, maxLength: 20 }),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        (m, cs, k) => {
          const r1 = rollup(m, cs);
          const r2 = rollup(
            m,
            cs.map((c) => ({ ...c, weight: c.weight * k })),
          );
          if (r1.attainment === null) expect(r2.attainment).toBeNull();
          else expect(r2.attainment).toBeCloseTo(r1.attainment, 9);
          expect(r2.expected).toBeCloseTo(r1.expected, 9);
        },
      ),
    );
  });

  it("the weighted mean lies between the weakest and the strongest capped child", () => {
    fc.assert(
      fc.property(fc.array(child, { minLength: 1, maxLength: 20 }), (cs) => {
        const capped = cs.map((c) => Math.min(c.attainment ?? 0, 1));
        const r = rollup("weighted_mean", cs);
        if (cs.every((c) => c.attainment === null)) return;
        expect(r.attainment).toBeGreaterThanOrEqual(Math.min(...capped) - 1e-9);
        expect(r.attainment).toBeLessThanOrEqual(Math.max(...capped) + 1e-9);
      }),
    );
  });
});
