import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp, type TestPerson } from "../../testing/test-app.ts";
import type { Import, ImportProblem } from "./imports.schema.ts";

process.env.YARDSTICK_IMPORT_DIR = mkdtempSync(join(tmpdir(), "yardstick-imports-test-"));

type Page<T> = { items: T[]; nextCursor: string | null };

let t: TestApp;
let metricId: string;

const upload = (
  who: TestPerson | null,
  body: string | Buffer,
  query: Record<string, string> = {},
  type = "text/csv",
) =>
  t.call<Import & { detail?: string; errors?: { field: string; message: string }[] }>(who, {
    method: "POST",
    url: `/api/v1/imports?${new URLSearchParams({ fileName: "values.csv", ...query })}`,
    headers: { "content-type": type },
    payload: body,
  });

const problems = async (id: string) =>
  (
    await t.call<Page<ImportProblem>>("hr", {
      method: "GET",
      url: `/api/v1/imports/${id}/problems?limit=200`,
    })
  ).body.items;

async function commitAndWait(id: string, skipInvalid: boolean): Promise<Import> {
  const res = await t.call<Import>("hr", {
    method: "POST",
    url: `/api/v1/imports/${id}/commit`,
    payload: { skipInvalid },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  for (let i = 0; i < 200; i++) {
    const got = await t.call<Import>("hr", { method: "GET", url: `/api/v1/imports/${id}` });
    if (got.body.status !== "running") return got.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the import did not finish");
}

const values = async () =>
  (
    await t.call<Page<{ periodStart: string; value: number; source: string; scopeType: string }>>("hr", {
      method: "GET",
      url: `/api/v1/metrics/${metricId}/measurements?limit=200`,
    })
  ).body.items;

beforeAll(async () => {
  t = await createTestApp();
  const made = await t.call<{ id: string }>("admin", {
    method: "POST",
    url: "/api/v1/metrics",
    payload: {
      key: "calls_made",
      name: "Calls made",
      unit: "count",
      direction: "increase",
      indicatorType: "leading",
      aggregation: "sum",
      stewardId: t.org.people.steward,
    },
  });
  metricId = made.body.id;
});
afterAll(() => t.close());

describe("POST /imports: who may upload", () => {
  it("401 without a session, 403 for an employee", async () => {
    expect((await upload(null, "metric,date,value\n")).status).toBe(401);
    const res = await upload("employee", "metric,date,value\ncalls_made,2026-06-01,3\n");
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain("data stewards import measurements");
  });

  it("413 past the size limit, with a problem that says the limit", async () => {
    process.env.YARDSTICK_IMPORT_MAX_BYTES = "1024";
    try {
      const res = await upload("hr", `metric,date,value\n${"calls_made,2026-06-01,3\n".repeat(100)}`);
      expect(res.status).toBe(413);
      expect(res.body.detail).toContain("larger than the limit");
      expect(res.headers["content-type"]).toContain("application/problem+json");
    } finally {
      delete process.env.YARDSTICK_IMPORT_MAX_BYTES;
    }
  });
});

describe("dry run: every row's problem, named by row and column", () => {
  let imp: Import;
  beforeAll(async () => {
    const csv = [
      "metric,scope,date,value,note",
      "calls_made,,2026-06-01,10,good", // row 2
      "calls_made,,2026-06-02,ten,", // row 3: text in a number column
      "calls_made,,2026-02-30,4,", // row 4: a date that does not exist
      "no_such_kpi,,2026-06-03,5,", // row 5: unknown metric
      "calls_made,nobody@test.example,2026-06-04,6,", // row 6: unknown person
      "calls_made,,2026-06-01,11,", // row 7: duplicate of row 2
      "calls_made,employee@test.example,2026-06-05,7,", // row 8: good, person scope
      "calls_made,Sales team,2026-06-06,8,", // row 9: good, unit by name
      "calls_made,,2026-06-07,,", // row 10: missing value
      "=HYPERLINK(1),,2026-06-08,1,", // row 11: unknown metric that looks like a formula
    ].join("\n");
    const res = await upload("hr", csv, { sourceName: "crm" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    imp = res.body;
  });

  it("detects the columns, guesses the mapping and reads the first rows", () => {
    expect(imp.columns).toEqual(["metric", "scope", "date", "value", "note"]);
    expect(imp.mapping).toMatchObject({
      metric: "metric",
      scope: "scope",
      periodStart: "date",
      value: "value",
      note: "note",
    });
    expect(imp.totalRows).toBe(10);
    expect(imp.validRows).toBe(3);
    expect(imp.problemRows).toBe(7);
    expect(imp.sample[0]).toMatchObject({
      rowNumber: 2,
      read: {
        metric: "calls_made",
        periodStart: "2026-06-01",
        periodEnd: "2026-06-01",
        value: 10,
        source: "crm",
      },
    });
    expect(imp.sample[1]?.read).toBeNull();
  });

  it("lists each problem with its row and column", async () => {
    const found = (await problems(imp.id)).map((p) => `${p.rowNumber} ${p.column}: ${p.message}`);
    expect(found).toEqual([
      '3 value: text in a number column: "ten" is not a number (write e.g. 1234.5, without units or separators)',
      "4 date: 2026-02-30 is not a date that exists",
      '5 metric: no metric with key or id "no_such_kpi" in the KPI library',
      '6 scope: no person (id or e-mail) or unit (id or name) like this in the organisation: "nobody@test.example"',
      "7 date: duplicate key: row 2 already has a value for calls_made, this scope and period 2026-06-01..2026-06-01",
      "10 value: missing value: value is empty",
      '11 metric: no metric with key or id "=HYPERLINK(1)" in the KPI library',
    ]);
  });

  it("downloads the problems as CSV with formulas escaped", async () => {
    const res = await t.app.inject({
      method: "GET",
      url: `/api/v1/imports/${imp.id}/problems.csv`,
      headers: t.as("hr"),
    });
    expect(res.headers["content-type"]).toContain("text/csv");
    const lines = res.body.trim().split("\r\n");
    expect(lines[0]).toBe("row,column,problem");
    expect(lines).toHaveLength(8);
    expect(lines[2]).toBe("4,date,2026-02-30 is not a date that exists");
    // a column named like a formula is neutralised in the download
    const res2 = await upload("hr", "metric,date,+amount\ncalls_made,2026-06-01,x\n");
    const csv = await t.app.inject({
      method: "GET",
      url: `/api/v1/imports/${res2.body.id}/problems.csv`,
      headers: t.as("hr"),
    });
    expect(csv.body.split("\r\n")[1]).toMatch(/^2,'\+amount,"text in a number column/);
  });

  it("refuses to commit with problems unless told to leave them out; then writes the rest", async () => {
    const refused = await t.call<{ errors: { field: string; message: string }[] }>("hr", {
      method: "POST",
      url: `/api/v1/imports/${imp.id}/commit`,
      payload: {},
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0]?.message).toContain("7 of 10 rows have problems");
    expect(await values()).toEqual([]);
    const done = await commitAndWait(imp.id, true);
    expect(done.status).toBe("done");
    expect(done.outcome).toEqual({ accepted: 3, flagged: 0, quarantined: 0, rejected: 7 });
    expect(done.progress).toEqual({ rowsDone: 10, totalRows: 10, chunksDone: 1 });
    const org = await values();
    expect(org.map((m) => [m.periodStart, m.value, m.source])).toEqual([["2026-06-01", 10, "crm"]]);
    const person = await t.call<Page<{ value: number }>>("hr", {
      method: "GET",
      url: `/api/v1/metrics/${metricId}/measurements?scopeType=person&scopeId=${t.org.people.employee}`,
    });
    expect(person.body.items.map((m) => m.value)).toEqual([7]);
    expect((await problems(imp.id)).map((p) => p.rowNumber)).toEqual([3, 4, 5, 6, 7, 10, 11]);
    const again = await t.call("hr", {
      method: "POST",
      url: `/api/v1/imports/${imp.id}/commit`,
      payload: { skipInvalid: true },
    });
    expect(again.status).toBe(409);
  });

  it("a value already recorded for a period is refused at the commit, the other rows are written", async () => {
    const res = await upload("hr", "metric,date,value\ncalls_made,2026-06-01,99\ncalls_made,2026-05-31,5\n");
    expect(res.body.validRows).toBe(2);
    const done = await commitAndWait(res.body.id, false);
    expect(done.outcome).toMatchObject({ accepted: 1, rejected: 1 });
    const [p] = await problems(res.body.id);
    expect(p).toMatchObject({ rowNumber: 2, column: "date" });
    expect(p?.message).toContain("already recorded");
    expect((await values()).map((m) => [m.periodStart, m.value])).toEqual([
      ["2026-06-01", 10],
      ["2026-05-31", 5],
    ]);
  });
});

describe("file faults", () => {
  it("a missing column: named on the header row, nothing can be committed", async () => {
    const res = await upload("hr", "metric,date,amount_usd\ncalls_made,2026-06-01,3\n");
    expect(res.body.error).toContain("missing column: no column is mapped to value");
    expect((await problems(res.body.id)).map((p) => [p.rowNumber, p.column])).toEqual([[1, "value"]]);
    const commit = await t.call("hr", {
      method: "POST",
      url: `/api/v1/imports/${res.body.id}/commit`,
      payload: { skipInvalid: true },
    });
    expect(commit.status).toBe(400);
  });

  it("wrong encoding: the row with bytes that are not UTF-8 is named with its column; the others are read", async () => {
    const file = Buffer.concat([
      Buffer.from("\uFEFFmetric,date,value,note\ncalls_made,2026-04-01,1,caf\u00e9\n"),
      Buffer.from("calls_made,2026-04-02,2,caf"),
      Buffer.from([0xe9]), // Latin-1 é
      Buffer.from("\ncalls_made,2026-04-03,3,ok\n"),
    ]);
    const res = await upload("hr", file);
    expect(res.body.columns).toEqual(["metric", "date", "value", "note"]);
    expect(res.body.validRows).toBe(2);
    expect(await problems(res.body.id)).toEqual([
      {
        rowNumber: 3,
        column: "note",
        message: "line 3 is not valid UTF-8 (wrong encoding?): save the file as UTF-8 and upload it again",
      },
    ]);
  });

  it("an XLSX file: dates and numbers from cells; the mapping is remembered for its source", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Data");
    ws.addRow(["KPI code", "Day", "Amount", "Who"]);
    ws.addRow(["calls_made", new Date(Date.UTC(2026, 2, 1)), 12.5, "steward@test.example"]);
    ws.addRow(["calls_made", "2026-03-02", 13, "Operations"]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    const first = await upload("hr", buf, { fileName: "book.xlsx", sourceName: "erp" }, type);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.format).toBe("xlsx");
    expect(first.body.mapping).toMatchObject({
      metric: null,
      periodStart: "Day",
      value: "Amount",
      scope: "Who",
    });
    const remapped = await t.call<Import>("hr", {
      method: "POST",
      url: `/api/v1/imports/${first.body.id}/preview`,
      payload: { ...first.body.mapping, metric: "KPI code" },
    });
    expect(remapped.body.validRows).toBe(2);
    expect(remapped.body.sample.map((s) => s.read?.periodStart)).toEqual(["2026-03-01", "2026-03-02"]);
    expect(remapped.body.sample.map((s) => s.read?.value)).toEqual([12.5, 13]);
    const done = await commitAndWait(first.body.id, false);
    expect(done.outcome.accepted).toBe(2);
    // the next file from the same source starts with the mapping used last time
    const ws2 = new ExcelJS.Workbook();
    ws2.addWorksheet("Data").addRow(["KPI code", "Day", "Amount", "Who"]);
    const second = await upload("hr", Buffer.from(await ws2.xlsx.writeBuffer()), { sourceName: "erp" }, type);
    expect(second.body.mapping).toMatchObject({
      metric: "KPI code",
      periodStart: "Day",
      value: "Amount",
      scope: "Who",
    });
  });
});

describe("reading imports", () => {
  it("lists your own imports, newest first; another person's import is not found", async () => {
    const mine = await upload("steward", "metric,date,value\ncalls_made,2026-01-01,1\n");
    expect(mine.status).toBe(201);
    const list = await t.call<Page<Import>>("steward", { method: "GET", url: "/api/v1/imports" });
    expect(list.body.items.map((i) => i.id)).toEqual([mine.body.id]);
    const all = await t.call<Page<Import>>("auditor", { method: "GET", url: "/api/v1/imports?limit=2" });
    expect(all.body.items[0]?.id).toBe(mine.body.id);
    expect(all.body.nextCursor).not.toBeNull();
    const other = await t.call("manager", { method: "GET", url: `/api/v1/imports/${mine.body.id}` });
    expect(other.status).toBe(404);
  });
});
