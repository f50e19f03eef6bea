import { describe, expect, it } from "vitest";
import { Utf8LineCheck } from "./imports.parse.ts";
import {
  csvField,
  escapeFormula,
  fitMapping,
  guessMapping,
  mappingFaults,
  parseNumber,
  readDate,
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
    ["2026-02-28", "UTC", { date: "2026-02-28" }],
    ["2024-02-29", "UTC", { date: "2024-02-29" }],
    ["2026-02-30", "UTC", { fault: "2026-02-30 is not a date that exists" }],
    ["2025-02-29", "UTC", { fault: "2025-02-29 is not a date that exists" }],
    ["2026-13-01", "UTC", { fault: "2026-13-01 is not a date that exists" }],
    [
      "01/02/2026",
      "UTC",
      {
        fault:
          '"01/02/2026" is not a time; write a date (2026-03-31), a local date-time (2026-03-31T14:30) or an instant with offset (2026-03-31T14:30:00Z, 2026-03-31T14:30:00+02:00)',
      },
    ],
    // a local date-time and an instant, read in the organisation's zone
    ["2026-03-31T14:30", "Europe/Amsterdam", { date: "2026-03-31" }],
    ["2026-03-31T23:30:00Z", "Europe/Amsterdam", { date: "2026-04-01" }],
    ["2026-03-31T23:30:00Z", "America/New_York", { date: "2026-03-31" }],
    [
      "2026-03-29T02:30",
      "Europe/Amsterdam",
      {
        fault:
          "2026-03-29T02:30 does not exist in Europe/Amsterdam: the clocks skip it (daylight saving time starts); give the time after the change or an instant with offset",
      },
    ],
  ])("readDate(%j, %s)", (text, zone, out) => expect(readDate(text, zone)).toEqual(out));

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
  it("reads date cells in the organisation's zone: an instant after 22:00Z is the next day in Amsterdam", () => {
    const m = { ...mapping, periodEnd: "e" };
    const i = new Map([...index, ["e", 4]]);
    const cells = ["k", "2026-03-31T23:30:00Z", "1", "", "2026-04-30T12:00"];
    expect(readRow(cells, i, m, { source: "crm", timeZone: "Europe/Amsterdam" }).row).toMatchObject({
      periodStart: "2026-04-01",
      periodEnd: "2026-04-30",
    });
    expect(readRow(cells, i, m, { source: "crm" }).row).toMatchObject({
      periodStart: "2026-03-31",
      periodEnd: "2026-04-30",
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
