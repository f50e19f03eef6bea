import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ancestorsOf, descendantsOf, type Edge, topologicalOrder, wouldCreateCycle } from "./dag.ts";

// a → b → c (a supports b, b supports c), d → c
const edges: Edge[] = [
  { child: "a", parent: "b" },
  { child: "b", parent: "c" },
  { child: "d", parent: "c" },
];

describe("wouldCreateCycle", () => {
  it.each([
    ["a self-loop", { child: "a", parent: "a" }, true],
    ["c → a closes a → b → c", { child: "c", parent: "a" }, true],
    ["b → a reverses an edge", { child: "b", parent: "a" }, true],
    ["a → c is a shortcut, not a cycle", { child: "a", parent: "c" }, false],
    ["a → d joins two branches", { child: "a", parent: "d" }, false],
    ["an unrelated goal", { child: "x", parent: "a" }, false],
    ["a self-loop on an unknown goal", { child: "x", parent: "x" }, true],
  ])("%s → %s", (_name, edge, cycle) => {
    expect(wouldCreateCycle(edges, edge)).toBe(cycle);
  });
});

describe("topologicalOrder, ancestorsOf, descendantsOf", () => {
  it("puts children first, keeps input order among ready nodes, ignores unknown nodes", () => {
    const order = topologicalOrder(["c", "b", "a", "d", "a"], [...edges, { child: "zz", parent: "c" }]);
    expect(order).toEqual(["a", "d", "b", "c"]);
  });

  it("throws on a cycle, naming the goals on it", () => {
    expect(() => topologicalOrder(["a", "b", "c"], [...edges, { child: "c", parent: "a" }])).toThrow(
      /cycle.*a, b, c/,
    );
  });

  it("walks up and down", () => {
    expect(ancestorsOf(edges, "a")).toEqual(new Set(["b", "c"]));
    expect(ancestorsOf(edges, "c")).toEqual(new Set());
    expect(descendantsOf(edges, "c")).toEqual(new Set(["a", "b", "d"]));
    expect(descendantsOf(edges, "b")).toEqual(new Set(["a"]));
  });
});

describe("properties on random DAGs", () => {
  // Goals 0..n-1; an edge always points from a higher-numbered child to a lower-numbered parent,
  // so the graph is acyclic by construction.
  const dag = fc.integer({ min: 2, max: 25 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      edges: fc.uniqueArray(
        fc
          .tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }))
          .filter(([x, y]) => x !== y)
          .map(([x, y]) => ({ child: `g${Math.max(x, y)}`, parent: `g${Math.min(x, y)}` })),
        { maxLength: 60, selector: (e) => `${e.child}>${e.parent}` },
      ),
    }),
  );

  it("every edge from an ancestor back down to its descendant closes a cycle", () => {
    fc.assert(
      fc.property(dag, fc.nat(), ({ n, edges: es }, pick) => {
        const x = `g${pick % n}`;
        for (const ancestor of ancestorsOf(es, x)) {
          expect(wouldCreateCycle(es, { child: ancestor, parent: x })).toBe(true);
        }
      }),
    );
  });

  it("an edge closes a cycle exactly when the child is the parent or already above it", () => {
    fc.assert(
      fc.property(dag, fc.nat(), fc.nat(), ({ n, edges: es }, i, j) => {
        const child = `g${i % n}`;
        const parent = `g${j % n}`;
        const expected = child === parent || ancestorsOf(es, parent).has(child);
        expect(wouldCreateCycle(es, { child, parent })).toBe(expected);
      }),
    );
  });

  it("topologicalOrder lists every node once with each child before its parents", () => {
    fc.assert(
      fc.property(dag, fc.func(fc.integer()), ({ n, edges: es }, shuffleKey) => {
        const nodes = Array.from({ length: n }, (_, i) => `g${i}`).sort(
          (a, b) => shuffleKey(a) - shuffleKey(b),
        );
        const order = topologicalOrder(nodes, es);
        expect([...order].sort()).toEqual([...nodes].sort());
        const position = new Map(order.map((id, i) => [id, i]));
        for (const e of es) expect(position.get(e.child)).toBeLessThan(position.get(e.parent) as number);
      }),
    );
  });
});
