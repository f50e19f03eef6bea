/** Checks that the records a goal definition names exist (and are usable) in the caller's organisation. */
import type { Db } from "../../db/connection.ts";
import type { FieldError } from "../../errors.ts";
import { findCycles, findMetrics, findPeople, findUnit } from "./goals.lookup.repo.ts";
import type { GoalDefinition } from "./goals.schema.ts";

type Field = keyof GoalDefinition;

/** The scope id of organisation-wide figures is the organisation's id (as in `measurements`). */
export function normaliseScope(orgId: string, d: GoalDefinition): GoalDefinition {
  return d.scopeType === "org" ? { ...d, scopeId: orgId } : d;
}

/** Faults in the references among `fields` (all of them for a new goal, the changed ones for an edit). */
export async function referenceErrors(
  db: Db,
  orgId: string,
  d: GoalDefinition,
  fields: ReadonlySet<Field>,
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const has = (f: Field) => fields.has(f);
  const personIds = [d.ownerId, ...d.contributors.map((c) => c.personId)];
  if (d.scopeType === "person" && d.scopeId) personIds.push(d.scopeId);
  const people = new Map((await findPeople(db, orgId, personIds)).map((p) => [p.id, p]));
  if (has("ownerId") && !people.get(d.ownerId)?.active) {
    errors.push({ field: "ownerId", message: "must be an active person of this organisation" });
  }
  if (has("contributors")) {
    d.contributors.forEach((c, i) => {
      if (!people.has(c.personId)) {
        errors.push({ field: `contributors.${i}.personId`, message: "no person with this id" });
      }
    });
  }
  if (has("cycleId")) {
    const cycle = (await findCycles(db, orgId, [d.cycleId])).get(d.cycleId);
    if (!cycle) errors.push({ field: "cycleId", message: "no cycle with this id" });
    else if (cycle.phase === "closed") {
      errors.push({ field: "cycleId", message: "the cycle is closed; choose a cycle that is still open" });
    }
  }
  if (has("metricId") && d.metricId && !(await findMetrics(db, orgId, [d.metricId])).has(d.metricId)) {
    errors.push({ field: "metricId", message: "no metric with this id in the KPI library" });
  }
  if (has("unitId") && d.unitId && !(await findUnit(db, orgId, d.unitId))) {
    errors.push({ field: "unitId", message: "no org unit with this id" });
  }
  if (has("scopeType") || has("scopeId")) {
    if (d.scopeType === "unit" && !(d.scopeId && (await findUnit(db, orgId, d.scopeId)))) {
      errors.push({ field: "scopeId", message: "scope type unit needs the id of an org unit" });
    }
    if (d.scopeType === "person" && !(d.scopeId && people.has(d.scopeId))) {
      errors.push({ field: "scopeId", message: "scope type person needs the id of a person" });
    }
  }
  return errors;
}
