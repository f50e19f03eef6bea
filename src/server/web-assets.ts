import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/** Serves the built single-page app; unknown non-API paths get index.html so client routes load. */
export async function registerWeb(app: FastifyInstance, webRoot: string): Promise<void> {
  if (!existsSync(join(webRoot, "index.html"))) return;
  await app.register(fastifyStatic, { root: webRoot, wildcard: false });
  app.get("/*", { config: { public: true }, schema: { hide: true } }, (req, reply) => {
    if (req.url.startsWith("/api/")) {
      return reply.callNotFound();
    }
    return reply.sendFile("index.html");
  });
}
