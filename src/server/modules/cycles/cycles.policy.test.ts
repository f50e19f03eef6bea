import { describe, expect, it } from "vitest";
import type { Actor, Role } from "../../actor.ts";
import { type CycleAction, can, canChangeDates, canMovePhase, nextPhase } from "./cycles.policy.ts";
import { CYCLE_PHASES, type CyclePhase } from "./cycles.schema.ts";

const actor = (...roles: Role[]): Actor => ({ orgId: "o", personId: "p", roles, unitId: null });

const CASES: [Role[], CycleAction, boolean][] = [
  [["admin"], "read", true],
  [["admin"], "create", true],
  [["admin"], "update", true],
  [["performance_office"], "create", true],
  [["performance_office"], "update", true],
  [["executive"], "read", true],
  [["executive"], "update", false],
  [["manager"], "create", false],
  [["employee"], "read", true],
  [["employee"], "update", false],
  [["auditor"], "read", true],
  [["auditor"], "create", false],
];

describe("cycles policy", () => {
  it.each(CASES)("%j may %s: %s", (roles, action, expected) => {
    expect(can(actor(...roles), action)).toBe(expected);
  });

  const NEXT: [CyclePhase, CyclePhase | null][] = [
    ["planning", "active"],
    ["active", "locked"],
    ["locked", "evaluating"],
    ["evaluating", "closed"],
    ["closed", null],
  ];
  it.each(NEXT)("after %s comes %s", (from, to) => {
    expect(nextPhase(from)).toBe(to);
  });

  it("allows exactly one step forward from every phase, never back, never a skip, never in place", () => {
    for (const [i, from] of CYCLE_PHASES.entries()) {
      for (const [j, to] of CYCLE_PHASES.entries()) {
        expect(canMovePhase(from, to), `${from} → ${to}`).toBe(j === i + 1);
      }
    }
  });

  it.each(CYCLE_PHASES.map((p) => [p, p === "planning"] as const))("dates change in %s: %s", (p, ok) => {
    expect(canChangeDates(p)).toBe(ok);
  });
});
