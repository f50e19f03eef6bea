/**
 * Connector pulls through pg-boss, the design's job queue: on PostgreSQL over the server's pool, on
 * the embedded PGlite in-process through pg-boss's `db` option (one `executeSql` over the same PGlite
 * instance; PGlite runs one statement or transaction at a time, so pg-boss's SQL simply takes its
 * turn). The same job code runs either way.
 *
 * - `connectors.tick` is a pg-boss cron job (every minute; pg-boss emits a cron job once per minute
 *   across all processes). It claims the due sources (moving each one's `next_run_at` on with a
 *   conditional update, so one process claims a given due time) and switches stale primaries to
 *   their backups, then queues a pull for each.
 * - `connectors.pull` is a `stately` queue keyed by source id (`singletonKey`): at most one queued
 *   and one active pull per source, whichever process sent it; the source's row lock and lease in
 *   the runner are the second guard.
 */
import PgBoss from "pg-boss";
import type { Clock } from "../clock.ts";
import type { Database } from "../db/connection.ts";
import { AppError } from "../errors.ts";
import { createSourceRunner, type Trigger } from "../modules/connectors/connectors.run.ts";
import { loadOrgSettings } from "../modules/progress/progress.repo.ts";

export const PULL_QUEUE = "connectors.pull";
export const TICK_QUEUE = "connectors.tick";

export type JobLog = {
  info: (obj: object, msg: string) => void;
  error: (obj: object, msg: string) => void;
};

type PullJob = { orgId: string; sourceId: string; trigger: Trigger };

/** pg-boss's database adapter over our connection: PGlite's exec for multi-statement SQL, else query. */
export function bossDb(database: Database): PgBoss.Db {
  if (database.kind === "pglite") {
    const client = database.pglite;
    if (!client) throw new Error("embedded database without its PGlite instance");
    return {
      async executeSql(text: string, values?: unknown[]) {
        if (values && values.length > 0) return client.query(text, values as never[]);
        const results = await client.exec(text);
        return results.at(-1) ?? { rows: [] };
      },
    };
  }
  const pool = database.pool;
  if (!pool) throw new Error("postgres database without a pool");
  return { executeSql: (text: string, values?: unknown[]) => pool.query(text, values as never[]) };
}

export type ConnectorJobs = {
  /** Claims what is due at the clock's now and queues the pulls; answers the pulls queued. */
  tick: () => Promise<PullJob[]>;
  /** Queues a pull (one per source at a time). */
  enqueue: (job: PullJob) => Promise<string | null>;
  stop: () => Promise<void>;
};

export async function startConnectorJobs(deps: {
  database: Database;
  clock: Clock;
  log: JobLog;
  /** seconds between a worker's polls (pg-boss's minimum is 0.5; 5 by default: schedules are per minute, and run-now does not queue) */
  pollingIntervalSeconds?: number;
  /** false in tests: no cron tick, `tick()` is called by hand */
  schedule?: boolean;
}): Promise<ConnectorJobs> {
  const db = deps.database.db;
  const runner = createSourceRunner({ db, clock: deps.clock });
  const boss = new PgBoss({ db: bossDb(deps.database), schema: "pgboss", schedule: deps.schedule ?? true });
  boss.on("error", (err) => deps.log.error({ err }, "job queue error"));
  await boss.start();
  await boss.createQueue(PULL_QUEUE, {
    name: PULL_QUEUE,
    policy: "stately",
    retryLimit: 0,
    expireInSeconds: 900,
  });
  await boss.createQueue(TICK_QUEUE, { name: TICK_QUEUE, policy: "stately", retryLimit: 0 });

  const zones = new Map<string, string>();
  const zoneOf = async (orgId: string) => {
    let z = zones.get(orgId);
    if (!z) {
      z = (await loadOrgSettings(db, orgId))?.timeZone ?? "UTC";
      zones.set(orgId, z);
    }
    return z;
  };

  const enqueue = (job: PullJob) =>
    boss.send(PULL_QUEUE, job, { singletonKey: job.sourceId, retryLimit: 0, expireInSeconds: 900 });

  async function tick(): Promise<PullJob[]> {
    const now = deps.clock.now();
    const due = (await runner.claimDue(now, zoneOf)).map((d): PullJob => ({ ...d, trigger: "schedule" }));
    const backups = (await runner.switchStale(now)).map((d): PullJob => ({ ...d, trigger: "failover" }));
    const queued: PullJob[] = [];
    for (const job of [...due, ...backups]) if ((await enqueue(job)) !== null) queued.push(job);
    return queued;
  }

  await boss.work<PullJob>(
    PULL_QUEUE,
    { batchSize: 1, pollingIntervalSeconds: deps.pollingIntervalSeconds ?? 5 },
    async (jobs) => {
      for (const job of jobs) {
        const { orgId, sourceId, trigger } = job.data;
        try {
          const run = await runner.runSource(orgId, sourceId, { trigger });
          deps.log.info({ sourceId, runId: run.id, status: run.status }, "connector pulled");
        } catch (err) {
          // a run under way elsewhere, or a source deactivated meanwhile: nothing to do
          if (err instanceof AppError && (err.code === "conflict" || err.code === "not_found")) continue;
          throw err;
        }
      }
    },
  );
  if (deps.schedule ?? true) {
    await boss.work(TICK_QUEUE, { pollingIntervalSeconds: deps.pollingIntervalSeconds ?? 5 }, async () => {
      await tick();
    });
    await boss.schedule(TICK_QUEUE, "* * * * *");
    await boss.send(TICK_QUEUE, {}, { singletonKey: "start" });
  }

  return {
    tick,
    enqueue,
    stop: () => boss.stop({ graceful: true, wait: true, timeout: 10_000 }),
  };
}
