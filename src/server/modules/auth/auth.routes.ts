import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { type AppDeps, requireActor } from "../../app.ts";
import { Problem } from "../../http/problem.ts";
import { DemoLogins, LoginInput, Me } from "./auth.schema.ts";
import { createAuthService, SESSION_COOKIE } from "./auth.service.ts";

export const authRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const auth = createAuthService(deps);
  app.post(
    "/auth/login",
    {
      config: { public: true },
      schema: {
        tags: ["auth"],
        summary: "Sign in; sets the session cookie",
        body: LoginInput,
        response: { 200: Me, 400: Problem, 401: Problem },
      },
    },
    async (req, reply) => {
      const session = await auth.login(req.body.email, req.body.password);
      reply.setCookie(SESSION_COOKIE, session.cookie, {
        path: "/",
        httpOnly: true,
        sameSite: "lax",
        secure: deps.secureCookies ?? false,
        expires: session.expiresAt,
      });
      return auth.me({ orgId: session.orgId, personId: session.personId, roles: [], unitId: null });
    },
  );
  app.get(
    "/auth/demo-logins",
    {
      config: { public: true },
      schema: {
        tags: ["auth"],
        summary: "The demo organisation's logins and password (404 unless this is a demo install)",
        response: { 200: DemoLogins, 404: Problem },
      },
    },
    async () => auth.demoLogins(),
  );
  app.post(
    "/auth/logout",
    {
      config: { public: true },
      schema: { tags: ["auth"], summary: "Sign out", response: { 204: z.null() } },
    },
    async (req, reply) => {
      await auth.logout(req.cookies[SESSION_COOKIE]);
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.status(204).send(null);
    },
  );
  app.get(
    "/me",
    { schema: { tags: ["auth"], summary: "The signed-in person", response: { 200: Me, 401: Problem } } },
    async (req) => auth.me(requireActor(req)),
  );
};
