import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { type AppDeps, requireActor } from "../../app.ts";
import { pageOf } from "../../http/pagination.ts";
import { Problem } from "../../http/problem.ts";
import { CreateCycleInput, Cycle, CycleParams, CycleQuery, UpdateCycleInput } from "./cycles.schema.ts";
import { createCyclesService } from "./cycles.service.ts";

export const cyclesRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const cycles = createCyclesService(deps);
  app.get(
    "/cycles",
    {
      schema: {
        tags: ["cycles"],
        summary: "Performance cycles, filtered by phase",
        querystring: CycleQuery,
        response: { 200: pageOf(Cycle), 400: Problem, 401: Problem },
      },
    },
    async (req) => cycles.listCycles(requireActor(req), req.query),
  );
  app.get(
    "/cycles/:id",
    {
      schema: {
        tags: ["cycles"],
        summary: "One cycle",
        params: CycleParams,
        response: { 200: Cycle, 400: Problem, 401: Problem, 404: Problem },
      },
    },
    async (req) => cycles.getCycle(requireActor(req), req.params.id),
  );
  app.post(
    "/cycles",
    {
      schema: {
        tags: ["cycles"],
        summary: "Open a cycle (in planning unless another phase is given)",
        body: CreateCycleInput,
        response: { 201: Cycle, 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (req, reply) => reply.status(201).send(await cycles.createCycle(requireActor(req), req.body)),
  );
  app.patch(
    "/cycles/:id",
    {
      schema: {
        tags: ["cycles"],
        summary: "Rename a cycle, change its dates (planning only) or move it to its next phase",
        params: CycleParams,
        body: UpdateCycleInput,
        response: { 200: Cycle, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) => cycles.updateCycle(requireActor(req), req.params.id, req.body),
  );
};
