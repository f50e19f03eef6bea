/**
 * The arithmetic of connectors (data sources the server pulls): when a source is due, when it counts
 * as stale, its health, and how far a backup's value is from its primary's. Pure: the clock is an
 * argument.
 */
import cronParser from "cron-parser";

/** Every `every` minutes, or at the times of a five-field cron expression in the organisation's zone. */
export type ConnectorSchedule = { every: number } | { cron: string };

const MINUTE = 60_000;

/** The fault of a cron expression, or undefined when it parses (five fields: minute … weekday). */
export function cronFault(expression: string): string | undefined {
  if (expression.trim().split(/\s+/).length !== 5)
    return 'write five fields: minute hour day-of-month month weekday, e.g. "0 6 * * *"';
  try {
    cronParser.parseExpression(expression);
    return undefined;
  } catch (err) {
    return `not a cron expression: ${(err as Error).message}`;
  }
}

/**
 * The first time after `after` that the schedule names. Every N minutes: `after + N`. Cron: the next
 * match in `timeZone`. Example: every 15 from 09:00 → 09:15; "0 6 * * *" in Europe/Amsterdam after
 * 2026-07-01T09:00Z → 2026-07-02T04:00Z (06:00 summer time).
 */
export function nextRunAt(schedule: ConnectorSchedule, after: Date, timeZone = "UTC"): Date {
  if ("every" in schedule) return new Date(after.getTime() + schedule.every * MINUTE);
  return cronParser.parseExpression(schedule.cron, { currentDate: after, tz: timeZone }).next().toDate();
}

/**
 * How long a run may stay `running` before it is taken to have died with its process (a crash, a
 * kill, a lost database): the source may then run again. A pull that finishes records its outcome
 * in the same transaction as its rows, so a run that died wrote nothing.
 */
export const RUN_LEASE_MINUTES = 15;

/** What an abandoned run says, as its error. */
export const ABANDONED_RUN_ERROR =
  "the run stopped without finishing (the server stopped, or lost its database, while it ran); nothing it read was written";

/**
 * Whether a run in `status` since `startedAt` has outlived its lease at `now`. Example: started at
 * 09:00 and still running, it is abandoned from 09:15 on.
 */
export const runAbandoned = (status: string, startedAt: Date, now: Date): boolean =>
  status === "running" && now.getTime() - startedAt.getTime() >= RUN_LEASE_MINUTES * MINUTE;

/** Whether a source whose next run is `next` is due at `now` (null: manual only, never due). */
export const isDue = (next: Date | null, now: Date): boolean => next !== null && next <= now;

/**
 * How long without a successful run before a source is stale, when its steward does not say: three
 * of its intervals (every 60 → 180 min; daily cron → 3 days); a manual source: 7 days.
 */
export function defaultStaleMinutes(schedule: ConnectorSchedule | null, timeZone = "UTC"): number {
  if (schedule === null) return 7 * 24 * 60;
  if ("every" in schedule) return 3 * schedule.every;
  const it = cronParser.parseExpression(schedule.cron, {
    currentDate: new Date("2026-01-05T00:00:00Z"),
    tz: timeZone,
  });
  const a = it.next().toDate().getTime();
  const b = it.next().toDate().getTime();
  return Math.max(1, Math.round((3 * (b - a)) / MINUTE));
}

export type HealthState = "healthy" | "unhealthy" | "stale" | "pending";
export type Health = { state: HealthState; reason: string | null };

export type HealthFacts = {
  createdAt: Date;
  lastRunAt: Date | null;
  lastSuccessAt: Date | null;
  /** the error of the last run; null when it succeeded */
  lastError: string | null;
  staleAfterMinutes: number;
};

/**
 * A source's health at `now`: unhealthy when its last run failed (the reason is that run's error);
 * stale when its last success (or, never run, its creation) is more than its window ago; pending when
 * it has not run yet and is still inside its window; else healthy.
 */
export function sourceHealth(f: HealthFacts, now: Date): Health {
  if (f.lastRunAt !== null && f.lastError !== null) return { state: "unhealthy", reason: f.lastError };
  const since = f.lastSuccessAt ?? f.createdAt;
  const ageMinutes = (now.getTime() - since.getTime()) / MINUTE;
  if (ageMinutes > f.staleAfterMinutes)
    return {
      state: "stale",
      reason:
        f.lastSuccessAt === null
          ? `no successful run since it was created ${Math.floor(ageMinutes)} minutes ago (window ${f.staleAfterMinutes})`
          : `last successful run ${Math.floor(ageMinutes)} minutes ago, past its window of ${f.staleAfterMinutes}`,
    };
  if (f.lastSuccessAt === null) return { state: "pending", reason: null };
  return { state: "healthy", reason: null };
}

/** Whether a primary in this state hands its metrics to its backup. */
export const needsBackup = (h: Health): boolean => h.state === "unhealthy" || h.state === "stale";

/**
 * The backup's value against the primary's: `absolute = backup − primary`, `relative = absolute /
 * |primary|` (null when the primary is 0). Example: primary 200, backup 190 → −10 and −0.05.
 */
export function discrepancy(primary: number, backup: number): { absolute: number; relative: number | null } {
  const absolute = backup - primary;
  return { absolute, relative: primary === 0 ? null : absolute / Math.abs(primary) };
}
