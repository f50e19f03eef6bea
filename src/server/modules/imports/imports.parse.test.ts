import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type FileRow, readFileRows } from "./imports.parse.ts";

const dir = mkdtempSync(join(tmpdir(), "yardstick-parse-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rowsOf(name: string, content: Buffer | string): Promise<FileRow[]> {
  const path = join(dir, name);
  writeFileSync(path, content);
  const rows: FileRow[] = [];
  for await (const row of readFileRows(path, "csv")) rows.push(row);
  return rows;
}

describe("readFileRows (CSV): each row's number is the line it starts on", () => {
  it("counts a line break inside a quoted cell once, as the file does, whether it is \\r\\n or \\n", async () => {
    const rows = await rowsOf(
      "breaks.csv",
      'metric,note\r\na,"two\r\nlines"\r\nb,plain\r\nc,"three\nmore\nlines"\r\nd,last\r\n',
    );
    expect(rows.map((r) => [r.rowNumber, r.cells[0]])).toEqual([
      [1, "metric"],
      [2, "a"],
      [4, "b"],
      [5, "c"],
      [8, "d"],
    ]);
    expect(rows[1]?.cells[1]).toBe("two\r\nlines");
  });

  it("skips empty lines but counts them", async () => {
    const rows = await rowsOf("empty-lines.csv", "metric,value\n\na,1\n\n\nb,2\n\n");
    expect(rows.map((r) => [r.rowNumber, r.cells])).toEqual([
      [1, ["metric", "value"]],
      [3, ["a", "1"]],
      [6, ["b", "2"]],
    ]);
  });

  it("marks the row holding bytes that are not UTF-8, after a quoted cell over two lines", async () => {
    const content = Buffer.concat([
      Buffer.from('metric,note\r\na,"x\r\ny"\r\nb,'),
      Buffer.from([0x63, 0x61, 0x66, 0xe9]), // "café" in Latin-1
      Buffer.from("\r\nc,fine\r\n"),
    ]);
    const rows = await rowsOf("latin1.csv", content);
    expect(rows.map((r) => [r.rowNumber, r.cells[0], r.badEncoding ?? false])).toEqual([
      [1, "metric", false],
      [2, "a", false],
      [4, "b", true],
      [5, "c", false],
    ]);
  });
});
