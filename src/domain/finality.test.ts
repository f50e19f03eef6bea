import { describe, expect, it } from "vitest";
import { isProvisional } from "./finality.ts";

describe("isProvisional", () => {
  // March's value, a 10-day finality lag: provisional through 10 April, final from 11 April.
  const march = { periodEnd: "2026-03-31", writtenProvisional: true };
  const lag10 = { finalityLagDays: 10, closedThrough: null };
  it.each([
    ["2026-04-01", true],
    ["2026-04-10", true],
    ["2026-04-11", false],
  ])("on %s: %s", (today, expected) => {
    expect(isProvisional(march, lag10, today)).toBe(expected);
  });

  it("is final once the steward closes the periods through its end, even within the lag", () => {
    expect(isProvisional(march, { finalityLagDays: 10, closedThrough: "2026-03-31" }, "2026-04-02")).toBe(
      false,
    );
    expect(isProvisional(march, { finalityLagDays: 10, closedThrough: "2026-03-30" }, "2026-04-02")).toBe(
      true,
    );
  });

  it("a value written as final stays final", () => {
    expect(isProvisional({ ...march, writtenProvisional: false }, lag10, "2026-04-01")).toBe(false);
  });
});
