/**
 * One pull of a data source, and the switch to and from its backup. A pull claims the source (a row
 * lock and a `running_since` lease: one run at a time per source, across server processes), reads it
 * outside any transaction, then in one transaction stores what it read (for the discrepancy report)
 * and — when the source feeds its metrics — writes the rows (connectors.feed.ts), with the run's
 * counts, the source's health and the audit event.
 *
 * Feeding: a primary always feeds. A backup feeds only while a primary it stands in for has switched
 * to it (that primary failed, or is stale past its window).
 */
import { uuidv7 } from "uuidv7";
import {
  ABANDONED_RUN_ERROR,
  type Health,
  needsBackup,
  nextRunAt,
  RUN_LEASE_MINUTES,
  sourceHealth,
} from "../../../domain/connectors.ts";
import type { Actor } from "../../actor.ts";
import type { Clock } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";
import { AppError } from "../../errors.ts";
import { appendAudit } from "../audit/audit.service.ts";
import { findMetricFactsByIdsOrKeys } from "../metrics/metrics.service.ts";
import { findPersonSummary } from "../people/people.service.ts";
import { feedRecords } from "./connectors.feed.ts";
import { readSource } from "./connectors.read.ts";
import * as repo from "./connectors.repo.ts";
import type { Schedule, SourceKind } from "./connectors.schema.ts";
import { createSecretColumn } from "./connectors.secret-column.ts";
import type { SecretKeySource } from "./connectors.secrets.ts";

/** A run older than this is taken to have died with its process; the source may run again. */
export const RUN_LEASE_MS = RUN_LEASE_MINUTES * 60_000;
/** Problems kept on a run. */
const MAX_PROBLEMS = 100;

export const healthOf = (s: repo.SourceRow, now: Date): Health =>
  sourceHealth(
    {
      createdAt: new Date(s.createdAt),
      lastRunAt: s.lastRunAt ? new Date(s.lastRunAt) : null,
      lastSuccessAt: s.lastSuccessAt ? new Date(s.lastSuccessAt) : null,
      lastError: s.lastError,
      staleAfterMinutes: s.staleAfterMinutes,
    },
    now,
  );

export type Trigger = "schedule" | "manual" | "failover";

/** The person scheduled pulls write as: the source's steward, with their current roles. */
async function stewardActor(db: Db, s: repo.SourceRow): Promise<Actor> {
  const p = await findPersonSummary(db, s.orgId, s.stewardId);
  if (!p?.active) throw new AppError("forbidden", "the source's steward is no longer active: name another");
  return { orgId: s.orgId, personId: p.id, roles: p.roles, unitId: p.unitId };
}

export function createSourceRunner(deps: { db: Db; clock: Clock; secretKey?: SecretKeySource }) {
  const { db, clock } = deps;
  const secrets = createSecretColumn(deps.secretKey);

  /** Claims the source for a pull: answers the new run, or throws `conflict` when one is under way. */
  async function claim(orgId: string, id: string, trigger: Trigger) {
    const now = clock.now();
    return db.transaction(async (tx) => {
      const s = await repo.lockSource(tx, orgId, id);
      if (!s) throw new AppError("not_found", "data source was not found");
      if (!s.active) throw new AppError("conflict", "the source is deactivated: reactivate it to run it");
      if (s.runningSince && now.getTime() - new Date(s.runningSince).getTime() < RUN_LEASE_MS)
        throw new AppError(
          "conflict",
          `a run of this source is under way since ${new Date(s.runningSince).toISOString()}`,
        );
      // a run past its lease died with its process: its history says so from now on
      if (s.runningSince) await repo.failRunningRuns(tx, orgId, id, now.toISOString(), ABANDONED_RUN_ERROR);
      const primaries = await repo.listBackedBy(tx, orgId, id);
      const fed = primaries.length === 0 || primaries.some((p) => p.active && p.usingBackup);
      const run: repo.RunInsert = {
        orgId,
        id: uuidv7(),
        sourceId: id,
        kind: "pull",
        trigger,
        status: "running",
        fed,
        startedAt: now.toISOString(),
        note:
          fed && primaries.length > 0
            ? `standing in for ${primaries
                .filter((p) => p.usingBackup)
                .map((p) => p.name)
                .join(", ")}`
            : null,
      };
      await repo.insertRun(tx, run);
      await repo.updateSource(tx, orgId, id, { runningSince: now.toISOString() });
      const row = (await repo.findRun(tx, orgId, run.id)) as repo.RunRow;
      return { source: s, run: row, fed };
    });
  }

  /** Records a switch on both sources' histories, flips `using_backup`, audits it. Inside `tx`. */
  async function recordSwitch(
    tx: Db,
    primary: repo.SourceRow,
    backupId: string,
    to: "backup" | "primary",
    reason: string,
    actorId: string | null,
  ) {
    const now = clock.now().toISOString();
    const kind = to === "backup" ? "switch_to_backup" : "switch_to_primary";
    await repo.updateSource(tx, primary.orgId, primary.id, { usingBackup: to === "backup" });
    for (const sourceId of [primary.id, backupId])
      await repo.insertRun(tx, {
        orgId: primary.orgId,
        id: uuidv7(),
        sourceId,
        kind,
        trigger: "failover",
        status: "recorded",
        startedAt: now,
        finishedAt: now,
        error: to === "backup" ? reason : null,
        note:
          to === "backup"
            ? `backup ${backupId} feeds the metrics of ${primary.name}: ${reason}`
            : `${primary.name} feeds its metrics again: ${reason}`,
      });
    await appendAudit(tx, { orgId: primary.orgId, actorId, at: new Date(now) }, [
      {
        action: to === "backup" ? "data_source.switched_to_backup" : "data_source.switched_to_primary",
        entityType: "data_source",
        entityId: primary.id,
        data: { backupSourceId: backupId, reason },
      },
    ]);
  }

  /**
   * Switches a primary to its backup (once: nothing when already switched or without a backup).
   * Answers the backup's id when it switched.
   */
  async function switchToBackup(orgId: string, id: string, reason: string, actorId: string | null) {
    return db.transaction(async (tx) => {
      const s = await repo.lockSource(tx, orgId, id);
      if (!s?.backupSourceId || s.usingBackup) return null;
      const backup = await repo.findSource(tx, orgId, s.backupSourceId);
      if (!backup?.active) return null;
      await recordSwitch(tx, s, backup.id, "backup", reason, actorId);
      return backup.id;
    });
  }

  /**
   * Pulls the source once. Answers its run (failed ones too: their error is the source's health).
   * On failure, a primary with a backup switches to it and the backup is pulled at once (a failover
   * pull does not fail over again). `conflict` when a run is under way, `not_found` for no source.
   */
  async function runSource(
    orgId: string,
    id: string,
    opts: { trigger: Trigger; actor?: Actor | undefined },
  ): Promise<repo.RunRow> {
    return (await startRun(orgId, id, opts)).done;
  }

  /**
   * Claims the source (throwing `conflict` or `not_found` as runSource does) and answers its run,
   * still running, with `done`: the rest of the pull (and any failover), which never rejects for a
   * fault of the source (that is the run's error) and answers the finished run.
   */
  async function startRun(
    orgId: string,
    id: string,
    opts: { trigger: Trigger; actor?: Actor | undefined },
  ): Promise<{ run: repo.RunRow; done: Promise<repo.RunRow> }> {
    const claimed = await claim(orgId, id, opts.trigger);
    return { run: claimed.run, done: pull(orgId, claimed, opts) };
  }

  async function pull(
    orgId: string,
    { source: s, run, fed }: Awaited<ReturnType<typeof claim>>,
    opts: { trigger: Trigger; actor?: Actor | undefined },
  ): Promise<repo.RunRow> {
    const actorId = opts.actor?.personId ?? null;
    let failure: string | null = null;
    try {
      const targets = await findMetricFactsByIdsOrKeys(db, orgId, s.metricIds, []);
      const read = await readSource(s.kind as SourceKind, s.config, {
        secret: secrets.read(orgId, s.id, s.secret),
        defaultMetricKey: targets.length === 1 ? (targets[0]?.key ?? null) : null,
      });
      const actor = opts.actor ?? (await stewardActor(db, s));
      await db.transaction(async (tx) => {
        const { counts, problems } = await feedRecords(tx, clock, s, actor, run.id, read.records, fed);
        const allProblems = [...read.problems, ...problems];
        const rejectedRows = new Set(allProblems.map((p) => p.row)).size;
        const now = clock.now().toISOString();
        const rowsRead = read.records.length + new Set(read.problems.map((p) => p.row)).size;
        const finalCounts = { ...counts, rejected: fed ? rejectedRows : 0 };
        await repo.updateRun(tx, orgId, run.id, {
          status: "succeeded",
          finishedAt: now,
          rowsRead,
          ...finalCounts,
          problems: allProblems.slice(0, MAX_PROBLEMS),
        });
        await repo.updateSource(tx, orgId, s.id, {
          runningSince: null,
          lastRunAt: now,
          lastSuccessAt: now,
          lastError: null,
          lastRows: rowsRead,
        });
        await appendAudit(tx, { orgId, actorId, at: new Date(now) }, [
          {
            action: "data_source.pulled",
            entityType: "data_source",
            entityId: s.id,
            data: { runId: run.id, trigger: opts.trigger, fed, rowsRead, ...finalCounts },
          },
        ]);
        if (s.usingBackup && s.backupSourceId)
          await recordSwitch(tx, s, s.backupSourceId, "primary", "its pull succeeded", actorId);
      });
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err);
      const now = clock.now().toISOString();
      await db.transaction(async (tx) => {
        await repo.updateRun(tx, orgId, run.id, { status: "failed", finishedAt: now, error: failure });
        await repo.updateSource(tx, orgId, s.id, { runningSince: null, lastRunAt: now, lastError: failure });
        await appendAudit(tx, { orgId, actorId, at: new Date(now) }, [
          {
            action: "data_source.failed",
            entityType: "data_source",
            entityId: s.id,
            data: { runId: run.id, trigger: opts.trigger, error: failure },
          },
        ]);
      });
    }
    if (failure !== null && opts.trigger !== "failover") {
      const backupId = await switchToBackup(orgId, s.id, `${s.name} failed: ${failure}`, actorId);
      if (backupId) await runSource(orgId, backupId, { trigger: "failover" }).catch(() => undefined);
    }
    return (await repo.findRun(db, orgId, run.id)) as repo.RunRow;
  }

  /**
   * Switches every primary that is stale past its window to its backup (its failures switch at once);
   * answers the backups that now stand in, to be pulled.
   */
  async function switchStale(now: Date): Promise<{ orgId: string; sourceId: string }[]> {
    const out: { orgId: string; sourceId: string }[] = [];
    for (const s of await repo.listPrimariesNotSwitched(db)) {
      const h = healthOf(s, now);
      if (h.state !== "stale" || !needsBackup(h)) continue;
      const backupId = await switchToBackup(s.orgId, s.id, `${s.name} is stale: ${h.reason}`, null);
      if (backupId) out.push({ orgId: s.orgId, sourceId: backupId });
    }
    return out;
  }

  /**
   * The scheduled sources due at `now`, each claimed by moving its next run on (only one process
   * claims a given due time).
   */
  async function claimDue(
    now: Date,
    zoneOf: (orgId: string) => Promise<string>,
  ): Promise<{ orgId: string; sourceId: string }[]> {
    const out: { orgId: string; sourceId: string }[] = [];
    for (const s of await repo.listDueSources(db, now.toISOString())) {
      if (!s.schedule || !s.nextRunAt) continue;
      const next = nextRunAt(s.schedule as NonNullable<Schedule>, now, await zoneOf(s.orgId));
      if (await repo.claimDue(db, s.orgId, s.id, s.nextRunAt, next.toISOString()))
        out.push({ orgId: s.orgId, sourceId: s.id });
    }
    return out;
  }

  return { runSource, startRun, switchStale, claimDue };
}

export type SourceRunner = ReturnType<typeof createSourceRunner>;
