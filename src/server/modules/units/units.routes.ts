import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { type AppDeps, requireActor } from "../../app.ts";
import { pageOf } from "../../http/pagination.ts";
import { Problem } from "../../http/problem.ts";
import { CreateUnitInput, Unit, UnitParams, UnitQuery, UpdateUnitInput } from "./units.schema.ts";
import { createUnitsService } from "./units.service.ts";

export const unitsRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const units = createUnitsService(deps);
  app.get(
    "/units",
    {
      schema: {
        tags: ["units"],
        summary: "The org tree: every unit with its parent, kind and head",
        querystring: UnitQuery,
        response: { 200: pageOf(Unit), 400: Problem, 401: Problem },
      },
    },
    async (req) => units.listUnits(requireActor(req), req.query),
  );
  app.get(
    "/units/:id",
    {
      schema: {
        tags: ["units"],
        summary: "One org unit",
        params: UnitParams,
        response: { 200: Unit, 400: Problem, 401: Problem, 404: Problem },
      },
    },
    async (req) => units.getUnit(requireActor(req), req.params.id),
  );
  app.post(
    "/units",
    {
      schema: {
        tags: ["units"],
        summary: "Add an org unit under a parent",
        body: CreateUnitInput,
        response: { 201: Unit, 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (req, reply) => reply.status(201).send(await units.createUnit(requireActor(req), req.body)),
  );
  app.patch(
    "/units/:id",
    {
      schema: {
        tags: ["units"],
        summary: "Rename a unit, move it under another parent, or set its head",
        params: UnitParams,
        body: UpdateUnitInput,
        response: { 200: Unit, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) => units.updateUnit(requireActor(req), req.params.id, req.body),
  );
};
