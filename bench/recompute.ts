/**
 * Recompute benchmark (issue 2, "Speed").
 *
 *   npx tsx bench/recompute.ts --people 100000      # PostgreSQL: DATABASE_URL names the server
 *   npx tsx bench/recompute.ts                      # PGlite in memory, demo size (250 people)
 *
 * On PostgreSQL it creates a fresh database next to DATABASE_URL's, migrates it, generates a
 * synthetic organisation (bench/recompute-data.ts), measures, and drops the database (--keep keeps it).
 * Measures: the full recompute (cold: every row written; warm: nothing changed), its phases, and one
 * new measurement → its goal and all ancestors (insert + incremental recompute in one transaction),
 * p50/p99 over --runs (200) runs. Bounded loops; stops by itself.
 */
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { computeAllProgress } from "../src/domain/progress.ts";
import { systemClock } from "../src/server/clock.ts";
import { toGoalInput } from "../src/server/modules/progress/progress.inputs.ts";
import { loadAllEdges, loadAllGoalInputs, selectRows } from "../src/server/modules/progress/progress.repo.ts";
import { createProgressService } from "../src/server/modules/progress/progress.service.ts";
import { openBenchDatabase } from "./bench-db.ts";
import { describeOrg, GOALS_PER_PERSON, generateOrg, METRICS } from "./recompute-data.ts";

const { values: args } = parseArgs({
  options: {
    people: { type: "string" },
    runs: { type: "string", default: "200" },
    keep: { type: "boolean", default: false },
    /** an existing bench database (kept with --keep) to measure again without generating */
    reuse: { type: "string" },
  },
});
const url = process.env.DATABASE_URL;
const people = Number(args.people ?? (url ? 10_000 : 250));
const runs = Math.min(Number(args.runs), 10_000);
const log = (msg: string) => console.log(msg);

const ms = (from: number) => performance.now() - from;
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
};

async function main() {
  const { database, drop } = await openBenchDatabase({
    url,
    reuse: args.reuse,
    keep: args.keep ?? false,
    pool: 8,
    log,
  });
  const db = database.db;
  const rows: [string, string][] = [];
  try {
    log(`generating ${people} people on ${database.kind}…`);
    let t0 = performance.now();
    const org = args.reuse ? await describeOrg(db, people) : await generateOrg(db, people, log);
    rows.push(["backend", database.kind]);
    rows.push([
      "people / goals / alignments / measurements",
      `${people} / ${org.goals} / ${org.edges} / ${org.measurements}`,
    ]);
    rows.push(["generate (s)", (ms(t0) / 1000).toFixed(1)]);

    const progress = createProgressService({ db, clock: systemClock });
    const { today, policy } = await progress.orgContext(org.orgId);

    t0 = performance.now();
    const cold = await progress.recomputeAll(org.orgId);
    rows.push(["full recompute, cold: every row inserted (ms)", ms(t0).toFixed(0)]);
    t0 = performance.now();
    await progress.recomputeAll(org.orgId);
    rows.push(["full recompute, warm: nothing changed (ms)", ms(t0).toFixed(0)]);

    // The phases of one full recompute, with the engine's own functions.
    t0 = performance.now();
    const goals = await loadAllGoalInputs(db, org.orgId, today);
    rows.push(["  phase: load goals + aggregate values in SQL (ms)", ms(t0).toFixed(0)]);
    t0 = performance.now();
    const edges = await loadAllEdges(db, org.orgId);
    rows.push(["  phase: load alignments (ms)", ms(t0).toFixed(0)]);
    t0 = performance.now();
    const results = computeAllProgress(
      goals.map((g) => toGoalInput(g, g)),
      edges,
      today,
      policy,
    );
    rows.push(["  phase: computeAllProgress (ms)", ms(t0).toFixed(0)]);
    if (results.size !== cold.goals)
      throw new Error(`computed ${results.size} goals, expected ${cold.goals}`);

    // One new measurement → its goal and every ancestor, in one transaction, `runs` times.
    const times: number[] = [];
    let touched = 0;
    for (let i = 0; i < runs; i++) {
      const p = (i * 7919) % people;
      const k = (i * 31) % GOALS_PER_PERSON;
      const m = (4 * k + (p % 4)) % METRICS;
      const start = performance.now();
      const written = await db.transaction(async (tx) => {
        const [ids] = await selectRows<{ metricId: string; personId: string }>(
          tx,
          sql`select overlay(overlay(md5(${`m${m}`}) placing '4' from 13) placing '8' from 17)::uuid::text as "metricId", overlay(overlay(md5(${`p${p}`}) placing '4' from 13) placing '8' from 17)::uuid::text as "personId"`,
        );
        if (!ids) throw new Error("no ids");
        await tx.execute(sql`insert into measurements (org_id, id, metric_id, scope_type, scope_id,
            period_start, period_end, value, recorded_at, source)
          values (${org.orgId}, gen_random_uuid(), ${ids.metricId}, 'person', ${ids.personId},
            ${today}, ${today}, ${60 + (i % 20)}, now(), 'bench')`);
        return progress.recomputeForSeries(tx, org.orgId, [
          { metricId: ids.metricId, scopeType: "person", scopeId: ids.personId },
        ]);
      });
      times.push(ms(start));
      touched += written.size;
    }
    rows.push([
      `one measurement → goal + ancestors, p50 (ms, ${runs} runs)`,
      quantile(times, 0.5).toFixed(1),
    ]);
    rows.push(["one measurement → goal + ancestors, p99 (ms)", quantile(times, 0.99).toFixed(1)]);
    rows.push(["goals rewritten per measurement (mean)", (touched / runs).toFixed(1)]);
  } finally {
    await drop();
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\n${"measure".padEnd(width)} | value\n${"-".repeat(width)}-|------`);
  for (const [k, v] of rows) console.log(`${k.padEnd(width)} | ${v}`);
}

await main();
