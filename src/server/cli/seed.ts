/** `yardstick seed --people N`: generates the demo organisation into an empty database. */
import { isEmpty } from "../db/seed/bootstrap-admin.ts";
import { DEMO_PASSWORD } from "../db/seed/demo-logins.ts";
import { MIN_DEMO_PEOPLE } from "../db/seed/org.ts";
import { seedDemo } from "../db/seed/seed-demo.ts";
import { CliError, type DbFlags, openFor } from "./open.ts";

export const SEED_HELP = `yardstick seed [--people N] [--today YYYY-MM-DD] [--seed N] [--goals-per-person X] [--no-recompute]

Generates the demo organisation "Northwind Analytics" into an EMPTY database: units, people, KPIs
with two years of history, two cycles of cascading goals, check-ins. The same size, day and seed
always give the same data. Benchmarks: --people 100000 (about ten goals per person above 2,000).
  --people N              people in the organisation (at least ${MIN_DEMO_PEOPLE}; default 250)
  --today YYYY-MM-DD      the day the history runs up to (default: today)
  --seed N                another organisation of the same size
  --goals-per-person X    individual goals per team member
  --no-recompute          skip filling goal_progress afterwards`;

export type SeedFlags = DbFlags & {
  people?: string | undefined;
  today?: string | undefined;
  seed?: string | undefined;
  "goals-per-person"?: string | undefined;
  "no-recompute"?: boolean | undefined;
};

function wholeNumber(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new CliError(`--${flag} must be a number, got "${v}"`);
  return n;
}

export async function seed(flags: SeedFlags): Promise<number> {
  const people = wholeNumber("people", flags.people) ?? 250;
  if (!Number.isInteger(people) || people < MIN_DEMO_PEOPLE) {
    throw new CliError(`--people must be a whole number of at least ${MIN_DEMO_PEOPLE}`);
  }
  const database = await openFor(flags);
  try {
    if (!(await isEmpty(database.db))) {
      throw new CliError("the database already holds an organisation: seed an empty database");
    }
    const r = await seedDemo(database.db, {
      people,
      ...(flags.today ? { today: flags.today } : {}),
      ...(flags.seed !== undefined ? { seed: wholeNumber("seed", flags.seed) } : {}),
      ...(flags["goals-per-person"] !== undefined
        ? { goalsPerPerson: wholeNumber("goals-per-person", flags["goals-per-person"]) }
        : {}),
      recompute: !flags["no-recompute"],
    });
    console.log(
      `Seeded "Northwind Analytics" (${r.orgId}) as of ${r.today} in ${(r.milliseconds / 1000).toFixed(1)} s`,
    );
    for (const [table, n] of Object.entries(r.counts)) console.log(`  ${table.padEnd(14)} ${n}`);
    console.log(
      `Logins (password "${DEMO_PASSWORD}"): ${r.logins.map((l) => `${l.email} (${l.role})`).join(", ")}`,
    );
    return 0;
  } finally {
    await database.close();
  }
}
