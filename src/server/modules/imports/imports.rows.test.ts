import { describe, expect, it } from "vitest";
import { Utf8LineCheck } from "./imports.parse.ts";
import {
  csvField,
  dateFault,
  escapeFormula,
  fitMapping,
  guessMapping,
  mappingFaults,
  parseNumber,
  readRow,
} from "./imports.rows.ts";

describe("guessMapping", () => {
  it.each([
    [
      ["Metric", "Person e-mail", "Date", "Amount"],
      { metric: "Metric", scope: "Person e-mail", periodStart: "Date", value: "Amount" },
    ],
    [
      ["kpi_key", "unit", "period_start", "period_end", "value", "notes"],
      {
        metric: "kpi_key",
        scope: "unit",
        periodStart: "period_start",
        periodEnd: "period_end",
        value: "value",
        note: "notes",
      },
    ],
    [["when", "how much"], { periodStart: null, value: null }],
  ])("%j", (headers, expected) => {
    expect(guessMapping(headers)).toMatchObject(expected);
  });

  it("a remembered mapping keeps the columns this file has and guesses the rest", () => {
    expect(
      fitMapping({ metric: "KPI", value: "Gone", metricKey: null }, ["KPI", "date", "value"]),
    ).toMatchObject({
      metric: "KPI",
      periodStart: "date",
      value: "value",
    });
  });

  it("names every required field without a column", () => {
    expect(mappingFaults({ periodStart: null, value: "v" }, ["v"]).map((f) => f.column)).toEqual([
      "metric",
      "periodStart",
    ]);
    expect(mappingFaults({ metricKey: "k", periodStart: "d", value: "x" }, ["d"])).toEqual([
      { column: "x", message: 'the file has no column "x" (mapped to value)' },
    ]);
  });
});

describe("cells", () => {
  it.each([
    ["12", 12],
    [" -3.5 ", -3.5],
    ["1e3", 1000],
    [".5", 0.5],
    ["1,234", undefined],
    ["12 kg", undefined],
    ["", undefined],
    ["NaN", undefined],
    ["Infinity", undefined],
  ])("parseNumber(%j) = %j", (text, n) => expect(parseNumber(text)).toBe(n));

  it.each([
    ["2026-02-28", undefined],
    ["2024-02-29", undefined],
    ["2026-02-30", "2026-02-30 is not a date that exists"],
    ["2025-02-29", "2025-02-29 is not a date that exists"],
    ["2026-13-01", "2026-13-01 is not a date that exists"],
    ["01/02/2026", '"01/02/2026" is not a date; write dates as YYYY-MM-DD'],
  ])("dateFault(%j)", (text, fault) => expect(dateFault(text)).toBe(fault));

  it.each([
    ["=SUM(A1)", "'=SUM(A1)"],
    ["+1", "'+1"],
    ["-1", "'-1"],
    ["@x", "'@x"],
    ["\tx", "'\tx"],
    ["plain", "plain"],
  ])("escapeFormula(%j)", (text, out) => expect(escapeFormula(text)).toBe(out));

  it("quotes CSV fields after escaping", () => {
    expect(csvField('=a,"b"')).toBe(`"'=a,""b"""`);
  });
});

describe("readRow", () => {
  const headers = ["m", "d", "v", "s"];
  const index = new Map(headers.map((h, i) => [h, i]));
  const mapping = { metric: "m", periodStart: "d", value: "v", scope: "s" };
  it("reads a row with its defaults", () => {
    expect(readRow(["k", "2026-01-02", "4.5", ""], index, mapping, { source: "crm" })).toEqual({
      row: {
        metric: "k",
        scopeType: null,
        scope: "",
        periodStart: "2026-01-02",
        periodEnd: "2026-01-02",
        value: 4.5,
        source: "crm",
        note: "",
      },
      faults: [],
    });
  });
  it("names each faulty cell's column", () => {
    expect(readRow(["", "2026-02-30", "x"], index, mapping, { source: "crm" }).faults).toEqual([
      { column: "m", message: "missing value: metric is empty" },
      { column: "d", message: "2026-02-30 is not a date that exists" },
      {
        column: "v",
        message:
          'text in a number column: "x" is not a number (write e.g. 1234.5, without units or separators)',
      },
    ]);
  });
});

describe("Utf8LineCheck", () => {
  const bad = async (...chunks: Buffer[]) => {
    const check = new Utf8LineCheck();
    for (const c of chunks) check.write(c);
    check.end();
    for await (const _ of check) {
      // drain
    }
    return [...check.badLines];
  };
  it("accepts UTF-8, even split across chunks", async () => {
    const text = Buffer.from("a\ncafé\n€\n𝄞\n");
    expect(await bad(text.subarray(0, 6), text.subarray(6))).toEqual([]);
  });
  it("names the lines with Latin-1 bytes or a cut-off sequence", async () => {
    expect(
      await bad(Buffer.from("ok\n"), Buffer.from([0x63, 0xe9, 0x0a, 0x6f, 0x6b, 0x0a, 0xe2, 0x82])),
    ).toEqual([2, 4]);
  });
});
