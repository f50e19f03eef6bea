/** The missing-data alert resource: a series (metric and scope) that stopped reporting. */
import { z } from "zod";
import { PageQuery } from "../../http/pagination.ts";
import { ScopeType } from "./measurements.schema.ts";

export const MissingDataQuery = PageQuery.extend({
  metricId: z.uuid().optional().describe("only this metric's series"),
});
export type MissingDataQuery = z.infer<typeof MissingDataQuery>;

export const MissingDataAlert = z
  .object({
    id: z.uuid(),
    metric: z.object({
      id: z.uuid(),
      key: z.string(),
      name: z.string(),
      unit: z.string(),
      period: z.enum(["day", "week", "month", "quarter"]),
    }),
    scopeType: ScopeType,
    scopeId: z.uuid().describe("the organisation's id for organisation-wide series"),
    scopeName: z.string(),
    lastPeriodEnd: z.string().describe("the last day of the period of the series' latest counted value"),
    missingSince: z.string().describe("the first day of the first period without a value"),
    periodsMissing: z
      .number()
      .int()
      .describe("whole periods due without a value since the last one, as of today in the organisation"),
    maxMissingPeriods: z.number().describe("how many the metric's frequency rule tolerates"),
    openedAt: z.string().describe("when the check found the series missing data"),
  })
  .meta({ id: "MissingDataAlert" });
export type MissingDataAlert = z.infer<typeof MissingDataAlert>;

export const MissingDataCheck = z
  .object({
    today: z.string().describe("the organisation's date the check counted periods to"),
    opened: z.number().int().describe("alerts opened by this check"),
    resolved: z
      .number()
      .int()
      .describe("alerts resolved by this check (a value arrived, or the rule no longer finds a gap)"),
    open: z.number().int().describe("open alerts after the check"),
  })
  .meta({ id: "MissingDataCheck" });
export type MissingDataCheck = z.infer<typeof MissingDataCheck>;
