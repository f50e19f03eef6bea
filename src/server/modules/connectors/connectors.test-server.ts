/**
 * A real HTTP server for connector tests (node:http on a free port): each path answers what the test
 * set — a body with a status and type, a hang past the client's timeout, or a required header.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestApp, TestPerson } from "../../testing/test-app.ts";
import { manualRunsIdle } from "./connectors.run-now.ts";

export type Answer = {
  status?: number;
  type?: string;
  body?: string;
  /** never answer (the client's timeout ends it) */
  hang?: boolean;
  /** answer 401 unless this header has this value */
  requireHeader?: [string, string];
  /** answer 302 to this location */
  redirect?: string;
};

export type TestServer = {
  url: (path: string) => string;
  port: number;
  set: (path: string, answer: Answer) => void;
  /** requests seen, by path */
  hits: Map<string, number>;
  close: () => Promise<void>;
};

export async function startTestServer(): Promise<TestServer> {
  const answers = new Map<string, Answer>();
  const hits = new Map<string, number>();
  const hanging = new Set<import("node:http").ServerResponse>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const a = answers.get(path);
    if (!a) {
      res.writeHead(404, { "content-type": "text/plain" }).end("no such path");
      return;
    }
    if (a.hang) {
      hanging.add(res);
      res.on("close", () => hanging.delete(res));
      return;
    }
    if (a.requireHeader && req.headers[a.requireHeader[0].toLowerCase()] !== a.requireHeader[1]) {
      res.writeHead(401, { "content-type": "text/plain" }).end("who are you?");
      return;
    }
    if (a.redirect) {
      res.writeHead(302, { location: a.redirect }).end();
      return;
    }
    res.writeHead(a.status ?? 200, { "content-type": a.type ?? "application/json" }).end(a.body ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    port,
    set: (path, answer) => answers.set(path, answer),
    hits,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * POST …/run, then wait for the pull it started (in this process) and read the finished run: the
 * status is the POST's (202, or 409 / 403 / 404 with their problem), the body the run as it ended.
 */
export async function runAndWait<T>(
  t: TestApp,
  who: TestPerson,
  id: string,
): Promise<{ status: number; body: T; started: T }> {
  const res = await t.call<T & { id: string }>(who, {
    method: "POST",
    url: `/api/v1/data-sources/${id}/run`,
  });
  if (res.status !== 202) return { status: res.status, body: res.body, started: res.body };
  await manualRunsIdle();
  const done = await t.call<T>(who, { method: "GET", url: `/api/v1/data-sources/${id}/runs/${res.body.id}` });
  return { status: res.status, body: done.body, started: res.body };
}
