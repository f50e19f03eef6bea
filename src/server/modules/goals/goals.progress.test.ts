/**
 * The contract with the progress module: goals carry what `getProgress` answers (as of the asked
 * date), and every write that changes a definition or a link asks for a recompute inside its transaction.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";
import type { Goal } from "./goals.schema.ts";
import {
  align,
  createGoal,
  insertMetric,
  milestoneBody,
  smartGoalBody,
  transition,
} from "./goals.test-helpers.ts";

const calls = vi.hoisted(() => ({
  recompute: [] as { inTransaction: boolean; goalIds: string[] }[],
  progressAsOf: [] as (string | undefined)[],
}));

vi.mock("../progress/progress.service.ts", () => ({
  createProgressService: (deps: { db: unknown }) => ({
    async getProgress(_orgId: string, goalIds: string[], asOf?: string) {
      calls.progressAsOf.push(asOf);
      return new Map(
        goalIds.map((id) => [
          id,
          {
            attainment: 0.5,
            expected: 0.4,
            pace: 1.25,
            status: "on_track",
            score: 75,
            asOf: asOf ?? "2026-07-01",
          },
        ]),
      );
    },
    async recomputeForMetrics() {},
    async recomputeForGoals(tx: unknown, _orgId: string, goalIds: string[]) {
      calls.recompute.push({ inTransaction: tx !== deps.db, goalIds });
    },
  }),
}));

describe("goals: progress contract", () => {
  let t: TestApp;
  let company: Goal;
  beforeAll(async () => {
    t = await createTestApp();
    company = await createGoal(t, "exec", smartGoalBody(t, await insertMetric(t)));
  });
  afterAll(() => t.close());

  it("carries the progress figures and reads them as of the asked date", async () => {
    expect(company.progress).toEqual({
      attainment: 0.5,
      expected: 0.4,
      pace: 1.25,
      status: "on_track",
      score: 75,
      asOf: "2026-07-01",
    });
    const past = await t.call<Goal>("exec", {
      method: "GET",
      url: `/api/v1/goals/${company.id}?asOf=2026-07-01`,
    });
    expect(past.body.progress?.asOf).toBe("2026-07-01");
    expect(calls.progressAsOf.at(-1)).toBe("2026-07-01");
  });

  it("asks for a recompute inside the transaction of each write", async () => {
    calls.recompute.length = 0;
    const child = await createGoal(t, "employee", milestoneBody(t));
    await t.call("employee", {
      method: "PATCH",
      url: `/api/v1/goals/${child.id}`,
      payload: { title: "Renamed" },
    });
    await align(t, "employee", child.id, company.id);
    await transition(t, "employee", child.id, { to: "active" });
    await t.call("employee", { method: "DELETE", url: `/api/v1/goals/${child.id}/alignments/${company.id}` });
    expect(calls.recompute).toEqual([
      { inTransaction: true, goalIds: [child.id] },
      { inTransaction: true, goalIds: [child.id] },
      { inTransaction: true, goalIds: [child.id, company.id] },
      { inTransaction: true, goalIds: [child.id] },
      { inTransaction: true, goalIds: [child.id, company.id] },
    ]);
  });
});
