/**
 * The demo organisation, Northwind Analytics: generated in code from a seeded random source, so the
 * same size and day give the same rows. `seedDemo(db, { people: 250 })` is what `npm start` runs on an
 * empty database; `yardstick seed --people 100000` makes a benchmark-sized one.
 */
import { and, eq, inArray } from "drizzle-orm";
import { isIsoDate } from "../../../domain/dates.ts";
import { dateInZone } from "../../clock.ts";
import { appendAudit } from "../../modules/audit/audit.service.ts";
import { hashPassword } from "../../modules/auth/password.ts";
import { createSink, insertAll, insertRows, ROWS_PER_STATEMENT } from "../batch.ts";
import type { Db } from "../connection.ts";
import {
  alignments,
  checkIns,
  cycles,
  goalContributors,
  goals,
  goalVersions,
  organizations,
  orgUnits,
  people,
} from "../schema.ts";
import { planCheckIns } from "./checkins.ts";
import { DEMO_PASSWORD, type DemoLogin, demoLogins } from "./demo-logins.ts";
import type { CyclePlan, PlannedGoal } from "./goal-factory.ts";
import { planGoals } from "./goals.ts";
import { seedMetrics } from "./metrics.ts";
import { DEMO_ORG_NAME, planOrg } from "./org.ts";
import { createIdMaker, createRng } from "./random.ts";
import { recomputeProgress } from "./recompute.ts";
import { seedStoppedSeries } from "./stopped-series.ts";

export const DEMO_TIME_ZONE = "Europe/Amsterdam";

export type SeedOptions = {
  /** people in the organisation (at least 40); 250 by default */
  people?: number;
  /** the day the demo is "today" (YYYY-MM-DD); today in Amsterdam by default */
  today?: string;
  /** the random seed; change it for a different organisation of the same size */
  seed?: number;
  /** individual goals per team member: 1.5 by default, 10 above 2,000 people (benchmarks) */
  goalsPerPerson?: number;
  /** when the seeding happens (audit time); now by default */
  now?: Date;
  /** recompute every goal's progress afterwards (when the progress module offers it); on by default */
  recompute?: boolean;
};

export type SeedResult = {
  orgId: string;
  today: string;
  counts: Record<string, number>;
  logins: DemoLogin[];
  milliseconds: number;
  recomputed: boolean;
};

export async function seedDemo(db: Db, opts: SeedOptions = {}): Promise<SeedResult> {
  const started = performance.now();
  const now = opts.now ?? new Date();
  const size = opts.people ?? 250;
  const today = opts.today ?? dateInZone(now, DEMO_TIME_ZONE);
  if (!isIsoDate(today)) throw new RangeError(`today must be a date as YYYY-MM-DD (got "${today}")`);
  const seed = (opts.seed ?? 20_260_101) ^ size;
  const rng = createRng(seed);
  // Seeded ids start three days before today: time-ordered, and older than anything made at runtime.
  const newId = createIdMaker(seed, Date.parse(`${today}T00:00:00.000Z`) - 3 * 86_400_000);
  const year = Number(today.slice(0, 4));
  const cal = {
    historyStart: `${year - 2}${today.slice(4) === "-02-29" ? "-02-28" : today.slice(4)}`,
    prevStart: `${year - 1}-01-01`,
    curStart: `${year}-01-01`,
    curEnd: `${year}-12-31`,
    today,
  };
  const createdAt = `${cal.historyStart}T09:00:00.000Z`;
  // One hash for everyone: argon2id is slow on purpose, and 250 of them would take a minute.
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  const org = planOrg(rng, newId, size);
  const orgId = newId();
  const counts: Record<string, number> = {};
  await db.transaction(async (tx) => {
    await tx.insert(organizations).values({
      id: orgId,
      name: DEMO_ORG_NAME,
      timeZone: DEMO_TIME_ZONE,
      fiscalYearStartMonth: 1,
      locale: "en-GB",
      currency: "EUR",
      createdAt,
    });
    await insertAll(
      tx,
      orgUnits,
      org.units.map((u) => ({
        orgId,
        id: u.id,
        parentId: u.parentId,
        name: u.name,
        kind: u.kind,
        headId: u.headId,
        createdAt,
      })),
    );
    await insertAll(
      tx,
      people,
      org.people.map((p) => ({
        orgId,
        id: p.id,
        email: p.email,
        name: p.name,
        title: p.title,
        unitId: p.unitId,
        managerId: p.managerId,
        roles: p.roles,
        active: p.active,
        passwordHash,
        createdAt,
      })),
    );
    counts.units = org.units.length;
    counts.people = org.people.length;

    const metrics = await seedMetrics({ db: tx, rng, newId, orgId, org, cal, scale: size / 250, createdAt });
    counts.metrics = metrics.metricIds.size;
    counts.measurements = metrics.measurementCount;

    const cyclePlans: CyclePlan[] = [
      { id: newId(), name: String(year - 1), start: cal.prevStart, end: `${year - 1}-12-31`, closed: true },
      { id: newId(), name: String(year), start: cal.curStart, end: cal.curEnd, closed: false },
    ];
    await tx.insert(cycles).values(
      cyclePlans.map((c) => ({
        orgId,
        id: c.id,
        name: c.name,
        kind: "year",
        startDate: c.start,
        endDate: c.end,
        phase: c.closed ? "closed" : "active",
        // planned in the November before the cycle
        createdAt: `${Number(c.start.slice(0, 4)) - 1}-11-15T09:00:00.000Z`,
      })),
    );
    counts.cycles = cyclePlans.length;

    const goalsPerPerson = opts.goalsPerPerson ?? (size > 2000 ? 10 : 1.5);
    const ctx = { rng, newId, orgId, org, metrics, today, goalsPerPerson };
    const planned: PlannedGoal[] = cyclePlans.flatMap((c) => planGoals(ctx, c));
    Object.assign(
      counts,
      await writeGoals(tx, orgId, planned, { rng, newId, today, latestOnly: size > 2000 }),
    );
    // Last, so it shifts no other row: a series that stopped reporting (the missing-data list).
    const stopped = await seedStoppedSeries(tx, {
      newId,
      orgId,
      stewardId: org.featured.steward.id,
      historyStart: cal.historyStart,
      today,
      createdAt,
    });
    counts.metrics = (counts.metrics ?? 0) + stopped.metrics;
    counts.measurements = (counts.measurements ?? 0) + stopped.measurements;

    await appendAudit(tx, { orgId, actorId: null, at: now }, [
      {
        action: "org.seeded",
        entityType: "organization",
        entityId: orgId,
        data: { generator: "demo", people: size, seed, today, counts },
      },
    ]);
  });
  const recomputed = opts.recompute === false ? false : (await recomputeProgress(db, orgId, today, now)) >= 0;
  return {
    orgId,
    today,
    counts,
    logins: demoLogins(org),
    milliseconds: Math.round(performance.now() - started),
    recomputed,
  };
}

/**
 * Goals (each with its version-1 snapshot: the row as the database returns it), then alignments,
 * contributors and check-ins, all in full multi-row statements.
 */
async function writeGoals(
  tx: Db,
  orgId: string,
  planned: PlannedGoal[],
  o: { rng: ReturnType<typeof createRng>; newId: () => string; today: string; latestOnly: boolean },
): Promise<Record<string, number>> {
  const contributors = new Map(planned.map((p) => [p.row.id, p.contributors]));
  const versions = createSink(tx, goalVersions);
  for (let i = 0; i < planned.length; i += ROWS_PER_STATEMENT) {
    const batch = planned.slice(i, i + ROWS_PER_STATEMENT).map((p) => p.row);
    await insertRows(tx, goals, batch);
    // The snapshot is the row exactly as Drizzle reads it back, as the goals module writes it.
    const stored = await tx
      .select()
      .from(goals)
      .where(
        and(
          eq(goals.orgId, orgId),
          inArray(
            goals.id,
            batch.map((g) => g.id),
          ),
        ),
      );
    for (const g of stored) {
      await versions.add({
        orgId: g.orgId,
        goalId: g.id,
        version: 1,
        effectiveFrom: g.createdAt,
        snapshot: snapshotOf(g, contributors),
        changedBy: g.ownerId,
        reason: "created",
      });
    }
  }
  await versions.flush();

  const links = createSink(tx, alignments);
  const shares = createSink(tx, goalContributors);
  const checks = createSink(tx, checkIns);
  for (const g of planned) {
    for (const p of g.parents) {
      await links.add({
        orgId: g.row.orgId,
        childId: g.row.id,
        parentId: p.id,
        weight: p.weight,
        createdAt: g.row.createdAt,
      });
    }
    for (const c of g.contributors) {
      await shares.add({ orgId: g.row.orgId, goalId: g.row.id, personId: c.personId, share: c.share });
    }
    if (g.row.state === "active" && g.row.startDate <= o.today) {
      for (const row of planCheckIns(o.rng, o.newId, g, o.today, o.latestOnly)) await checks.add(row);
    }
  }
  await links.flush();
  await shares.flush();
  await checks.flush();
  return {
    goals: planned.length,
    goalVersions: versions.written,
    alignments: links.written,
    contributors: shares.written,
    checkIns: checks.written,
  };
}

/** The goal row as stored, plus its contributors (the goals module's snapshot shape). */
function snapshotOf(
  row: typeof goals.$inferSelect,
  contributors: Map<string, PlannedGoal["contributors"]>,
): Record<string, unknown> {
  return { ...row, contributors: contributors.get(row.id) ?? [] };
}
