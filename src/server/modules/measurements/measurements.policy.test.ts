import { describe, expect, it } from "vitest";
import type { Actor, Role } from "../../actor.ts";
import { canReadSeries, canWriteMeasurements, type SeriesFacts } from "./measurements.policy.ts";

const actor = (roles: Role[], personId = "me"): Actor => ({ orgId: "o", personId, roles, unitId: null });
const person = (scopeId: string, more: Partial<SeriesFacts> = {}): SeriesFacts => ({
  scopeType: "person",
  scopeId,
  managesScopePerson: false,
  metricStewardId: null,
  ...more,
});

describe("canReadSeries", () => {
  it.each<[string, Actor, SeriesFacts, boolean]>([
    ["anyone reads organisation figures", actor(["employee"]), { ...person("o"), scopeType: "org" }, true],
    ["anyone reads unit figures", actor(["employee"]), { ...person("u"), scopeType: "unit" }, true],
    ["a person reads their own figures", actor(["employee"]), person("me"), true],
    [
      "a manager in the chain reads a report's",
      actor(["manager"]),
      person("x", { managesScopePerson: true }),
      true,
    ],
    ["the metric's steward reads", actor(["data_steward"]), person("x", { metricStewardId: "me" }), true],
    [
      "a named steward without the role does not",
      actor(["employee"]),
      person("x", { metricStewardId: "me" }),
      false,
    ],
    ["an auditor reads", actor(["auditor"]), person("x"), true],
    ["the performance office reads", actor(["performance_office"]), person("x"), true],
    ["a colleague does not", actor(["employee"]), person("x"), false],
    ["an executive outside the chain does not", actor(["executive"]), person("x"), false],
  ])("%s → %s", (_name, who, facts, expected) => {
    expect(canReadSeries(who, facts)).toBe(expected);
  });
});

describe("canWriteMeasurements", () => {
  it.each<[string, Actor, string | null, boolean]>([
    ["administrator", actor(["admin"]), null, true],
    ["performance office", actor(["performance_office"]), "someone", true],
    ["the metric's steward", actor(["data_steward"]), "me", true],
    ["another metric's steward", actor(["data_steward"]), "someone", false],
    ["named steward without the role", actor(["employee"]), "me", false],
    ["auditor", actor(["auditor"]), null, false],
    ["manager", actor(["manager"]), null, false],
    ["executive", actor(["executive"]), null, false],
  ])("%s → %s", (_name, who, stewardId, expected) => {
    expect(canWriteMeasurements(who, { stewardId })).toBe(expected);
  });
});
