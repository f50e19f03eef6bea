import { describe, expect, it } from "vitest";
import type { Actor, Role } from "../../actor.ts";
import { canCheckIn } from "./checkins.policy.ts";

const actor = (roles: Role[], personId = "me"): Actor => ({ orgId: "o", personId, roles, unitId: null });
const none = { ownerId: "someone", contributes: false, managesOwner: false };

describe("canCheckIn", () => {
  it.each([
    ["owner", actor(["employee"]), { ...none, ownerId: "me" }, true],
    ["contributor", actor(["employee"]), { ...none, contributes: true }, true],
    ["manager in the owner's chain", actor(["manager"]), { ...none, managesOwner: true }, true],
    ["administrator", actor(["admin"]), none, true],
    ["performance office", actor(["performance_office"]), none, true],
    ["executive outside the chain", actor(["executive"]), none, false],
    ["auditor", actor(["auditor"]), none, false],
    ["unrelated employee", actor(["employee"]), none, false],
    ["manager of someone else", actor(["manager"]), none, false],
  ])("%s → %s", (_name, who, facts, expected) => {
    expect(canCheckIn(who, facts)).toBe(expected);
  });
});
