import fc from "fast-check";
import { uuidv7 } from "uuidv7";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MeasurementPoint, selectEffective } from "../../../domain/aggregate.ts";
import { addDays } from "../../../domain/dates.ts";
import { measurements } from "../../db/schema.ts";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";
import { insertMetric } from "../progress/progress.fixtures.ts";
import { listSeries } from "./measurements.repo.ts";

/**
 * The list's SQL must believe what the domain's `selectEffective` believes: for any history of
 * values and corrections (a correction keeps its target's period) and any as-of day, the current
 * rows are the same.
 */
describe("listSeries agrees with selectEffective", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const history = fc.array(
    fc.record({
      period: fc.integer({ min: 1, max: 3 }),
      recordedDay: fc.integer({ min: 1, max: 9 }),
      /** which earlier row this one corrects, as a fraction of the rows so far; null: a new value */
      corrects: fc.option(fc.double({ min: 0, max: 0.999, noNaN: true }), { nil: null }),
    }),
    { minLength: 1, maxLength: 8 },
  );

  it("for random correction histories and as-of days", async () => {
    await fc.assert(
      fc.asyncProperty(history, fc.integer({ min: 0, max: 10 }), async (steps, asOfDay) => {
        const metricId = await insertMetric(t.database.db, t.org, {
          key: `m_${uuidv7()}`,
          aggregation: "sum",
        });
        const points: (MeasurementPoint & { period: number })[] = [];
        for (const s of steps) {
          const target = s.corrects === null ? undefined : points[Math.floor(s.corrects * points.length)];
          const period = target?.period ?? s.period;
          points.push({
            id: uuidv7(),
            period,
            periodStart: `2026-0${period}-01`,
            periodEnd: `2026-0${period}-28`,
            value: points.length,
            recordedAt: `2026-05-0${s.recordedDay}T12:00:00.000Z`,
            supersedesId: target?.id ?? null,
          });
        }
        await t.database.db.insert(measurements).values(
          points.map(({ period: _p, ...p }) => ({
            ...p,
            orgId: t.org.orgId,
            metricId,
            scopeType: "org",
            scopeId: t.org.orgId,
          })),
        );
        // day 0 is 30 April: before anything was recorded
        const knownAt = `${addDays("2026-04-30", asOfDay)}T23:59:59.999Z`;
        const query = { metricId, scopeType: "org", scopeId: t.org.orgId, limit: 100 };
        const sqlCurrent = await listSeries(t.database.db, t.org.orgId, {
          ...query,
          knownAt,
          includeSuperseded: false,
        });
        const domainCurrent = selectEffective(points, knownAt);
        expect(sqlCurrent.map((r) => r.id)).toEqual(domainCurrent.map((p) => p.id).sort());
      }),
      { numRuns: 40 },
    );
  });
});
