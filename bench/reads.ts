/**
 * Read benchmark (issue 2, "Speed"): goal list and goal tree reads through the real HTTP server,
 * beside a bare Fastify JSON route in the same process and the same run, with autocannon in a worker
 * thread so the load generator does not share the server's event loop.
 *
 *   DATABASE_URL=postgres://… npx tsx bench/reads.ts --people 10000   # PostgreSQL, fresh database
 *   DATABASE_URL=postgres://… npx tsx bench/reads.ts --reuse <db>     # a database kept by --keep
 *   npx tsx bench/reads.ts                                            # PGlite in memory, 250 people
 *
 * Options: --seconds 10 (per route), --connections 20, --keep. Bounded: stops by itself.
 */
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import Fastify from "fastify";
import { buildApp } from "../src/server/app.ts";
import { systemClock } from "../src/server/clock.ts";
import { createSession, SESSION_COOKIE } from "../src/server/modules/auth/auth.service.ts";
import { createProgressService } from "../src/server/modules/progress/progress.service.ts";
import { openBenchDatabase } from "./bench-db.ts";
import { describeOrg, generateOrg } from "./recompute-data.ts";

const { values: args } = parseArgs({
  options: {
    people: { type: "string" },
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "20" },
    keep: { type: "boolean", default: false },
    reuse: { type: "string" },
  },
});
const url = process.env.DATABASE_URL;
const people = Number(args.people ?? (url ? 10_000 : 250));
const seconds = Math.min(Number(args.seconds), 120);
const connections = Math.min(Number(args.connections), 500);
const log = (msg: string) => console.log(msg);

type Row = { route: string; rps: number; p50: number; p99: number; errors: number; bytes: number };

async function load(name: string, target: string, cookie?: string): Promise<Row> {
  // One request first: a route that answers an error would measure the error path, not the read.
  const probe = await fetch(target, cookie ? { headers: { cookie } } : {});
  if (!probe.ok) throw new Error(`${name}: ${probe.status} ${await probe.text()}`);
  const result = await autocannon({
    url: target,
    connections,
    duration: seconds,
    workers: 1,
    ...(cookie ? { headers: { cookie } } : {}),
  });
  const errors = result.errors + result.non2xx;
  const row = {
    route: name,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors,
    bytes: Math.round(result.throughput.average / Math.max(1, result.requests.average)),
  };
  log(
    `  ${name}: ${row.rps} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms${errors ? `, ${errors} errors` : ""}`,
  );
  return row;
}

async function main() {
  const { database, drop } = await openBenchDatabase({
    url,
    reuse: args.reuse,
    keep: args.keep ?? false,
    pool: 16,
    log,
  });
  const db = database.db;
  const rows: Row[] = [];
  const bare = Fastify({ logger: false });
  bare.get("/bare", async () => ({ ok: true, items: [{ id: 1, title: "a goal" }] }));
  const app = await buildApp({ db, clock: systemClock, logger: process.env.BENCH_LOG === "1" });
  try {
    log(`preparing ${people} people on ${database.kind}…`);
    const org = args.reuse ? await describeOrg(db, people) : await generateOrg(db, people, log);
    await createProgressService({ db, clock: systemClock }).recomputeAll(org.orgId);
    // An administrator (reads everything) and an employee (the visibility condition does real work).
    await db.execute(
      sql`update people set roles = '{admin}' where id = overlay(overlay(md5('p0') placing '4' from 13) placing '8' from 17)::uuid`,
    );
    await db.execute(sql`update people set roles = '{employee}', manager_id = overlay(overlay(md5('p0') placing '4' from 13) placing '8' from 17)::uuid
      where id = overlay(overlay(md5('p1') placing '4' from 13) placing '8' from 17)::uuid`);
    const ids =
      await db.execute(sql`select overlay(overlay(md5('p0') placing '4' from 13) placing '8' from 17)::uuid::text as admin, overlay(overlay(md5('p1') placing '4' from 13) placing '8' from 17)::uuid::text as employee,
      overlay(overlay(md5('t0') placing '4' from 13) placing '8' from 17)::uuid::text as team_goal, overlay(overlay(md5('g1-0') placing '4' from 13) placing '8' from 17)::uuid::text as goal`);
    const [row] = (ids as unknown as { rows: Record<string, string>[] }).rows;
    if (!row) throw new Error("no ids");
    const cookie = async (personId: string | undefined) =>
      `${SESSION_COOKIE}=${(await createSession(db, systemClock, org.orgId, personId ?? "")).cookie}`;
    const admin = await cookie(row.admin);
    const employee = await cookie(row.employee);

    await bare.listen({ port: 0, host: "127.0.0.1" });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const base = (f: typeof app | typeof bare) => {
      const a = f.server.address();
      return `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}`;
    };
    const api = `${base(app)}/api/v1`;
    log(`load: ${connections} connections, ${seconds} s per route`);
    rows.push(await load("bare Fastify JSON route", `${base(bare)}/bare`));
    rows.push(await load("GET /goals?limit=50 (administrator)", `${api}/goals?limit=50`, admin));
    rows.push(await load("GET /goals?limit=50 (employee)", `${api}/goals?limit=50`, employee));
    rows.push(await load("GET /goals?mine=true (employee)", `${api}/goals?mine=true&limit=50`, employee));
    rows.push(
      await load(
        "GET /goals?parentId=<team goal> (tree level)",
        `${api}/goals?parentId=${row.team_goal}`,
        admin,
      ),
    );
    rows.push(
      await load("GET /goals/{id}/alignments (up + down)", `${api}/goals/${row.team_goal}/alignments`, admin),
    );
    rows.push(await load("GET /goals/{id}", `${api}/goals/${row.goal}`, employee));
  } finally {
    await app.close();
    await bare.close();
    await drop();
  }
  console.log(`\n| route (${database.kind}, ${people} people) | req/s | p50 ms | p99 ms | errors |`);
  console.log("| --- | --- | --- | --- | --- |");
  for (const r of rows) console.log(`| ${r.route} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.errors} |`);
}

await main();
