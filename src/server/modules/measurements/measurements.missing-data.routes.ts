import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { type AppDeps, requireActor } from "../../app.ts";
import { pageOf } from "../../http/pagination.ts";
import { Problem } from "../../http/problem.ts";
import { MissingDataAlert, MissingDataCheck, MissingDataQuery } from "./measurements.missing-data.schema.ts";
import { createMissingDataService } from "./measurements.missing-data.ts";

const tags = ["measurements"];

/** Missing-data alerts of stopped series; called from measurementsRoutes on the same instance. */
export const missingDataRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const missing = createMissingDataService(deps);
  app.get(
    "/measurements/missing-data",
    {
      schema: {
        tags,
        summary:
          "Open missing-data alerts: series of metrics with a frequency rule that stopped reporting, oldest first (a steward sees their metrics; the performance office, administrators and auditors all)",
        querystring: MissingDataQuery,
        response: { 200: pageOf(MissingDataAlert), 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (req) => missing.listMissingData(requireActor(req), req.query),
  );
  app.post(
    "/measurements/missing-data/check",
    {
      schema: {
        tags,
        summary:
          "Run the missing-data check now: open alerts for stopped series, resolve those whose value arrived (data stewards, performance office, administrators)",
        response: { 200: MissingDataCheck, 401: Problem, 403: Problem },
      },
    },
    async (req) => missing.runCheck(requireActor(req)),
  );
};
