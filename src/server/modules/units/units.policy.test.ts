import { describe, expect, it } from "vitest";
import type { Actor, Role } from "../../actor.ts";
import { can, type UnitAction } from "./units.policy.ts";

const actor = (...roles: Role[]): Actor => ({ orgId: "o", personId: "p", roles, unitId: null });

const CASES: [Role[], UnitAction, boolean][] = [
  [["admin"], "read", true],
  [["admin"], "create", true],
  [["admin"], "update", true],
  [["performance_office"], "create", true],
  [["performance_office"], "update", true],
  [["executive", "employee"], "read", true],
  [["executive", "employee"], "create", false],
  [["manager"], "update", false],
  [["employee"], "read", true],
  [["employee"], "create", false],
  [["data_steward"], "update", false],
  [["auditor"], "read", true],
  [["auditor"], "update", false],
  [[], "read", true],
  [[], "create", false],
];

describe("units policy", () => {
  it.each(CASES)("%j may %s: %s", (roles, action, expected) => {
    expect(can(actor(...roles), action)).toBe(expected);
  });
});
