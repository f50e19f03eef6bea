import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { type AppDeps, requireActor } from "../../app.ts";
import { PageQuery, pageOf } from "../../http/pagination.ts";
import { Problem } from "../../http/problem.ts";
import { manualRunsIdle } from "./connectors.run-now.ts";
import {
  CreateDataSourceInput,
  DataSource,
  DataSourceRun,
  DiscrepancyReport,
  RunParams,
  SourceListQuery,
  SourceParams,
  UpdateDataSourceInput,
} from "./connectors.schema.ts";
import { createConnectorsService } from "./connectors.service.ts";

const tags = ["data-sources"];

export const connectorsRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const sources = createConnectorsService(deps);
  // a pull started by "run now" finishes before the server lets go of the database
  app.addHook("onClose", async () => manualRunsIdle());

  app.get(
    "/data-sources",
    {
      schema: {
        tags,
        summary: "Data sources (connectors) the caller may see, with their health",
        querystring: SourceListQuery,
        response: { 200: pageOf(DataSource), 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (req) => sources.listSources(requireActor(req), req.query),
  );
  app.post(
    "/data-sources",
    {
      schema: {
        tags,
        summary: "Create a data source the server pulls on its schedule",
        body: CreateDataSourceInput,
        response: { 201: DataSource, 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (req, reply) => reply.status(201).send(await sources.createSource(requireActor(req), req.body)),
  );
  app.get(
    "/data-sources/:id",
    {
      schema: {
        tags,
        summary: "One data source: settings (the secret as ***), health, last run",
        params: SourceParams,
        response: { 200: DataSource, 401: Problem, 404: Problem },
      },
    },
    async (req) => sources.getSource(requireActor(req), req.params.id),
  );
  app.put(
    "/data-sources/:id",
    {
      schema: {
        tags,
        summary: 'Replace a data source\'s settings (send secret "***" or leave it out to keep the secret)',
        params: SourceParams,
        body: UpdateDataSourceInput,
        response: { 200: DataSource, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (req) => sources.updateSource(requireActor(req), req.params.id, req.body),
  );
  app.delete(
    "/data-sources/:id",
    {
      schema: {
        tags,
        summary: "Deactivate a data source (it keeps its history; PUT reactivates it)",
        params: SourceParams,
        response: { 200: DataSource, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (req) => sources.deactivateSource(requireActor(req), req.params.id),
  );
  app.post(
    "/data-sources/:id/run",
    {
      schema: {
        tags,
        summary:
          "Start a pull now: 202 with the run, still running (Location: the run); GET the run until its status is succeeded or failed",
        params: SourceParams,
        response: { 202: DataSourceRun, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      const run = await sources.runNow(requireActor(req), req.params.id);
      return reply
        .status(202)
        .header("location", `/api/v1/data-sources/${run.sourceId}/runs/${run.id}`)
        .send(run);
    },
  );
  app.get(
    "/data-sources/:id/runs/:runId",
    {
      schema: {
        tags,
        summary: "One run of the source: poll it after run now until its status is not running",
        params: RunParams,
        response: { 200: DataSourceRun, 401: Problem, 404: Problem },
      },
    },
    async (req) => sources.getRun(requireActor(req), req.params.id, req.params.runId),
  );
  app.get(
    "/data-sources/:id/runs",
    {
      schema: {
        tags,
        summary:
          "The source's history, newest first: pulls with their counts, and switches to and from the backup",
        params: SourceParams,
        querystring: PageQuery,
        response: { 200: pageOf(DataSourceRun), 400: Problem, 401: Problem, 404: Problem },
      },
    },
    async (req) => sources.listRuns(requireActor(req), req.params.id, req.query),
  );
  app.get(
    "/data-sources/:id/discrepancies",
    {
      schema: {
        tags,
        summary:
          "Where the source and its backup both read a value for the same metric, scope and period: both values and the difference",
        params: SourceParams,
        querystring: PageQuery,
        response: { 200: DiscrepancyReport, 400: Problem, 401: Problem, 404: Problem },
      },
    },
    async (req) => sources.discrepancies(requireActor(req), req.params.id, req.query),
  );
};
