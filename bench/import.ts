/**
 * File import benchmark (issue 4, "Speed").
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/import.ts --rows 1000000
 *   npx tsx bench/import.ts --rows 100000          # PGlite in memory
 *
 * Writes a CSV of --rows measurements (one metric, 1,000 people by e-mail, one value a day each),
 * imports it through the import module exactly as the API does (stream to disk, dry run, chunked
 * commit through the measurements bulk write), then loads the same rows with raw `COPY` into the same
 * table (for a second metric, so keys do not collide) in the same run. Reports rows/s for both and
 * the process's peak RSS (sampled every 50 ms, and the OS's maximum).
 * On PostgreSQL the server reads the COPY file itself (the bench runs on the database's machine).
 */

import { once } from "node:events";
import { chmodSync, createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import type { Actor } from "../src/server/actor.ts";
import { buildApp } from "../src/server/app.ts";
import { systemClock } from "../src/server/clock.ts";
import { metrics, people } from "../src/server/db/schema.ts";
import { createSession, SESSION_COOKIE } from "../src/server/modules/auth/auth.service.ts";
import { chunkRows, runImport } from "../src/server/modules/imports/imports.commit.ts";
import { createImportsService } from "../src/server/modules/imports/imports.service.ts";
import { seedTestOrg } from "../src/server/testing/test-app.ts";
import { openBenchDatabase } from "./bench-db.ts";
import { type CpuSpent, describeCpu, startCpuMeter } from "./cpu.ts";
import { profilePhase } from "./profile.ts";

const { values: args } = parseArgs({
  options: { rows: { type: "string" }, keep: { type: "boolean", default: false } },
});
const url = process.env.DATABASE_URL;
const ROWS = Number(args.rows ?? (url ? 1_000_000 : 100_000));
const PEOPLE = 1000;
const log = (msg: string) => console.log(msg);
const seconds = (from: number) => (performance.now() - from) / 1000;
const mib = (bytes: number) => (bytes / (1024 * 1024)).toFixed(0);

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

async function writeLines(path: string, line: (i: number) => string, header?: string) {
  const out = createWriteStream(path);
  if (header) out.write(`${header}\n`);
  for (let i = 0; i < ROWS; i++) {
    if (!out.write(`${line(i)}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "yardstick-bench-import-"));
  chmodSync(dir, 0o755); // the PostgreSQL server reads the COPY file
  process.env.YARDSTICK_IMPORT_DIR = join(dir, "uploads");
  const { database, drop } = await openBenchDatabase({
    url,
    reuse: undefined,
    keep: args.keep ?? false,
    pool: 4,
    log,
  });
  const db = database.db;
  const rows: [string, string][] = [
    ["backend", database.kind],
    ["rows", ROWS.toLocaleString("en-US")],
  ];
  try {
    const org = await seedTestOrg(database);
    const admin: Actor = { orgId: org.orgId, personId: org.people.admin, roles: ["admin"], unitId: null };
    const emails: string[] = [];
    const ids: string[] = [];
    for (let p = 0; p < PEOPLE; p += 500) {
      const batch = Array.from({ length: Math.min(500, PEOPLE - p) }, (_, i) => {
        const id = uuidv7();
        ids.push(id);
        emails.push(`bench${p + i}@bench.example`);
        return {
          orgId: org.orgId,
          id,
          email: `bench${p + i}@bench.example`,
          name: `Bench ${p + i}`,
          roles: ["employee"],
          unitId: org.units.ops,
        };
      });
      await db.insert(people).values(batch);
    }
    const metric = (key: string) => ({
      orgId: org.orgId,
      id: uuidv7(),
      key,
      name: key,
      unit: "count",
      direction: "increase",
      indicatorType: "leading",
      aggregation: "sum",
    });
    // every validation rule on (issue 4: "with all rules on"), flagging so every row still counts
    const imported = {
      ...metric("bench_imported"),
      validationRules: {
        range: { min: 0, max: 10_000, action: "flag" },
        stepChange: { maxPercent: 500, action: "flag" },
        frequency: { maxMissingPeriods: 1, action: "flag" },
        duplicate: { action: "flag" },
        unitSanity: { action: "flag" },
        outlier: { action: "flag" },
      },
    };
    const copied = metric("bench_copied");
    const posted = { ...imported, id: uuidv7(), key: "bench_posted", name: "bench_posted" };
    await db.insert(metrics).values([imported, copied, posted]);

    // One value a day per person, oldest first, ending yesterday: the order an export comes in, so
    // every row after the first days has a previous value and a history the rules look at (step
    // change, frequency, outlier over the last 24 values). Newest first, they would all find none.
    const today = Date.now();
    const days = Math.ceil(ROWS / PEOPLE);
    const dayOf = (i: number) =>
      new Date(today - (days - Math.floor(i / PEOPLE)) * 86_400_000).toISOString().slice(0, 10);
    const file = join(dir, "measurements.csv");
    let t0 = performance.now();
    await writeLines(
      file,
      (i) => `bench_imported,${emails[i % PEOPLE]},${dayOf(i)},${(i % 997) + 0.5}`,
      "metric,person,date,value",
    );
    const copyFile = join(dir, "copy.csv");
    const now = new Date().toISOString();
    await writeLines(
      copyFile,
      (i) =>
        `${org.orgId},${uuidv7()},${copied.id},person,${ids[i % PEOPLE]},${dayOf(i)},${dayOf(i)},${(i % 997) + 0.5},${now},${org.people.admin},,bench,,false,accepted,""`,
    );
    rows.push(["write the two CSV files (s)", seconds(t0).toFixed(1)]);
    const rssBefore = process.memoryUsage().rss;
    peakRss = rssBefore;

    const imports = createImportsService({ db, clock: systemClock });
    t0 = performance.now();
    const preview = await imports.upload(admin, createReadStream(file), {
      fileName: "measurements.csv",
      sourceName: "bench",
    });
    const dryRun = seconds(t0);
    if (preview.validRows !== ROWS) throw new Error(`dry run found problems: ${preview.problemRows} rows`);
    const t1 = performance.now();
    const commitCpu = startCpuMeter();
    const row = await imports.startCommit(admin, preview.id, { skipInvalid: false });
    let last = 0;
    const status = await profilePhase("import-commit", () =>
      runImport({ db, clock: systemClock }, row, {
        onChunk: (p) => {
          if (p.rowsDone - last >= ROWS / 10) {
            last = p.rowsDone;
            log(`  ${p.rowsDone.toLocaleString("en-US")} rows, ${seconds(t1).toFixed(0)} s`);
          }
        },
      }),
    );
    const commit = seconds(t1);
    const commitSpent = commitCpu();
    const total = seconds(t0);
    const done = await imports.getImport(admin, preview.id);
    // every row counts: the rules flag (never quarantine) what they find
    if (status !== "done" || done.outcome.accepted + done.outcome.flagged !== ROWS)
      throw new Error(`import ${status}: ${JSON.stringify(done.outcome)}`);
    const importPeak = peakRss;

    const copyStart = performance.now();
    const copyCpu = startCpuMeter();
    const columns =
      "org_id, id, metric_id, scope_type, scope_id, period_start, period_end, value, recorded_at, recorded_by, supersedes_id, source, batch_id, provisional, validation_state, note";
    if (database.kind === "postgres") {
      await db.execute(sql.raw(`copy measurements (${columns}) from '${copyFile}' with (format csv)`));
    } else {
      await database.pglite?.query(`copy measurements (${columns}) from '/dev/blob' with (format csv)`, [], {
        blob: new Blob([readFileSync(copyFile)]),
      });
    }
    const copy = seconds(copyStart);
    const copySpent = copyCpu();

    // The bulk API: the same rows (a third metric) as JSON arrays of 5,000, two requests in flight,
    // over HTTP to the app listening on a port, as an integrator's client would send them.
    // The client's bodies are made before the clock starts: making them is the client's work, and a
    // client runs elsewhere; sending them (fetch) stays in this process and in the figures.
    const app = await buildApp({ db, clock: systemClock });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const address = app.server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const session = await createSession(db, systemClock, org.orgId, org.people.admin);
    const bulkApi = async (metricKey: string) => {
      const bodies: string[] = [];
      for (let from = 0; from < ROWS; from += 5000) {
        const body = Array.from({ length: Math.min(5000, ROWS - from) }, (_, j) => {
          const i = from + j;
          return {
            metricKey,
            scopeType: "person",
            scopeId: ids[i % PEOPLE],
            periodStart: dayOf(i),
            value: (i % 997) + 0.5,
          };
        });
        bodies.push(JSON.stringify(body));
      }
      peakRss = process.memoryUsage().rss;
      const started = performance.now();
      const meter = startCpuMeter();
      const send = async (n: number) => {
        const expected = Math.min(5000, ROWS - n * 5000);
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/measurements`, {
          method: "POST",
          headers: { "content-type": "application/json", cookie: `${SESSION_COOKIE}=${session.cookie}` },
          body: bodies[n],
        });
        const answer = (await res.json()) as { accepted?: number; flagged?: number };
        if (res.status !== 201 || (answer.accepted ?? 0) + (answer.flagged ?? 0) !== expected)
          throw new Error(`bulk API answered ${res.status}: ${JSON.stringify(answer).slice(0, 300)}`);
        if (n % Math.max(1, Math.round(ROWS / 50_000)) === 0 && n > 0)
          log(`  bulk API: ${(n * 5000).toLocaleString("en-US")} rows, ${seconds(started).toFixed(0)} s`);
      };
      // Two requests in flight, as a loader would send them: the server judges the second while the
      // database writes the first (measurements.bulk-sequence.ts).
      await profilePhase("bulk-api", async () => {
        let next = 0;
        const lane = async () => {
          while (next < bodies.length) await send(next++);
        };
        await Promise.all([lane(), lane()]);
      });
      return { time: seconds(started), spent: meter(), peak: peakRss };
    };
    const bulk = await bulkApi("bench_posted");
    await app.close();
    const counted = (await db.execute(
      sql`select count(*)::int as n from measurements where metric_id in (${imported.id}, ${copied.id}, ${posted.id})`,
    )) as unknown as { rows: { n: number }[] };
    if (counted.rows[0]?.n !== 3 * ROWS)
      throw new Error(`expected ${3 * ROWS} rows, found ${counted.rows[0]?.n}`);

    // on PGlite the database is in this process: its time is in node's
    const cpu = (c: CpuSpent) => describeCpu(database.kind === "postgres" ? c : { ...c, postgres: null });
    const rate = (s: number) => Math.round(ROWS / s).toLocaleString("en-US");
    rows.push(
      ["file size (MiB)", mib(preview.byteSize)],
      ["import: upload + dry run (s)", dryRun.toFixed(1)],
      [`import: commit in chunks of ${chunkRows().toLocaleString("en-US")} (s)`, commit.toFixed(1)],
      ["import: total (s)", total.toFixed(1)],
      ["import: rows/s (total)", rate(total)],
      ["import: rows/s (commit only)", rate(commit)],
      ["raw COPY of the same rows (s)", copy.toFixed(1)],
      ["raw COPY: rows/s", rate(copy)],
      ["import total ÷ COPY", (total / copy).toFixed(1)],
      ["import commit ÷ COPY", (commit / copy).toFixed(1)],
      ["CPU during the commit", cpu(commitSpent)],
      ["CPU during the COPY", cpu(copySpent)],
      ["bulk API, requests of 5,000 rows, two in flight (s)", bulk.time.toFixed(1)],
      ["bulk API: rows/s", rate(bulk.time)],
      ["bulk API ÷ COPY", (bulk.time / copy).toFixed(1)],
      ["CPU during the bulk API (fetch included)", cpu(bulk.spent)],
      ["peak RSS during the bulk API (MiB)", mib(bulk.peak)],
      ["RSS before the import (MiB)", mib(rssBefore)],
      ["peak RSS during the import (MiB)", mib(importPeak)],
      ["max RSS of the process, OS (MiB)", (process.resourceUsage().maxRSS / 1024).toFixed(0)],
    );
  } finally {
    clearInterval(sampler);
    await drop();
    rmSync(dir, { recursive: true, force: true });
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\n${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n")}`);
}

await main();
