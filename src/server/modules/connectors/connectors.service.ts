/**
 * Use cases of data sources: create, read, list, update, deactivate, run now, run history and the
 * discrepancy report against the backup. Who may do what is decided here (connectors.policy.ts);
 * pulls themselves are connectors.run.ts.
 */
import { uuidv7 } from "uuidv7";
import {
  ABANDONED_RUN_ERROR,
  defaultStaleMinutes,
  discrepancy,
  nextRunAt,
  runAbandoned,
} from "../../../domain/connectors.ts";
import type { Actor } from "../../actor.ts";
import type { Clock } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";
import { AppError, type FieldError, notFound } from "../../errors.ts";
import { decodeCursor, encodeCursor, toPage } from "../../http/pagination.ts";
import { appendAudit } from "../audit/audit.service.ts";
import { findMetricFactsByIdsOrKeys } from "../metrics/metrics.service.ts";
import { findPersonSummary } from "../people/people.service.ts";
import { createProgressService } from "../progress/progress.service.ts";
import { urlRefusal } from "./connectors.fetch.ts";
import {
  canCreateSource,
  canListSources,
  canManageSource,
  canSeeSource,
  canStewardSource,
  type SourceFacts,
} from "./connectors.policy.ts";
import * as repo from "./connectors.repo.ts";
import { createSourceRunner, healthOf } from "./connectors.run.ts";
import { trackManualRun } from "./connectors.run-now.ts";
import {
  type CreateDataSourceInput,
  type DataSource,
  type DataSourceRun,
  type DiscrepancyReport,
  SECRET_MASK,
  type SourceListQuery,
} from "./connectors.schema.ts";
import { createSecretColumn } from "./connectors.secret-column.ts";
import type { SecretKeySource } from "./connectors.secrets.ts";

/** Timestamps as ISO 8601 in UTC, whichever driver read them. */
const iso = <T extends string | null>(v: T): T => (v === null ? v : (new Date(v).toISOString() as T));

/**
 * A run as the API shows it at `now`. A run still `running` past its lease died with its process: it
 * shows as failed, with why, before the source's next claim records that (connectors.run.ts).
 */
export const toRun = (r: repo.RunRow, now: Date): DataSourceRun => {
  const abandoned = runAbandoned(r.status, new Date(r.startedAt), now);
  return {
    id: r.id,
    sourceId: r.sourceId,
    kind: r.kind as DataSourceRun["kind"],
    trigger: r.trigger as DataSourceRun["trigger"],
    status: abandoned ? "failed" : (r.status as DataSourceRun["status"]),
    fed: r.fed,
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
    rowsRead: r.rowsRead,
    counts: {
      accepted: r.accepted,
      flagged: r.flagged,
      quarantined: r.quarantined,
      rejected: r.rejected,
      unchanged: r.unchanged,
    },
    error: abandoned ? ABANDONED_RUN_ERROR : r.error,
    note: r.note,
    problems: r.problems,
  };
};

const FORBIDDEN_CREATE =
  "only administrators, the performance office and the steward of every metric a source feeds manage it";

export function createConnectorsService(deps: { db: Db; clock: Clock; secretKey?: SecretKeySource }) {
  const { db, clock } = deps;
  const runner = createSourceRunner(deps);
  const secrets = createSecretColumn(deps.secretKey);
  const progress = createProgressService(deps);

  async function factsOf(orgId: string, metricIds: string[]): Promise<SourceFacts> {
    const found = await findMetricFactsByIdsOrKeys(db, orgId, metricIds, []);
    return { metricStewardIds: found.map((m) => m.stewardId) };
  }

  /** The source, when the caller may see it; else not found (missing and hidden look the same). */
  async function visible(actor: Actor, id: string) {
    const s = await repo.findSource(db, actor.orgId, id);
    if (!s) throw notFound("data source");
    const facts = await factsOf(actor.orgId, s.metricIds);
    if (!canSeeSource(actor, facts)) throw notFound("data source");
    return { s, facts };
  }

  async function manageable(actor: Actor, id: string) {
    const v = await visible(actor, id);
    if (!canManageSource(actor, v.facts)) throw new AppError("forbidden", FORBIDDEN_CREATE);
    return v;
  }

  async function present(actor: Actor, s: repo.SourceRow): Promise<DataSource> {
    const metrics = await findMetricFactsByIdsOrKeys(db, s.orgId, s.metricIds, []);
    const steward = await findPersonSummary(db, s.orgId, s.stewardId);
    const backupFor = (await repo.listBackedBy(db, s.orgId, s.id)).map((p) => p.id);
    const last = await repo.findLastPull(db, s.orgId, s.id);
    const manage = canManageSource(actor, { metricStewardIds: metrics.map((m) => m.stewardId) });
    const { secret, orgId: _o, runningSince: _r, metricIds, createdBy: _c, ...rest } = s;
    return {
      id: rest.id,
      name: rest.name,
      kind: rest.kind as DataSource["kind"],
      config: rest.config,
      secret: secret ? SECRET_MASK : null,
      metrics: metricIds.flatMap((id) => {
        const m = metrics.find((x) => x.id === id);
        return m ? [{ id: m.id, key: m.key }] : [];
      }),
      schedule: rest.schedule as DataSource["schedule"],
      staleAfterMinutes: rest.staleAfterMinutes,
      steward: { id: s.stewardId, name: steward?.name ?? "" },
      backupSourceId: rest.backupSourceId,
      backupFor,
      active: rest.active,
      usingBackup: rest.usingBackup,
      health: healthOf(s, clock.now()),
      nextRunAt: iso(rest.nextRunAt),
      lastRunAt: iso(rest.lastRunAt),
      lastSuccessAt: iso(rest.lastSuccessAt),
      lastError: rest.lastError,
      lastRows: rest.lastRows,
      lastRun: last ? toRun(last, clock.now()) : null,
      createdAt: iso(rest.createdAt),
      updatedAt: iso(rest.updatedAt),
      abilities: { update: manage, run: manage && rest.active },
    };
  }

  /**
   * Checks what the input refers to (metrics, steward, backup, name) and answers the row's fields.
   * Field-level problems for each fault; `forbidden` when the caller may not manage these metrics.
   */
  async function resolve(actor: Actor, input: CreateDataSourceInput, existing: repo.SourceRow | undefined) {
    const errors: FieldError[] = [];
    const metricIds = [...new Set(input.metricIds)];
    const metrics = await findMetricFactsByIdsOrKeys(db, actor.orgId, metricIds, []);
    metricIds.forEach((id, i) => {
      if (!metrics.some((m) => m.id === id))
        errors.push({ field: `metricIds.${i}`, message: "no metric with this id in the KPI library" });
    });
    const facts = { metricStewardIds: metrics.map((m) => m.stewardId) };
    if (errors.length === 0 && !canCreateSource(actor, facts))
      throw new AppError("forbidden", FORBIDDEN_CREATE);
    const stewardId = input.stewardId ?? existing?.stewardId ?? actor.personId;
    const steward = await findPersonSummary(db, actor.orgId, stewardId);
    if (!steward?.active) errors.push({ field: "stewardId", message: "no active person with this id" });
    else if (
      errors.length === 0 &&
      !canStewardSource(
        { orgId: actor.orgId, personId: steward.id, roles: steward.roles, unitId: steward.unitId },
        facts,
      )
    )
      errors.push({
        field: "stewardId",
        message: `${steward.name} may not record these metrics: pick their data steward, an administrator or the performance office`,
      });
    const same = await repo.findSourceByName(db, actor.orgId, input.name);
    if (same && same.id !== existing?.id)
      errors.push({ field: "name", message: `a source named "${input.name}" exists already` });
    if (input.backupSourceId !== null) {
      const backup = await repo.findSource(db, actor.orgId, input.backupSourceId);
      if (!backup?.active)
        errors.push({ field: "backupSourceId", message: "no active data source with this id" });
      else if (backup.id === existing?.id)
        errors.push({ field: "backupSourceId", message: "a source cannot be its own backup" });
      else if (!metricIds.every((m) => backup.metricIds.includes(m)))
        errors.push({
          field: "backupSourceId",
          message: `${backup.name} does not feed every metric of this source; a backup feeds the same metrics`,
        });
    }
    if (input.kind !== "sql") {
      const refused = urlRefusal(input.config.url);
      if (refused) errors.push({ field: "config.url", message: refused });
    }
    const removesSecret = input.secret === "" || input.secret === null;
    if (input.kind === "sql" && (removesSecret || (input.secret === undefined && !existing?.secret)))
      errors.push({
        field: "secret",
        message: "give the connection URL of the database to query (postgres://…)",
      });
    if (
      input.kind === "sql" &&
      input.secret &&
      input.secret !== SECRET_MASK &&
      !/^postgres(ql)?:\/\//.test(input.secret)
    )
      errors.push({
        field: "secret",
        message: "must be a connection URL: postgres://user:password@host:5432/db",
      });
    if (errors.length > 0) throw new AppError("invalid", errors);
    const { timeZone } = await progress.orgContext(actor.orgId);
    const now = clock.now();
    // undefined keeps the stored secret; null or "" removes it; a string replaces it
    const secret = input.secret === SECRET_MASK ? undefined : input.secret;
    return {
      name: input.name,
      kind: input.kind,
      config: input.config as Record<string, unknown>,
      secret,
      metricIds,
      schedule: input.schedule,
      staleAfterMinutes: input.staleAfterMinutes ?? defaultStaleMinutes(input.schedule, timeZone),
      stewardId,
      backupSourceId: input.backupSourceId,
      nextRunAt: input.schedule ? nextRunAt(input.schedule, now, timeZone).toISOString() : null,
      updatedAt: now.toISOString(),
    };
  }

  /** The settings an audit event records: everything but the secret (only whether it changed). */
  const auditable = (f: Awaited<ReturnType<typeof resolve>>, secretChanged: boolean) => {
    const { secret: _s, updatedAt: _u, ...rest } = f;
    return { ...rest, secretChanged };
  };

  return {
    async createSource(actor: Actor, input: CreateDataSourceInput): Promise<DataSource> {
      if (!canListSources(actor)) throw new AppError("forbidden", FORBIDDEN_CREATE);
      const fields = await resolve(actor, input, undefined);
      const id = uuidv7();
      const secret = secrets.toStore(actor.orgId, id, null, fields.secret);
      const now = clock.now();
      await db.transaction(async (tx) => {
        await repo.insertSource(tx, {
          orgId: actor.orgId,
          id,
          ...fields,
          secret: secret.stored,
          createdBy: actor.personId,
          createdAt: now.toISOString(),
        });
        await appendAudit(tx, { orgId: actor.orgId, actorId: actor.personId, at: now }, [
          {
            action: "data_source.created",
            entityType: "data_source",
            entityId: id,
            data: auditable(fields, secret.changed),
          },
        ]);
      });
      return present(actor, (await repo.findSource(db, actor.orgId, id)) as repo.SourceRow);
    },

    async getSource(actor: Actor, id: string): Promise<DataSource> {
      return present(actor, (await visible(actor, id)).s);
    },

    async listSources(actor: Actor, q: SourceListQuery) {
      if (!canListSources(actor))
        throw new AppError(
          "forbidden",
          "data sources are for administrators, the performance office, auditors and data stewards",
        );
      const rows = await repo.listSources(db, actor.orgId, {
        stewardId: canSeeSource(actor, { metricStewardIds: [] }) ? undefined : actor.personId,
        includeInactive: q.includeInactive,
        after: decodeCursor(q.cursor),
        limit: q.limit + 1,
      });
      const page = toPage(rows, q.limit, (r) => r.id);
      return {
        items: await Promise.all(page.items.map((s) => present(actor, s))),
        nextCursor: page.nextCursor,
      };
    },

    /** Replaces the settings (the kind stays); reactivates a deactivated source. */
    async updateSource(actor: Actor, id: string, input: CreateDataSourceInput): Promise<DataSource> {
      const { s } = await manageable(actor, id);
      if (input.kind !== s.kind)
        throw new AppError("invalid", {
          field: "kind",
          message: `stays ${s.kind}; create a new source for another kind`,
        });
      const fields = await resolve(actor, input, s);
      const secret = secrets.toStore(actor.orgId, id, s.secret, fields.secret);
      const now = clock.now();
      await db.transaction(async (tx) => {
        await repo.updateSource(tx, actor.orgId, id, { ...fields, secret: secret.stored, active: true });
        await appendAudit(tx, { orgId: actor.orgId, actorId: actor.personId, at: now }, [
          {
            action: "data_source.updated",
            entityType: "data_source",
            entityId: id,
            data: auditable(fields, secret.changed),
          },
        ]);
      });
      return present(actor, (await repo.findSource(db, actor.orgId, id)) as repo.SourceRow);
    },

    /** Deactivates the source (it keeps its history and readings; nothing is deleted). */
    async deactivateSource(actor: Actor, id: string): Promise<DataSource> {
      await manageable(actor, id);
      const now = clock.now();
      await db.transaction(async (tx) => {
        await repo.updateSource(tx, actor.orgId, id, {
          active: false,
          nextRunAt: null,
          updatedAt: now.toISOString(),
        });
        await appendAudit(tx, { orgId: actor.orgId, actorId: actor.personId, at: now }, [
          { action: "data_source.deactivated", entityType: "data_source", entityId: id, data: {} },
        ]);
      });
      return present(actor, (await repo.findSource(db, actor.orgId, id)) as repo.SourceRow);
    },

    /**
     * Claims the source and pulls it in the background; answers the run while it is `running`
     * (`conflict` when one is under way). GET …/runs/{runId} says when it is done.
     */
    async runNow(actor: Actor, id: string): Promise<DataSourceRun> {
      await manageable(actor, id);
      const started = await runner.startRun(actor.orgId, id, { trigger: "manual", actor });
      trackManualRun(started.done);
      return toRun(started.run, clock.now());
    },

    /** One run of a source the caller may see. */
    async getRun(actor: Actor, id: string, runId: string): Promise<DataSourceRun> {
      await visible(actor, id);
      const run = await repo.findRun(db, actor.orgId, runId);
      if (!run || run.sourceId !== id) throw notFound("run");
      return toRun(run, clock.now());
    },

    async listRuns(actor: Actor, id: string, q: { limit: number; cursor?: string | undefined }) {
      await visible(actor, id);
      const rows = await repo.listRuns(db, actor.orgId, id, {
        before: decodeCursor(q.cursor),
        limit: q.limit + 1,
      });
      const page = toPage(rows, q.limit, (r) => r.id);
      const now = clock.now();
      return { items: page.items.map((r) => toRun(r, now)), nextCursor: page.nextCursor };
    },

    /**
     * Where the source (as primary) and its backup — or, for a backup, the first primary it stands
     * in for — both read a value for the same metric, scope and period: both values and their
     * difference.
     */
    async discrepancies(
      actor: Actor,
      id: string,
      q: { limit: number; cursor?: string | undefined },
    ): Promise<DiscrepancyReport> {
      const { s } = await visible(actor, id);
      let primary = s;
      let backup = s.backupSourceId ? await repo.findSource(db, actor.orgId, s.backupSourceId) : undefined;
      if (!backup) {
        const of = (await repo.listBackedBy(db, actor.orgId, s.id))[0];
        if (of) {
          primary = of;
          backup = s;
        }
      }
      if (!backup) return { primary: { id: s.id, name: s.name }, backup: null, items: [], nextCursor: null };
      const offset = Number(decodeCursor(q.cursor) ?? 0);
      const rows = await repo.listBothRead(db, actor.orgId, primary.id, backup.id, {
        offset,
        limit: q.limit + 1,
      });
      const items = rows
        .slice(0, q.limit)
        .map((r) => ({ ...r, ...discrepancy(r.primaryValue, r.backupValue) }));
      return {
        primary: { id: primary.id, name: primary.name },
        backup: { id: backup.id, name: backup.name },
        items,
        nextCursor: rows.length > q.limit ? encodeCursor(offset + q.limit) : null,
      };
    },
  };
}

export type ConnectorsService = ReturnType<typeof createConnectorsService>;
