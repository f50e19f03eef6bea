import { describe, expect, it } from "vitest";
import type { Actor, Role } from "../../actor.ts";
import { canRunMissingDataCheck, missingDataScope } from "./measurements.missing-data.policy.ts";

const as = (...roles: Role[]): Actor => ({ orgId: "o", personId: "p", roles, unitId: null });

describe("missing-data policy", () => {
  it.each([
    [["admin"], "all", true],
    [["performance_office", "employee"], "all", true],
    [["auditor"], "all", false],
    [["data_steward", "employee"], "stewarded", true],
    [["executive", "employee"], "none", false],
    [["manager", "employee"], "none", false],
    [["employee"], "none", false],
  ] as const)("%j sees %s, runs the check: %s", (roles, scope, runs) => {
    expect(missingDataScope(as(...roles))).toBe(scope);
    expect(canRunMissingDataCheck(as(...roles))).toBe(runs);
  });
});
