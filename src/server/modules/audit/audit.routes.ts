import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { type AppDeps, requireActor } from "../../app.ts";
import { PageQuery, pageOf } from "../../http/pagination.ts";
import { Problem } from "../../http/problem.ts";
import { createAuditService } from "./audit.service.ts";

const AuditEvent = z
  .object({
    seq: z.number().int(),
    id: z.uuid(),
    at: z.string(),
    actorId: z.uuid().nullable(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string(),
    data: z.record(z.string(), z.unknown()),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: "AuditEvent" });

const Verification = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    head: z.string().optional(),
    firstBreak: z.object({ seq: z.number().int(), reason: z.string() }).optional(),
  })
  .meta({ id: "AuditVerification" });

export const auditRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const audit = createAuditService(deps);
  app.get(
    "/audit-events",
    {
      schema: {
        tags: ["audit"],
        summary: "The organisation's audit events, newest first",
        querystring: PageQuery.extend({
          entityType: z.string().max(50).optional(),
          entityId: z.string().max(100).optional(),
          action: z.string().max(100).optional(),
        }),
        response: { 200: pageOf(AuditEvent), 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (req) => audit.listEvents(requireActor(req), req.query),
  );
  app.get(
    "/audit-events/verify",
    {
      schema: {
        tags: ["audit"],
        summary: "Re-walk the hash chain and report the first break",
        response: { 200: Verification, 401: Problem, 403: Problem },
      },
    },
    async (req) => audit.verify(requireActor(req)),
  );
};
