import { describe, expect, it } from "vitest";
import { parseStoredRules } from "./stored-rules.ts";

describe("parseStoredRules", () => {
  it("reads the current shape rule by rule", () => {
    const rules = {
      range: { min: 0, max: 100, action: "quarantine" },
      stepChange: { maxPercent: 20, action: "flag" },
      frequency: { maxMissingPeriods: 1, action: "flag" },
      duplicate: { action: "quarantine" },
      unitSanity: { action: "off" },
      outlier: { threshold: 3, action: "quarantine" },
    };
    expect(parseStoredRules(rules)).toEqual(rules);
  });
  it("leaves out what does not fit", () => {
    expect(
      parseStoredRules({ range: { min: "0", max: 5, action: "flag" }, outlier: { action: "maybe" } }),
    ).toEqual({
      range: { max: 5, action: "flag" },
    });
    expect(parseStoredRules(null)).toEqual({});
    expect(parseStoredRules([1])).toEqual({});
  });
  it("reads the flat shape of earlier releases as flagging rules", () => {
    expect(parseStoredRules({ min: 0, max: 100, maxJumpRobustZ: 4 })).toEqual({
      range: { min: 0, max: 100, action: "flag" },
      outlier: { threshold: 4, action: "flag" },
    });
  });
});
