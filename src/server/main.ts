/**
 * The composition root: `npm start`. Reads the environment, opens (and migrates) the database, seeds
 * the demo organisation into an empty embedded database, makes sure the bootstrap administrator
 * exists, then serves the API and the web app until SIGINT or SIGTERM.
 */
import type { FastifyInstance } from "fastify";
import { ensureWebBuild } from "../../scripts/build-web.ts";
import { buildApp } from "./app.ts";
import { systemClock } from "./clock.ts";
import { type Config, ConfigError, readConfig } from "./config.ts";
import { type Database, openDatabase } from "./db/connection.ts";
import { DataDirLockedError } from "./db/data-dir-lock.ts";
import { ensureAdmin, isEmpty } from "./db/seed/bootstrap-admin.ts";
import { DEMO_PASSWORD, findDemoLogins } from "./db/seed/demo-logins.ts";
import { seedDemo } from "./db/seed/seed-demo.ts";
import { startConnectorJobs } from "./jobs/connector-jobs.ts";
import { createDailyRecompute } from "./jobs/daily-recompute.ts";

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Problems a person can fix (a setting, a folder in use) end the start with one line, no stack trace. */
function fail(message: string): never {
  console.error(`yardstick: ${message}`);
  process.exit(1);
}

async function prepare(config: Config, database: Database): Promise<string[]> {
  const notes: string[] = [];
  if (config.seed === "demo" && (await isEmpty(database.db))) {
    const r = await seedDemo(database.db);
    notes.push(
      `Seeded the demo organisation in ${seconds(r.milliseconds)}: ${r.counts.people} people, ` +
        `${r.counts.metrics} KPIs, ${r.counts.measurements} measurements, ${r.counts.goals} goals.`,
    );
  }
  if (config.admin) {
    const r = await ensureAdmin(database.db, config.admin);
    notes.push(
      r.created
        ? `Created the administrator ${config.admin.email}${r.orgCreated ? ' in a new organisation "My organisation"' : ""}.`
        : `Set the password of the administrator ${config.admin.email}.`,
    );
  }
  return notes;
}

async function printWelcome(
  config: Config,
  database: Database,
  app: FastifyInstance,
  notes: string[],
  ms: number,
) {
  const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${port}`;
  const where = database.kind === "pglite" ? `embedded database in ${config.dataDir}` : "PostgreSQL server";
  const lines = [
    "",
    `Yardstick is running at ${url} (${where}; ready in ${seconds(ms)})`,
    `API reference: ${url}/api/docs   OpenAPI: ${url}/api/v1/openapi.json`,
    ...notes,
  ];
  const logins = await findDemoLogins(database.db);
  if (logins.length > 0) {
    lines.push("", `Demo logins (password "${DEMO_PASSWORD}"):`);
    const width = Math.max(...logins.map((l) => l.email.length));
    for (const l of logins) lines.push(`  ${l.email.padEnd(width)}  ${l.role} (${l.name})`);
  }
  lines.push("", "Press Ctrl+C to stop.", "");
  console.log(lines.join("\n"));
}

async function main(): Promise<void> {
  const started = performance.now();
  let config: Config;
  try {
    config = readConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  let database: Database;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (err) {
    if (err instanceof DataDirLockedError) fail(err.message);
    throw err;
  }

  let app: FastifyInstance | undefined;
  let stopJobs: (() => Promise<void>) | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\nyardstick: ${signal} received, shutting down…`);
    try {
      await stopJobs?.();
      await app?.close();
    } finally {
      // Closing the embedded database also releases the data-folder lock.
      await database.close();
    }
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  try {
    const notes = await prepare(config, database);
    // `npm start` serves the built web app, building it first when it is missing or older than its
    // sources; `npm run dev` passes --no-web-build because Vite's dev server serves the app there.
    const webRoot = process.argv.includes("--no-web-build")
      ? undefined
      : await ensureWebBuild({ quiet: config.logLevel === "silent" });
    app = await buildApp({
      db: database.db,
      clock: systemClock,
      logger: config.logLevel !== "silent",
      ...(webRoot ? { webRoot } : {}),
    });
    app.log.level = config.logLevel;
    await app.listen({ port: config.port, host: config.host });
    await printWelcome(config, database, app, notes, performance.now() - started);
    const daily = createDailyRecompute({ db: database.db, clock: systemClock, log: app.log });
    const stopTimer = daily.start();
    const connectors = await startConnectorJobs({ database, clock: systemClock, log: app.log });
    stopJobs = async () => {
      stopTimer();
      await connectors.stop();
      await daily.idle();
    };
  } catch (err) {
    await app?.close().catch(() => {});
    await database.close().catch(() => {});
    if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") {
      fail(
        `port ${config.port} on ${config.host} is in use: stop the other server or set PORT to another port.`,
      );
    }
    throw err;
  }
}

await main();
