import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { type AppDeps, requireActor } from "../../app.ts";
import { IdempotencyHeaders } from "../../http/idempotency.ts";
import { PageQuery, pageOf } from "../../http/pagination.ts";
import { Problem } from "../../http/problem.ts";
import { CheckIn, RecordCheckInInput, RecordedCheckIn } from "./checkins.schema.ts";
import { createCheckInsService } from "./checkins.service.ts";

const GoalParams = z.object({ id: z.uuid() });
const tags = ["check-ins"];

export const checkInsRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const checkIns = createCheckInsService(deps);
  app.get(
    "/goals/:id/check-ins",
    {
      schema: {
        tags,
        summary: "A goal's check-ins, newest first",
        params: GoalParams,
        querystring: PageQuery,
        response: { 200: pageOf(CheckIn), 400: Problem, 401: Problem, 404: Problem },
      },
    },
    async (req) => checkIns.listCheckIns(requireActor(req), req.params.id, req.query),
  );
  app.post(
    "/goals/:id/check-ins",
    {
      schema: {
        tags,
        summary: "Check in on a goal (owner, contributors, the owner's managers, performance office, admins)",
        params: GoalParams,
        body: RecordCheckInInput,
        headers: IdempotencyHeaders,
        response: {
          201: RecordedCheckIn,
          400: Problem,
          401: Problem,
          403: Problem,
          404: Problem,
          409: Problem,
          423: Problem,
        },
      },
    },
    async (req, reply) => {
      const answer = await checkIns.recordCheckIn(
        requireActor(req),
        req.params.id,
        req.body,
        req.headers["idempotency-key"],
      );
      return reply.status(answer.status as 201).send(answer.body);
    },
  );
};
