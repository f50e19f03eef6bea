import { UUID } from "uuidv7";
import { describe, expect, it } from "vitest";
import { newRowId } from "./ids.ts";

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("newRowId", () => {
  it("makes RFC 9562 version-7 ids, each greater than the one before, none repeated", () => {
    const ids = Array.from({ length: 100_000 }, newRowId);
    expect(ids.filter((id) => !V7.test(id))).toEqual([]);
    expect(ids.filter((id, i) => i > 0 && (ids[i - 1] as string) >= id)).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    // the library reads them back as version 7, variant RFC 9562
    const parsed = UUID.parse(ids[0] as string);
    expect([parsed.getVariant(), parsed.getVersion()]).toEqual(["VAR_10", 7]);
  });

  it("starts with the current time in milliseconds", () => {
    const before = Date.now();
    const id = newRowId();
    const after = Date.now();
    const ms = Number.parseInt(id.replace(/-/g, "").slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after);
  });
});
