import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { isIsoDate } from "../../../domain/dates.ts";
import { type AppDeps, requireActor } from "../../app.ts";
import { Problem } from "../../http/problem.ts";
import { createProgressAccess } from "./progress.access.ts";
import { ProgressExplain } from "./progress.schema.ts";

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
