/**
 * A synthetic organisation for the recompute benchmark, generated in SQL (INSERT … SELECT
 * generate_series) so that 100,000 people, ≈ 1 M goals and ≈ 10 M measurements load in minutes.
 * Ids are md5-derived UUIDs (`uuidFrom`), so a goal's parent id is computed, not looked up.
 *
 * Shape for P people (teams of 10, departments of 100, divisions of 1,000):
 * - 5 company goals ← 1 goal per division ← 2 per department ← 3 per team ← 10 per person;
 * - 40 metrics (even: `last`, a level such as a satisfaction score; odd: `sum`, a flow);
 * - person goal k of person p reads metric 4k + p mod 4 for scope person p, with 10 monthly
 *   measurements (Jan–Oct) and a correction of March for one person in a hundred.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../src/server/db/connection.ts";

export const GOALS_PER_PERSON = 10;
export const METRICS = 40;

/** A valid version-4-shaped UUID from an md5 (the API's uuid schemas reject other version nibbles). */
export const uuidFrom = (expr: string) =>
  `overlay(overlay(md5(${expr}) placing '4' from 13) placing '8' from 17)::uuid`;

const id = (prefix: string, ...parts: (string | number)[]) =>
  uuidFrom(`'${prefix}' || ${parts.map((p) => (typeof p === "number" ? `${p}` : p)).join(" || '-' || ")}`);

export type BenchOrg = { orgId: string; people: number; goals: number; measurements: number; edges: number };

async function run(db: Db, text: string) {
  await db.execute(sql.raw(text));
}

/** Generates the organisation in chunks of people (bounded statements), calling `log` as it goes. */
export async function generateOrg(db: Db, people: number, log: (msg: string) => void): Promise<BenchOrg> {
  const org = `overlay(overlay(md5('org') placing '4' from 13) placing '8' from 17)::uuid`;
  const cycle = `overlay(overlay(md5('cycle') placing '4' from 13) placing '8' from 17)::uuid`;
  const teams = Math.ceil(people / 10);
  const depts = Math.ceil(people / 100);
  const divisions = Math.ceil(people / 1000);
  await run(db, `insert into organizations (id, name, time_zone) values (${org}, 'Bench', 'UTC')`);
  await run(
    db,
    `insert into cycles (org_id, id, name, kind, start_date, end_date, phase)
     values (${org}, ${cycle}, '2026', 'year', '2026-01-01', '2026-12-31', 'active')`,
  );
  await run(
    db,
    `insert into metrics (org_id, id, key, name, unit, direction, indicator_type, aggregation)
     select ${org}, ${id("m", "i")}, 'm' || i, 'metric ' || i, 'count', 'increase', 'lagging',
       case when i % 2 = 0 then 'last' else 'sum' end
     from generate_series(0, ${METRICS - 1}) i`,
  );
  const chunk = 20_000;
  for (let from = 0; from < people; from += chunk) {
    const to = Math.min(people, from + chunk) - 1;
    await run(
      db,
      `insert into people (org_id, id, email, name)
       select ${org}, ${id("p", "p")}, 'p' || p || '@bench.example', 'Person ' || p
       from generate_series(${from}, ${to}) p`,
    );
  }
  const owner = (expr: string) => id("p", expr);
  const goal = (prefix: string, expr: string, kind: string, level: string, extra = "") => `
    insert into goals (org_id, id, cycle_id, title, owner_id, level, kind, start_date, due_date, state
      ${extra ? ", metric_id, scope_type, scope_id, baseline_value, target_value, threshold_value" : ""})
    select ${org}, ${id(prefix, expr)}, ${cycle}, '${prefix} ' || ${expr}, ${owner("0")}, '${level}', '${kind}',
      '2026-01-01', '2026-12-31', 'active' ${extra}`;
  await run(db, `${goal("c", "i", "rollup", "company")} from generate_series(0, 4) i`);
  await run(db, `${goal("v", "i", "rollup", "unit")} from generate_series(0, ${divisions - 1}) i`);
  await run(db, `${goal("d", "i", "rollup", "unit")} from generate_series(0, ${depts * 2 - 1}) i`);
  await run(db, `${goal("t", "i", "rollup", "team")} from generate_series(0, ${teams * 3 - 1}) i`);
  const edge = (child: string, parent: string, from: string) =>
    run(
      db,
      `insert into alignments (org_id, child_id, parent_id, weight) select ${org}, ${child}, ${parent}, 1 ${from}`,
    );
  await edge(id("v", "i"), id("c", "i % 5"), `from generate_series(0, ${divisions - 1}) i`);
  await edge(id("d", "i"), id("v", "i / 20"), `from generate_series(0, ${depts * 2 - 1}) i`);
  await edge(
    id("t", "i"),
    id("d", "(i / 3 / 10) * 2 + i % 2"),
    `from generate_series(0, ${teams * 3 - 1}) i`,
  );
  log(`  org, metrics, people, ${5 + divisions + depts * 2 + teams * 3} upper goals`);

  const metric = id("m", "(4 * k + p % 4)");
  for (let from = 0; from < people; from += chunk) {
    const to = Math.min(people, from + chunk) - 1;
    const range = `from generate_series(${from}, ${to}) p cross join generate_series(0, ${GOALS_PER_PERSON - 1}) k`;
    const pk = "p || '-' || k";
    await run(
      db,
      `insert into goals (org_id, id, cycle_id, title, owner_id, level, kind, start_date, due_date, state,
         metric_id, scope_type, scope_id, baseline_value, target_value, threshold_value)
       select ${org}, overlay(overlay(md5('g' || ${pk}) placing '4' from 13) placing '8' from 17)::uuid, ${cycle}, 'goal ' || ${pk}, ${owner("p")}, 'individual', 'metric',
         '2026-01-01', '2026-12-31', 'active', ${metric}, 'person', ${owner("p")},
         case when (4 * k + p % 4) % 2 = 0 then 50 else null end,
         case when (4 * k + p % 4) % 2 = 0 then 80 else 1200 end,
         case when (4 * k + p % 4) % 2 = 0 then 65 else 900 end
       ${range}`,
    );
    await edge(
      "overlay(overlay(md5('g' || p || '-' || k) placing '4' from 13) placing '8' from 17)::uuid",
      id("t", "(p / 10) * 3 + k % 3"),
      range,
    );
    // Monthly values Jan–Oct: levels drift from 50 towards 80, flows add ~100 a month, with noise.
    await run(
      db,
      `insert into measurements (org_id, id, metric_id, scope_type, scope_id, period_start, period_end, value,
         recorded_at, source)
       select ${org}, overlay(overlay(md5('x' || ${pk} || '-' || mo) placing '4' from 13) placing '8' from 17)::uuid, ${metric}, 'person', ${owner("p")},
         make_date(2026, mo, 1), (make_date(2026, mo, 1) + interval '1 month - 1 day')::date,
         case when (4 * k + p % 4) % 2 = 0 then 50 + mo * 2.5 + ((p * 7 + k * 13 + mo) % 11) - 5
              else 100 + ((p * 7 + k * 13 + mo) % 41) - 20 end,
         make_date(2026, mo, 1) + interval '1 month 3 days', 'import'
       ${range} cross join generate_series(1, 10) mo`,
    );
    await run(
      db,
      `insert into measurements (org_id, id, metric_id, scope_type, scope_id, period_start, period_end, value,
         recorded_at, supersedes_id, source)
       select ${org}, overlay(overlay(md5('y' || ${pk}) placing '4' from 13) placing '8' from 17)::uuid, ${metric}, 'person', ${owner("p")}, '2026-03-01', '2026-03-31',
         60, '2026-04-20', overlay(overlay(md5('x' || ${pk} || '-3') placing '4' from 13) placing '8' from 17)::uuid, 'correction'
       ${range} where p % 100 = 0`,
    );
    log(`  people ${from}–${to}: goals, alignments, measurements`);
  }
  await run(db, "analyze");
  return describeOrg(db, people);
}

/** The generated organisation's id and sizes (also for a database kept from an earlier run). */
export async function describeOrg(db: Db, people: number): Promise<BenchOrg> {
  const org = `overlay(overlay(md5('org') placing '4' from 13) placing '8' from 17)::uuid`;
  const count = async (table: string) => {
    const res = (await db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as {
      rows: { n: number }[];
    };
    return res.rows[0]?.n ?? 0;
  };
  const orgRow = (await db.execute(sql.raw(`select ${org}::text as id`))) as unknown as {
    rows: { id: string }[];
  };
  return {
    orgId: orgRow.rows[0]?.id ?? "",
    people,
    goals: await count("goals"),
    measurements: await count("measurements"),
    edges: await count("alignments"),
  };
}
