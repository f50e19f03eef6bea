import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { isIsoDate } from "../../../domain/dates.ts";
import { type AppDeps, requireActor } from "../../app.ts";
import { Problem } from "../../http/problem.ts";
import { createProgressAccess } from "./progress.access.ts";

const STATUSES = [
  "not_started",
  "on_track",
  "at_risk",
  "off_track",
  "achieved",
  "partially_achieved",
  "missed",
  "no_data",
] as const;

export const Progress = z
  .object({
    attainment: z.number().nullable().describe("0 = nothing yet, 1 = target met; not capped"),
    expected: z.number().describe("the plan's expected attainment on asOf"),
    pace: z.number().nullable().describe("attainment / expected"),
    status: z.enum(STATUSES),
    score: z.number().nullable(),
    asOf: z.string(),
  })
  .meta({ id: "Progress" });

const Measurement = z.object({
  id: z.uuid(),
  periodStart: z.string(),
  periodEnd: z.string(),
  value: z.number(),
  recordedAt: z.string(),
});

export const ProgressExplain = z
  .object({
    goalId: z.uuid(),
    asOf: z.string(),
    knownAt: z.string().nullable().describe("inputs recorded after this instant were left out; null: now"),
    version: z.number().int().describe("the goal version whose definition was used"),
    formula: z.string(),
    inputs: z.object({
      kind: z.string(),
      aggregation: z.string().nullable(),
      baseline: z.number().nullable(),
      target: z.number().nullable(),
      threshold: z.number().nullable(),
      stretch: z.number().nullable(),
      rangeMin: z.number().nullable(),
      rangeMax: z.number().nullable(),
      value: z.number().nullable().describe("the value read: last, average, min, max or the window's sum"),
      milestoneDone: z.boolean().nullable(),
      rubricLevel: z.number().nullable(),
      measurements: z.array(Measurement).describe("the measurements behind value"),
      children: z.array(
        z.object({
          goalId: z.uuid(),
          weight: z.number(),
          attainment: z.number().nullable(),
          expected: z.number(),
        }),
      ),
    }),
    result: Progress,
  })
  .meta({ id: "ProgressExplain" });

const Recomputed = z
  .object({ goals: z.number().int(), asOf: z.string(), ms: z.number().int() })
  .meta({ id: "ProgressRecomputed" });

const AsOf = z.object({
  asOf: z
    .string()
    .refine(isIsoDate, "must be a real calendar date as YYYY-MM-DD")
    .optional()
    .describe("answer as of this date, with what was recorded by its end"),
});

export const progressRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const progress = createProgressAccess(deps);
  app.get(
    "/goals/:id/explain",
    {
      schema: {
        tags: ["progress"],
        summary: "How a goal's figures were computed: formula, inputs (measurements, version), result",
        params: z.object({ id: z.uuid() }),
        querystring: AsOf,
        response: { 200: ProgressExplain, 400: Problem, 401: Problem, 404: Problem },
      },
    },
    async (req) => progress.explain(requireActor(req), req.params.id, req.query.asOf),
  );
  app.post(
    "/progress/recompute",
    {
      schema: {
        tags: ["progress"],
        summary: "Recompute every goal's progress now (administrators, performance office)",
        response: { 200: Recomputed, 401: Problem, 403: Problem },
      },
    },
    async (req) => progress.recompute(requireActor(req)),
  );
};
