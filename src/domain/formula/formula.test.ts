import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeProblem, evaluateFormula, formulaReferences, parseFormula } from "./formula.ts";
import { derivationOrder, findFormulaCycle } from "./graph.ts";
import { decodeFormulaTrace, encodeFormulaTrace } from "./trace.ts";

const parsed = (text: string) => {
  const r = parseFormula(text);
  if (!r.formula) throw new Error(`did not parse: ${text}: ${r.problem.message}`);
  return r.formula;
};
const evaluate = (text: string, values: Record<string, number>) =>
  evaluateFormula(parsed(text), new Map(Object.entries(values)));

describe("evaluateFormula: worked numbers", () => {
  it.each([
    ["won_revenue / pipeline_revenue * 100", { won_revenue: 120, pipeline_revenue: 480 }, 25],
    ["(a + b) / 2", { a: 3, b: 4 }, 3.5],
    ["a - b * 2", { a: 10, b: 3 }, 4],
    ["-a + +b", { a: 1, b: 5 }, 4],
    ["a ^ 2", { a: 3 }, 9],
    ["min(a, b, 7)", { a: 9, b: 8 }, 7],
    ["max(a, 2)", { a: -1 }, 2],
    ["abs(a - b)", { a: 2, b: 5 }, 3],
    ["round(a / 3, 2)", { a: 10 }, 3.33],
    ["round(a)", { a: 2.5 }, 3],
    ["sqrt(a)", { a: 16 }, 4],
    ["constructor + valueof", { constructor: 1, valueof: 2 }, 3],
  ])("%s with %o = %d", (text, values, expected) => {
    expect(evaluate(text, values)).toEqual({ value: expected, reason: null });
  });

  it.each([
    ["a / b", { a: 1, b: 0 }, "division by zero: b is 0"],
    ["a / (b - c)", { a: 1, b: 2, c: 2 }, "division by zero: (b - c) is 0"],
    ["sqrt(a)", { a: -4 }, "the result is not a finite number (NaN)"],
    ["a ^ 1000", { a: 10 }, "the result is not a finite number (Infinity)"],
    ["a + b", { a: 1 }, "no value for b"],
  ])("%s with %o has no value: %s", (text, values, reason) => {
    expect(evaluate(text, values)).toEqual({ value: null, reason });
  });
});

describe("parseFormula: references and problems", () => {
  it("lists each referenced key once, in order of appearance, not function names", () => {
    expect(formulaReferences("max(b, a) / b + round(c)")).toEqual(["b", "a", "c"]);
    expect(formulaReferences("1 +")).toEqual([]);
  });

  it.each([
    ["1 +", "syntax error: Unexpected end of expression", 3],
    ["a / (b", "syntax error: Parenthesis ) expected", 6],
    ["a = 1", "a formula cannot assign or define anything; write an expression", 3],
    ["f(x) = x", "a formula cannot assign or define anything; write an expression", 6],
    ["a + foo(b)", "unknown function foo; a formula may call min, max, abs, round, sqrt", 5],
    ['import("fs")', "unknown function import; a formula may call min, max, abs, round, sqrt", 1],
    ['evaluate("1")', "unknown function evaluate; a formula may call min, max, abs, round, sqrt", 1],
    [
      "a == b",
      "the operator == is not allowed; use + - * / ^, parentheses and min, max, abs, round, sqrt",
      3,
    ],
    ["a % b", "the operator % is not allowed; use + - * / ^, parentheses and min, max, abs, round, sqrt", 3],
    ["2 a", "write * between two factors (implicit multiplication)", null],
    ["a + min", "min is a function: call it as min(…)", 5],
    ["sqrt(a, b)", "sqrt takes 1 argument(s), not 2", 1],
    ["1 + 2", "a formula must read at least one metric key", null],
    ['a + "x"', 'only numbers may appear as constants; "x" is not one', 6],
    ["a + NaN", 'only numbers may appear as constants; "NaN" is not one', 5],
  ])("%s → %s at %s", (text, message, position) => {
    const r = parseFormula(text);
    expect(r.problem).toEqual({ message, position });
  });

  it.each(["a.constructor", "a[1]", "[a, 1]", "{x: a}", "a ? 1 : 2", "a; b", "1:a", "a'", "a!"])(
    "%s is rejected",
    (text) => {
      expect(parseFormula(text).formula).toBeNull();
    },
  );

  it("says where the problem is", () => {
    const r = parseFormula("a + foo(b)");
    expect(r.problem && describeProblem(r.problem)).toBe(
      "unknown function foo; a formula may call min, max, abs, round, sqrt (at character 5)",
    );
  });
});

describe("properties", () => {
  const hostile = fc.constantFrom(
    "constructor",
    "__proto__",
    "prototype",
    'import("fs")',
    'evaluate("1")',
    'parse("1")',
    "createUnit('x')",
    "simplify(a)",
    "derivative(a, a)",
    "f(x) = x",
    "a = 1",
    "this",
    "globalThis",
    "process.exit(1)",
    "a.constructor.constructor('return process')()",
    "__proto__.polluted = 1",
    "cos(a)",
  );
  const piece = fc.oneof(
    hostile,
    fc.constantFrom("a", "b", "1", "2.5", "+", "-", "*", "/", "(", ")", ",", "min(", "sqrt("),
  );

  it("parsing and evaluating any mix of pieces is deterministic and touches no globals", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.double({ noNaN: true }), (parts, v) => {
        const text = parts.join(" ");
        const protoKeys = Object.getOwnPropertyNames(Object.prototype).sort();
        const globals = Object.keys(globalThis).sort();
        const first = parseFormula(text);
        const second = parseFormula(text);
        expect(second.problem).toEqual(first.problem);
        if (first.formula) {
          const values = new Map(first.formula.references.map((k) => [k, v]));
          const a = evaluateFormula(first.formula, values);
          expect(evaluateFormula(first.formula, values)).toEqual(a);
          if (a.value !== null) expect(Number.isFinite(a.value)).toBe(true);
        }
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoKeys);
        expect(Object.keys(globalThis).sort()).toEqual(globals);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 400 },
    );
  });

  it("a hostile name is at most a metric key: it never reaches a function or a property", () => {
    for (const text of ["constructor", "__proto__ + 1", "toString * 2", "hasOwnProperty"]) {
      const r = parseFormula(text);
      expect(r.formula).not.toBeNull();
      const f = r.formula as NonNullable<typeof r.formula>;
      expect(evaluateFormula(f, new Map())).toMatchObject({ value: null });
      expect(evaluateFormula(f, new Map(f.references.map((k) => [k, 3])))).toMatchObject({
        value: expect.any(Number),
      });
    }
    for (const text of ['import("fs")', 'evaluate("1")', "a.constructor", "f(x) = x"]) {
      expect(parseFormula(text).formula).toBeNull();
    }
  });

  it("is linear where the formula is: scaling both inputs of a ratio changes nothing", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 1000 }),
        (a, b, k) => {
          const f = parsed("a / b * 100");
          const one = evaluateFormula(
            f,
            new Map([
              ["a", a],
              ["b", b],
            ]),
          ).value as number;
          const scaled = evaluateFormula(
            f,
            new Map([
              ["a", a * k],
              ["b", b * k],
            ]),
          ).value as number;
          expect(scaled).toBeCloseTo(one, 6);
        },
      ),
    );
  });
});

describe("the formula graph", () => {
  const library = [
    { key: "win_rate", formula: "won / pipeline * 100" },
    { key: "score", formula: "win_rate * 2 + csat" },
    { key: "other", formula: "csat / 2" },
  ];

  it("finds a formula that would read itself, directly or through others", () => {
    expect(findFormulaCycle(library, "won", ["won"])).toBe("won");
    expect(findFormulaCycle(library, "won", ["score"])).toBe("score");
    expect(findFormulaCycle(library, "won", ["csat"])).toBeNull();
    // The metric's own old formula does not count.
    expect(findFormulaCycle(library, "win_rate", ["won", "pipeline", "csat"])).toBeNull();
  });

  it("orders the formula metrics a change reaches, inputs first", () => {
    expect(derivationOrder(library, ["won"])).toEqual(["win_rate", "score"]);
    expect(derivationOrder(library, ["csat"])).toEqual(["score", "other"]);
    expect(derivationOrder(library, ["nothing"])).toEqual([]);
  });

  it("leaves out formula metrics on a cycle and those after it", () => {
    const looped = [...library, { key: "won", formula: "score / 2" }];
    expect(derivationOrder(looped, ["csat"])).toEqual(["other"]);
  });
});

describe("the trace in a derived measurement's note", () => {
  it("round-trips and rejects other notes", () => {
    const trace = {
      formula: "a / b",
      inputs: [{ metricKey: "a", measurementId: "m1", value: 3 }],
    };
    expect(decodeFormulaTrace(encodeFormulaTrace(trace))).toEqual(trace);
    expect(decodeFormulaTrace("check-in on goal X")).toBeNull();
    expect(decodeFormulaTrace('{"formula": 1}')).toBeNull();
  });
});
