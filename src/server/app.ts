import fastifyCookie from "@fastify/cookie";
import fastifySwagger from "@fastify/swagger";
import scalar from "@scalar/fastify-api-reference";
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from "fastify-type-provider-zod";
import { uuidv7 } from "uuidv7";
import type { Actor } from "./actor.ts";
import type { Clock } from "./clock.ts";
import type { Db } from "./db/connection.ts";
import { AppError, type FieldError } from "./errors.ts";
import { problem } from "./http/problem.ts";
import { resolveActor, SESSION_COOKIE } from "./modules/auth/auth.service.ts";
import { registerModules } from "./register-modules.ts";
import { registerWeb } from "./web-assets.ts";

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyInstance {
    /** "METHOD /path" of every route, for the permission-table completeness check. */
    routeList: string[];
  }
  interface FastifyContextConfig {
    /** Routes that answer without a signed-in caller. */
    public?: boolean;
  }
}

export type AppDeps = {
  db: Db;
  clock: Clock;
  logger?: boolean;
  /** Folder of the built web app; served at / when given. */
  webRoot?: string;
  /** Cookie `Secure` flag: on behind HTTPS. */
  secureCookies?: boolean;
};

/** The signed-in caller; routes call this, services receive the actor. */
export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError("unauthenticated", "sign in first: POST /api/v1/auth/login");
  return req.actor;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ? { level: "info" } : false,
    genReqId: () => uuidv7(),
    requestIdHeader: false,
    bodyLimit: 10 * 1024 * 1024,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest("actor", null);
  const routeList: string[] = [];
  app.decorate("routeList", routeList);
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) {
      if (method !== "HEAD" && route.url.startsWith("/api/v1/")) routeList.push(`${method} ${route.url}`);
    }
  });
  app.addHook("onSend", async (req, reply) => {
    reply.header("x-request-id", req.id);
  });

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Yardstick API",
        version: "1.0.0",
        description:
          "SMART goals that are measured, tracked and accountable. Sign in with POST /api/v1/auth/login (session cookie).",
      },
      components: {
        securitySchemes: { session: { type: "apiKey", in: "cookie", name: SESSION_COOKIE } },
      },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  app.setErrorHandler((err, req, reply) => {
    const requestId = String(req.id);
    const send = (status: number, code: string, title: string, detail: string, errors?: FieldError[]) =>
      reply
        .status(status)
        .type("application/problem+json")
        .send(
          problem({
            code,
            title,
            status,
            detail,
            requestId,
            instance: req.url,
            ...(errors ? { errors } : {}),
          }),
        );
    if (err instanceof AppError) return send(err.status, err.code, err.title, err.message, err.errors);
    if (hasZodFastifySchemaValidationErrors(err)) {
      const errors = err.validation.map((v) => ({
        field: [err.validationContext === "body" ? "" : err.validationContext, ...v.instancePath.split("/")]
          .filter(Boolean)
          .join("."),
        message: v.message ?? "is invalid",
      }));
      return send(
        400,
        "invalid",
        "Invalid input",
        errors.map((e) => `${e.field || "body"}: ${e.message}`).join("; "),
        errors,
      );
    }
    if (isResponseSerializationError(err)) req.log.error({ err }, "response did not match its schema");
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      return send(status, "bad_request", "Bad request", err instanceof Error ? err.message : "bad request");
    }
    req.log.error({ err }, "unexpected error");
    return send(
      500,
      "internal",
      "Internal error",
      `Something went wrong on our side; quote request id ${requestId}.`,
    );
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .status(404)
      .type("application/problem+json")
      .send(
        problem({
          code: "not_found",
          title: "Not found",
          status: 404,
          detail: `no route for ${req.method} ${req.url.split("?")[0]}`,
          requestId: String(req.id),
        }),
      ),
  );

  app.addHook("onRequest", async (req) => {
    req.actor = await resolveActor(deps.db, deps.clock, req.cookies[SESSION_COOKIE]);
    if (!req.actor && !req.routeOptions.config.public && req.url.startsWith("/api/v1/")) {
      throw new AppError("unauthenticated", "sign in first: POST /api/v1/auth/login");
    }
  });

  await app.register(
    async (api) => {
      api.get("/openapi.json", { config: { public: true }, schema: { hide: true } }, async () =>
        app.swagger(),
      );
      await registerModules(api, deps);
    },
    { prefix: "/api/v1" },
  );
  await app.register(scalar, {
    routePrefix: "/api/docs",
    configuration: { url: "/api/v1/openapi.json", title: "Yardstick API" },
  });
  if (deps.webRoot) await registerWeb(app, deps.webRoot);
  return app;
}
