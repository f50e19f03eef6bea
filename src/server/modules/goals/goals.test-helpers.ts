/** Fixtures for the goals tests: a metric in the KPI library and goal bodies that pass or fail SMART. */

import { uuidv7 } from "uuidv7";
import { expect } from "vitest";
import { metrics } from "../../db/schema.ts";
import type { TestApp, TestPerson } from "../../testing/test-app.ts";
import type { Goal } from "./goals.schema.ts";

export async function insertMetric(t: TestApp, key = `nps_${uuidv7().slice(-6)}`): Promise<string> {
  const id = uuidv7();
  await t.database.db.insert(metrics).values({
    orgId: t.org.orgId,
    id,
    key,
    name: "Net promoter score",
    unit: "score",
    direction: "increase",
    indicatorType: "lagging",
    aggregation: "last",
  });
  return id;
}

/** A company-level metric goal that passes every SMART letter. */
export function smartGoalBody(t: TestApp, metricId: string, extra: Record<string, unknown> = {}) {
  return {
    title: "Lift customer NPS",
    specificOutcome: "Customers recommend us more often than last year",
    cycleId: t.org.cycleId,
    level: "company",
    kind: "metric",
    metricId,
    baselineValue: 30,
    targetValue: 45,
    thresholdValue: 35,
    stretchValue: 50,
    startDate: "2026-01-01",
    dueDate: "2026-12-31",
    ...extra,
  };
}

/** An individual milestone goal: passes SMART except "relevant" until it is aligned. */
export function milestoneBody(t: TestApp, extra: Record<string, unknown> = {}) {
  return {
    title: "Ship the partner portal",
    specificOutcome: "Partners can self-serve their quotes",
    cycleId: t.org.cycleId,
    level: "individual",
    kind: "milestone",
    ...extra,
  };
}

export async function createGoal(t: TestApp, who: TestPerson, body: Record<string, unknown>): Promise<Goal> {
  const res = await t.call<Goal>(who, { method: "POST", url: "/api/v1/goals", payload: body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

export async function transition(t: TestApp, who: TestPerson, id: string, body: Record<string, unknown>) {
  return t.call<Goal & { detail: string; errors?: { field: string; message: string }[] }>(who, {
    method: "POST",
    url: `/api/v1/goals/${id}/transition`,
    payload: body,
  });
}

export async function align(t: TestApp, who: TestPerson, childId: string, parentId: string, weight = 1) {
  return t.call<{ up: { goalId: string; weight: number }[]; detail: string }>(who, {
    method: "POST",
    url: `/api/v1/goals/${childId}/alignments`,
    payload: { parentId, weight },
  });
}
