import { describe, expect, it } from "vitest";
import type { Actor, Role } from "../../actor.ts";
import {
  abilitiesFor,
  canCreateGoal,
  canManageGoal,
  canMove,
  canOverrideSmart,
  TRANSITIONS,
} from "./goals.policy.ts";
import { GOAL_STATES, type GoalLevel, type GoalState } from "./goals.schema.ts";
import { definitionErrors } from "./goals.validate.ts";

const ME = "me";
const actor = (...roles: Role[]): Actor => ({ orgId: "org", personId: ME, roles, unitId: null });

type Case = {
  who: Role[];
  owner: "self" | "report" | "other";
  level: GoalLevel;
  create: boolean;
  manage: boolean;
};

const facts = (c: Case, state: GoalState = "draft") => ({
  ownerId: c.owner === "self" ? ME : "someone",
  level: c.level,
  state,
  ownerReportsToActor: c.owner === "report",
});

// prettier-ignore
const CASES: Case[] = [
  { who: ["admin"], owner: "other", level: "individual", create: true, manage: true },
  { who: ["admin"], owner: "other", level: "company", create: true, manage: true },
  { who: ["performance_office"], owner: "other", level: "company", create: true, manage: true },
  { who: ["executive"], owner: "other", level: "company", create: true, manage: true },
  { who: ["executive"], owner: "other", level: "team", create: false, manage: false },
  { who: ["executive"], owner: "report", level: "team", create: true, manage: true },
  { who: ["manager"], owner: "self", level: "team", create: true, manage: true },
  { who: ["manager"], owner: "report", level: "individual", create: true, manage: true },
  { who: ["manager"], owner: "other", level: "individual", create: false, manage: false },
  { who: ["manager"], owner: "self", level: "company", create: false, manage: true },
  { who: ["employee"], owner: "self", level: "individual", create: true, manage: true },
  { who: ["employee"], owner: "other", level: "individual", create: false, manage: false },
  { who: ["employee"], owner: "self", level: "company", create: false, manage: true },
  { who: ["auditor"], owner: "self", level: "individual", create: false, manage: false },
  { who: ["auditor"], owner: "other", level: "company", create: false, manage: false },
  { who: ["data_steward"], owner: "self", level: "individual", create: false, manage: false },
  { who: ["data_steward", "employee"], owner: "self", level: "individual", create: true, manage: true },
];

describe("goal policy", () => {
  it.each(CASES)("$who, owner $owner, $level: create $create, manage $manage", (c) => {
    expect(canCreateGoal(actor(...c.who), facts(c))).toBe(c.create);
    expect(canManageGoal(actor(...c.who), facts(c))).toBe(c.manage);
  });

  it.each(CASES.flatMap((c) => GOAL_STATES.map((state) => ({ ...c, state }))))(
    "abilities: $who on a $state goal",
    (c) => {
      const final = ["achieved", "partially_achieved", "missed", "cancelled"].includes(c.state);
      const expected = c.manage && !final;
      expect(abilitiesFor(actor(...c.who), facts(c, c.state))).toEqual({
        edit: expected,
        transition: expected,
        align: expected,
      });
    },
  );

  const MOVES: [GoalState, GoalState, boolean][] = [
    ["draft", "proposed", true],
    ["draft", "active", true],
    ["draft", "cancelled", true],
    ["draft", "achieved", false],
    ["proposed", "draft", true],
    ["proposed", "active", true],
    ["active", "achieved", true],
    ["active", "partially_achieved", true],
    ["active", "missed", true],
    ["active", "cancelled", true],
    ["active", "draft", false],
    ["active", "proposed", false],
    ["achieved", "active", false],
    ["cancelled", "draft", false],
    ["missed", "achieved", false],
  ];
  it.each(MOVES)("%s → %s allowed: %s", (from, to, allowed) => {
    expect(canMove(from, to)).toBe(allowed);
  });

  it("has no way out of a final state and no move to the same state", () => {
    for (const s of GOAL_STATES) expect(TRANSITIONS[s]).not.toContain(s);
    for (const s of ["achieved", "partially_achieved", "missed", "cancelled"] as const) {
      expect(TRANSITIONS[s]).toEqual([]);
    }
  });

  it.each([
    [["admin"], true],
    [["performance_office"], false],
    [["executive"], false],
    [["manager", "employee"], false],
  ] as [Role[], boolean][])("SMART override by %j: %s", (roles, allowed) => {
    expect(canOverrideSmart(actor(...roles))).toBe(allowed);
  });
});

describe("goal definition rules", () => {
  const base = {
    baselineValue: 10,
    targetValue: 20,
    startDate: "2026-01-01",
    dueDate: "2026-12-31",
    rangeMin: null,
    rangeMax: null,
    contributors: [],
  };
  it.each([
    [{}, []],
    [{ targetValue: 10 }, ["targetValue"]],
    [{ baselineValue: null, targetValue: 10 }, []],
    [{ dueDate: "2026-01-01" }, ["dueDate"]],
    [{ startDate: "2026-02-30" }, ["startDate"]],
    [{ rangeMin: 5, rangeMax: 5 }, ["rangeMax"]],
    [{ rangeMin: 1, rangeMax: 5 }, []],
    [
      {
        contributors: [
          { personId: "a", share: 0.5 },
          { personId: "b", share: 0.5 },
        ],
      },
      [],
    ],
    [
      {
        contributors: [
          { personId: "a", share: 0.6 },
          { personId: "b", share: 0.5 },
        ],
      },
      ["contributors"],
    ],
    [
      {
        contributors: [
          { personId: "a", share: 0.1 },
          { personId: "a", share: 0.1 },
        ],
      },
      ["contributors.1.personId"],
    ],
  ] as [Partial<typeof base>, string[]][])("%j → faults in %j", (change, fields) => {
    expect(definitionErrors({ ...base, ...change }).map((e) => e.field)).toEqual(fields);
  });
});
