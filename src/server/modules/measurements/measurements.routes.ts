import { type FastifyPluginAsyncZod, hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { type AppDeps, requireActor } from "../../app.ts";
import { AppError } from "../../errors.ts";
import { IdempotencyHeaders } from "../../http/idempotency.ts";
import { pageOf } from "../../http/pagination.ts";
import { Problem } from "../../http/problem.ts";
import { createBulkMeasurementsService } from "./measurements.bulk.ts";
import {
  BulkMeasurementInput,
  BulkMeasurementResult,
  Measurement,
  MeasurementQuery,
  MetricParams,
  RecordMeasurementInput,
} from "./measurements.schema.ts";
import { createMeasurementsService } from "./measurements.service.ts";

const tags = ["measurements"];
const REPLAYED = "idempotent-replayed";

/** The bulk body is an array: name faults `rows[3].value` rather than `3.value`. */
function bulkInputError(err: Error): AppError {
  if (!hasZodFastifySchemaValidationErrors(err)) return new AppError("invalid", err.message);
  const context = (err as { validationContext?: string }).validationContext ?? "body";
  return new AppError(
    "invalid",
    err.validation.map((v) => {
      const [head, ...rest] = v.instancePath.split("/").filter(Boolean);
      const field =
        context !== "body"
          ? [context, head, ...rest].filter(Boolean).join(".")
          : head === undefined
            ? "rows"
            : `rows[${head}]${rest.map((p) => `.${p}`).join("")}`;
      return { field, message: v.message ?? "is invalid" };
    }),
  );
}

export const measurementsRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const measurements = createMeasurementsService(deps);
  const bulk = createBulkMeasurementsService(deps);
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
      attachValidation: true,
      schema: {
        tags,
        summary: "Record up to 5,000 values and corrections of any metrics, all or nothing",
        headers: IdempotencyHeaders,
        body: BulkMeasurementInput,
        response: { 201: BulkMeasurementResult, 400: Problem, 401: Problem, 403: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      if (req.validationError) throw bulkInputError(req.validationError);
      const res = await bulk.recordBulk(requireActor(req), req.body, req.headers["idempotency-key"]);
      return reply.status(201).header(REPLAYED, String(res.replayed)).send(res.body);
    },
  );
};
