import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type DigestedRow, digestRows } from "./measurements.digest.ts";

const row = (id: string, over: Partial<DigestedRow> = {}): DigestedRow => ({
  id,
  metricId: "m1",
  scopeType: "person",
  scopeId: "p1",
  periodStart: "2026-03-01",
  periodEnd: "2026-03-31",
  value: 12.5,
  supersedesId: null,
  source: "import",
  note: "",
  ...over,
});

describe("digestRows", () => {
  it("is the SHA-256 of one tab-separated line per row, in id order", () => {
    const lines =
      'a\tm1\tperson\tp1\t2026-03-01\t2026-03-31\t12.5\t\t"import"\t""\n' +
      'b\tm1\tperson\tp1\t2026-04-01\t2026-04-30\t-3\ta\t"api"\t"late \\"fix\\""\n';
    const expected = createHash("sha256").update(lines).digest("hex");
    const rows = [
      row("b", {
        periodStart: "2026-04-01",
        periodEnd: "2026-04-30",
        value: -3,
        supersedesId: "a",
        source: "api",
        note: 'late "fix"',
      }),
      row("a"),
    ];
    expect(digestRows(rows)).toEqual({ count: 2, firstId: "a", lastId: "b", sha256: expected });
  });

  it("changes when any covered field changes, and a tab in a note cannot pass for a field boundary", () => {
    const base = digestRows([row("a")])?.sha256;
    const changes: Partial<DigestedRow>[] = [
      { metricId: "m2" },
      { scopeType: "unit" },
      { scopeId: "p2" },
      { periodStart: "2026-03-02" },
      { periodEnd: "2026-03-30" },
      { value: 12.50001 },
      { supersedesId: "z" },
      { source: "api" },
      { note: "x" },
    ];
    const digests = changes.map((c) => digestRows([row("a", c)])?.sha256);
    for (const d of digests) expect(d).not.toBe(base);
    expect(new Set(digests).size).toBe(changes.length);
    expect(digestRows([row("a", { source: "x\t", note: "" })])?.sha256).not.toBe(
      digestRows([row("a", { source: "x", note: "\t" })])?.sha256,
    );
  });

  it("is null for no rows", () => {
    expect(digestRows([])).toBeNull();
  });
});
