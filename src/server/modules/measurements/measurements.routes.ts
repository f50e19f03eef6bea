import { type FastifyPluginAsyncZod, validatorCompiler } from "fastify-type-provider-zod";
import { type AppDeps, requireActor } from "../../app.ts";
import { IdempotencyHeaders } from "../../http/idempotency.ts";
import { pageOf } from "../../http/pagination.ts";
import { Problem } from "../../http/problem.ts";
import { createBulkMeasurementsService, NDJSON_FAULT } from "./measurements.bulk-http.ts";
import { missingDataRoutes } from "./measurements.missing-data.routes.ts";
import { createReviewService } from "./measurements.review.ts";
import {
  BulkMeasurementInput,
  BulkMeasurementResult,
  Measurement,
  MeasurementQuery,
  MeasurementReview,
  MetricParams,
  QuarantinedMeasurement,
  QuarantineQuery,
  RecordMeasurementInput,
  ReviewMeasurementInput,
} from "./measurements.schema.ts";
import { createMeasurementsService } from "./measurements.service.ts";

const tags = ["measurements"];
const REPLAYED = "idempotent-replayed";

/**
 * NDJSON: one row per line. A line that is not JSON becomes a marker the bulk write rejects by itself,
 * so one bad line does not cost the others.
 */
function parseNdjson(text: string): unknown[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .map((line, i) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        return { [NDJSON_FAULT]: `line ${i + 1} is not JSON; send one JSON object per line` };
      }
    });
}

export const measurementsRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const measurements = createMeasurementsService(deps);
  const bulk = createBulkMeasurementsService(deps);
  const review = createReviewService(deps);
  app.addContentTypeParser("application/x-ndjson", { parseAs: "string" }, (_req, body, done) => {
    done(null, parseNdjson(String(body)));
  });
  app.get(
    "/metrics/:id/measurements",
    {
      schema: {
        tags,
        summary:
          "One series of a metric (organisation, unit or person), as known at a date, with corrections",
        params: MetricParams,
        querystring: MeasurementQuery,
        response: { 200: pageOf(Measurement), 400: Problem, 401: Problem, 404: Problem },
      },
    },
    async (req) => measurements.listMeasurements(requireActor(req), req.params.id, req.query),
  );
  app.post(
    "/metrics/:id/measurements",
    {
      schema: {
        tags,
        summary:
          "Record one value, or correct the current one with `supersedes` (administrators, performance office, the metric's steward)",
        params: MetricParams,
        headers: IdempotencyHeaders,
        body: RecordMeasurementInput,
        response: { 201: Measurement, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      const res = await measurements.recordMeasurement(
        requireActor(req),
        req.params.id,
        req.body,
        req.headers["idempotency-key"],
      );
      return reply.status(201).header(REPLAYED, String(res.replayed)).send(res.body);
    },
  );
  app.post(
    "/measurements",
    {
      // Rows are checked one by one in the service (a malformed row is rejected, the rest written), so
      // the body is not validated here as a whole: its schema is for the API document. Headers are.
      validatorCompiler: (route) =>
        route.httpPart === "body"
          ? (data: unknown) => ({ value: data })
          : // Fastify hands the compiler one part's schema (here the headers' zod object), not the route's
            validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0]),
      schema: {
        tags,
        summary:
          "Record up to 5,000 values and corrections of any metrics (JSON array or NDJSON); each row accepted, flagged, quarantined or rejected",
        consumes: ["application/json", "application/x-ndjson"],
        headers: IdempotencyHeaders,
        body: BulkMeasurementInput,
        response: { 201: BulkMeasurementResult, 400: Problem, 401: Problem, 403: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      const res = await bulk.recordBulk(requireActor(req), req.body, req.headers["idempotency-key"]);
      return reply.status(201).header(REPLAYED, String(res.replayed)).send(res.body);
    },
  );
  app.get(
    "/measurements/quarantine",
    {
      schema: {
        tags,
        summary:
          "Quarantined values awaiting a decision, oldest first (a steward sees their metrics; the performance office and administrators all)",
        querystring: QuarantineQuery,
        response: { 200: pageOf(QuarantinedMeasurement), 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (req) => review.listQuarantine(requireActor(req), req.query),
  );
  app.post(
    "/measurements/:id/review",
    {
      schema: {
        tags,
        summary:
          "Accept (it counts from now on) or reject (it stays out) a quarantined value, with a reason (the metric's steward, performance office, administrators)",
        params: MetricParams,
        body: ReviewMeasurementInput,
        response: {
          200: MeasurementReview,
          400: Problem,
          401: Problem,
          403: Problem,
          404: Problem,
          409: Problem,
        },
      },
    },
    async (req) => review.reviewMeasurement(requireActor(req), req.params.id, req.body),
  );
  await missingDataRoutes(app, deps);
};
