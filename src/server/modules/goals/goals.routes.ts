import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { type AppDeps, requireActor } from "../../app.ts";
import { PageQuery, pageOf } from "../../http/pagination.ts";
import { Problem } from "../../http/problem.ts";
import {
  AlignInput,
  AsOfQuery,
  CreateGoalInput,
  Goal,
  GoalAlignments,
  GoalVersion,
  GoalVersionSummary,
  ListGoalsQuery,
  OnTrackTrend,
  TransitionInput,
  TrendQuery,
  UpdateGoalInput,
} from "./goals.schema.ts";
import { createGoalService } from "./goals.service.ts";

const GoalParams = z.object({ id: z.uuid() });
const tags = ["goals"];
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem };
const writeErrors = { ...errors, 409: Problem, 423: Problem };

export const goalsRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const goals = createGoalService(deps);

  app.get(
    "/goals",
    {
      schema: {
        tags,
        summary: "Goals the caller may see, filtered; as of a date with ?asOf=YYYY-MM-DD",
        querystring: PageQuery.extend(ListGoalsQuery.shape),
        response: { 200: pageOf(Goal), 400: Problem, 401: Problem },
      },
    },
    async (req) => goals.listGoals(requireActor(req), req.query),
  );
  app.get(
    "/goals/on-track-trend",
    {
      schema: {
        tags,
        summary: "Share of the visible goals on track at each month end of a cycle (and today)",
        description:
          "Each point is computed for its date from the data known now (corrections included), over the goals the caller may see; with unitId, over that unit and the units below it.",
        querystring: TrendQuery,
        response: { 200: OnTrackTrend, 400: Problem, 401: Problem, 404: Problem },
      },
    },
    async (req) => goals.onTrackTrend(requireActor(req), req.query),
  );
  app.get(
    "/goals/:id",
    {
      schema: {
        tags,
        summary: "One goal with its SMART check, progress and the caller's abilities",
        params: GoalParams,
        querystring: AsOfQuery,
        response: { 200: Goal, ...errors },
      },
    },
    async (req) => goals.getGoal(requireActor(req), req.params.id, req.query.asOf),
  );
  app.post(
    "/goals",
    {
      schema: {
        tags,
        summary: "Create a draft goal (version 1)",
        body: CreateGoalInput,
        response: { 201: Goal, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await goals.createGoal(requireActor(req), req.body)),
  );
  app.patch(
    "/goals/:id",
    {
      schema: {
        tags,
        summary: "Change a goal's definition; writes a new version (active goals need changeReason)",
        params: GoalParams,
        body: UpdateGoalInput,
        response: { 200: Goal, ...writeErrors },
      },
    },
    async (req) => goals.updateGoal(requireActor(req), req.params.id, req.body),
  );
  app.post(
    "/goals/:id/transition",
    {
      schema: {
        tags,
        summary: "Move a goal to another state; activating needs a passing SMART check or an admin override",
        params: GoalParams,
        body: TransitionInput,
        response: { 200: Goal, ...writeErrors },
      },
    },
    async (req) => goals.transitionGoal(requireActor(req), req.params.id, req.body),
  );
  app.get(
    "/goals/:id/alignments",
    {
      schema: {
        tags,
        summary: "The goals this goal supports (up) and those supporting it (down), with weights",
        params: GoalParams,
        response: { 200: GoalAlignments, ...errors },
      },
    },
    async (req) => goals.getAlignments(requireActor(req), req.params.id),
  );
  app.post(
    "/goals/:id/alignments",
    {
      schema: {
        tags,
        summary: "Make this goal support a parent goal (or change the link's weight); cycles are refused",
        params: GoalParams,
        body: AlignInput,
        response: { 200: GoalAlignments, 201: GoalAlignments, ...writeErrors },
      },
    },
    async (req, reply) => {
      const { created, alignments } = await goals.alignGoal(requireActor(req), req.params.id, req.body);
      return reply.status(created ? 201 : 200).send(alignments);
    },
  );
  app.delete(
    "/goals/:id/alignments/:parentId",
    {
      schema: {
        tags,
        summary: "Stop this goal supporting a parent goal",
        params: GoalParams.extend({ parentId: z.uuid() }),
        response: { 204: z.null(), ...writeErrors },
      },
    },
    async (req, reply) => {
      await goals.unalignGoal(requireActor(req), req.params.id, req.params.parentId);
      return reply.status(204).send(null);
    },
  );
  app.get(
    "/goals/:id/versions",
    {
      schema: {
        tags,
        summary: "The goal's versions, oldest first",
        params: GoalParams,
        querystring: PageQuery,
        response: { 200: pageOf(GoalVersionSummary), ...errors },
      },
    },
    async (req) => goals.listVersions(requireActor(req), req.params.id, req.query),
  );
  app.get(
    "/goals/:id/versions/:version",
    {
      schema: {
        tags,
        summary: "One immutable version of the goal's definition",
        params: GoalParams.extend({ version: z.coerce.number().int().min(1) }),
        response: { 200: GoalVersion, ...errors },
      },
    },
    async (req) => goals.getVersion(requireActor(req), req.params.id, req.params.version),
  );
};
