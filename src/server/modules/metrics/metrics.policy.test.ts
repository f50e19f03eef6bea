import { describe, expect, it } from "vitest";
import type { Actor, Role } from "../../actor.ts";
import { canMetric, type MetricAction } from "./metrics.policy.ts";

const actor = (roles: Role[], personId = "me"): Actor => ({ orgId: "o", personId, roles, unitId: null });
const mine = { stewardId: "me" };
const theirs = { stewardId: "someone" };
const unowned = { stewardId: null };

describe("canMetric", () => {
  it.each<[string, Actor, MetricAction, { stewardId: string | null } | undefined, boolean]>([
    ["an employee reads", actor(["employee"]), "read", undefined, true],
    ["an auditor reads", actor(["auditor"]), "read", undefined, true],
    ["an administrator creates", actor(["admin"]), "create", undefined, true],
    ["the performance office creates", actor(["performance_office"]), "create", undefined, true],
    ["a data steward does not create", actor(["data_steward"]), "create", undefined, false],
    ["an executive does not create", actor(["executive"]), "create", undefined, false],
    ["an administrator updates any metric", actor(["admin"]), "update", theirs, true],
    ["the performance office updates any metric", actor(["performance_office"]), "update", unowned, true],
    ["the steward updates their metric", actor(["data_steward"]), "update", mine, true],
    ["a steward does not update another's metric", actor(["data_steward"]), "update", theirs, false],
    ["a steward does not update an unowned metric", actor(["data_steward"]), "update", unowned, false],
    ["named steward without the role does not update", actor(["employee"]), "update", mine, false],
    ["an auditor does not update", actor(["auditor"]), "update", theirs, false],
    ["the steward does not hand stewardship on", actor(["data_steward"]), "reassign_steward", mine, false],
    [
      "the performance office reassigns stewards",
      actor(["performance_office"]),
      "reassign_steward",
      mine,
      true,
    ],
  ])("%s → %s", (_name, who, action, metric, expected) => {
    expect(canMetric(who, action, metric)).toBe(expected);
  });
});
