import { describe, expect, it } from "vitest";
import type { Actor, Role } from "../../actor.ts";
import { can, type PersonAction } from "./people.policy.ts";

const actor = (...roles: Role[]): Actor => ({ orgId: "o", personId: "p", roles, unitId: null });

const CASES: [Role[], PersonAction, boolean][] = [
  [["admin"], "read", true],
  [["admin"], "create", true],
  [["admin"], "update", true],
  [["admin"], "manage_admin", true],
  [["performance_office", "employee"], "read", true],
  [["performance_office", "employee"], "create", true],
  [["performance_office", "employee"], "update", true],
  [["performance_office", "employee"], "manage_admin", false],
  [["executive"], "read", true],
  [["executive"], "create", false],
  [["executive"], "manage_admin", false],
  [["manager", "employee"], "update", false],
  [["employee"], "read", true],
  [["employee"], "create", false],
  [["data_steward"], "update", false],
  [["auditor"], "read", true],
  [["auditor"], "create", false],
  [["auditor"], "update", false],
  [["auditor"], "manage_admin", false],
];

describe("people policy", () => {
  it.each(CASES)("%j may %s: %s", (roles, action, expected) => {
    expect(can(actor(...roles), action)).toBe(expected);
  });
});
