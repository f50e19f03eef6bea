import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { type AppDeps, requireActor } from "../../app.ts";
import { pageOf } from "../../http/pagination.ts";
import { Problem } from "../../http/problem.ts";
import { CreatePersonInput, Person, PersonParams, PersonQuery, UpdatePersonInput } from "./people.schema.ts";
import { createPeopleService } from "./people.service.ts";

export const peopleRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const people = createPeopleService(deps);
  app.get(
    "/people",
    {
      schema: {
        tags: ["people"],
        summary: "People of the organisation, filtered by unit, manager, role, active state or a search",
        querystring: PersonQuery,
        response: { 200: pageOf(Person), 400: Problem, 401: Problem },
      },
    },
    async (req) => people.listPeople(requireActor(req), req.query),
  );
  app.get(
    "/people/:id",
    {
      schema: {
        tags: ["people"],
        summary: "One person",
        params: PersonParams,
        response: { 200: Person, 400: Problem, 401: Problem, 404: Problem },
      },
    },
    async (req) => people.getPerson(requireActor(req), req.params.id),
  );
  app.post(
    "/people",
    {
      schema: {
        tags: ["people"],
        summary: "Add a person (email unique in the organisation)",
        body: CreatePersonInput,
        response: { 201: Person, 400: Problem, 401: Problem, 403: Problem, 409: Problem },
      },
    },
    async (req, reply) => reply.status(201).send(await people.createPerson(requireActor(req), req.body)),
  );
  app.patch(
    "/people/:id",
    {
      schema: {
        tags: ["people"],
        summary: "Change a person's name, title, unit, manager, roles or active state",
        params: PersonParams,
        body: UpdatePersonInput,
        response: { 200: Person, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) => people.updatePerson(requireActor(req), req.params.id, req.body),
  );
};
