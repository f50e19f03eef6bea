import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { type AppDeps, requireActor } from "../../app.ts";
import { pageOf } from "../../http/pagination.ts";
import { Problem } from "../../http/problem.ts";
import {
  ClosePeriodsInput,
  CreateMetricInput,
  Metric,
  MetricParams,
  MetricQuery,
  UpdatedMetric,
  UpdateMetricInput,
} from "./metrics.schema.ts";
import { createMetricsService } from "./metrics.service.ts";

const tags = ["metrics"];

export const metricsRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const metrics = createMetricsService(deps);
  app.get(
    "/metrics",
    {
      schema: {
        tags,
        summary: "The KPI library, filtered by a search, unit, direction, indicator type or steward",
        querystring: MetricQuery,
        response: { 200: pageOf(Metric), 400: Problem, 401: Problem },
      },
    },
    async (req) => metrics.listMetrics(requireActor(req), req.query),
  );
  app.get(
    "/metrics/:id",
    {
      schema: {
        tags,
        summary: "One metric's definition",
        params: MetricParams,
        response: { 200: Metric, 400: Problem, 401: Problem, 404: Problem },
      },
    },
    async (req) => metrics.getMetric(requireActor(req), req.params.id),
  );
  app.post(
    "/metrics",
    {
      schema: {
        tags,
        summary: "Define a metric (administrators, performance office); key unique in the organisation",
        body: CreateMetricInput,
        response: { 201: Metric, 400: Problem, 401: Problem, 403: Problem, 409: Problem },
      },
    },
    async (req, reply) => reply.status(201).send(await metrics.createMetric(requireActor(req), req.body)),
  );
  app.patch(
    "/metrics/:id",
    {
      schema: {
        tags,
        summary:
          "Change a metric (administrators, performance office, its steward); aggregation and direction are fixed once goals use it; a new formula re-derives the metric's values",
        params: MetricParams,
        body: UpdateMetricInput,
        response: {
          200: UpdatedMetric,
          400: Problem,
          401: Problem,
          403: Problem,
          404: Problem,
          409: Problem,
        },
      },
    },
    async (req) => metrics.updateMetric(requireActor(req), req.params.id, req.body),
  );
  app.post(
    "/metrics/:id/close-periods",
    {
      schema: {
        tags,
        summary:
          "Close the metric's periods through a day: their values are final, whatever the finality lag (administrators, performance office, its steward)",
        params: MetricParams,
        body: ClosePeriodsInput,
        response: { 200: Metric, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) => metrics.closePeriods(requireActor(req), req.params.id, req.body),
  );
};
