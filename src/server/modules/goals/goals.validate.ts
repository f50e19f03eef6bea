/**
 * Rules a goal's definition must keep whatever its state (the SMART check covers what a draft may
 * still lack). Pure: returns every fault at once, each naming its field and what would be valid.
 */
import { parseDayNumber } from "../../../domain/dates.ts";
import type { FieldError } from "../../errors.ts";
import type { GoalDefinition } from "./goals.schema.ts";

export type DefinitionFacts = Pick<
  GoalDefinition,
  "baselineValue" | "targetValue" | "startDate" | "dueDate" | "rangeMin" | "rangeMax" | "contributors"
>;

const SHARE_SLACK = 1e-9;

export function definitionErrors(d: DefinitionFacts): FieldError[] {
  const errors: FieldError[] = [];
  if (d.baselineValue !== null && d.targetValue !== null && d.baselineValue === d.targetValue) {
    errors.push({
      field: "targetValue",
      message: `target must differ from the baseline (${d.baselineValue})`,
    });
  }
  const start = parseDayNumber(d.startDate);
  const due = parseDayNumber(d.dueDate);
  if (Number.isNaN(start)) errors.push({ field: "startDate", message: "must be a real date (YYYY-MM-DD)" });
  if (Number.isNaN(due)) errors.push({ field: "dueDate", message: "must be a real date (YYYY-MM-DD)" });
  if (!Number.isNaN(start) && !Number.isNaN(due) && !(start < due)) {
    errors.push({ field: "dueDate", message: `due date must be after the start date (${d.startDate})` });
  }
  if (d.rangeMin !== null && d.rangeMax !== null && !(d.rangeMin < d.rangeMax)) {
    errors.push({ field: "rangeMax", message: `range maximum must be above the minimum (${d.rangeMin})` });
  }
  const seen = new Set<string>();
  d.contributors.forEach((c, i) => {
    if (seen.has(c.personId)) {
      errors.push({ field: `contributors.${i}.personId`, message: "this person is listed twice" });
    }
    seen.add(c.personId);
  });
  const total = d.contributors.reduce((sum, c) => sum + c.share, 0);
  if (total > 1 + SHARE_SLACK) {
    errors.push({
      field: "contributors",
      message: `shares add up to ${total}; they may add up to at most 1`,
    });
  }
  return errors;
}
