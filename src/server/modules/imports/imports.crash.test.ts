/**
 * SIGKILL in the middle of an import, several times: after each kill the database holds whole chunks
 * only (measurements = rows done, recorded with the chunk), and after each restart the import resumes
 * where it stopped, ending with every row exactly once.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { exitWithin, freePort, type Run, start, waitFor } from "../../cli/spawn-helpers.ts";
import { openPglite } from "../../db/connection.ts";

const ROWS = 3000;
const CHUNK = 200;
const dataDir = mkdtempSync(join(tmpdir(), "yardstick-import-crash-"));
const running: Run[] = [];
afterAll(() => {
  for (const r of running) r.child.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

const env = {
  YARDSTICK_DATA_DIR: dataDir,
  YARDSTICK_SEED: "none",
  YARDSTICK_ADMIN_EMAIL: "admin@crash.example",
  YARDSTICK_ADMIN_PASSWORD: "crash-test-password",
  YARDSTICK_IMPORT_CHUNK_ROWS: String(CHUNK),
  LOG_LEVEL: "silent",
  DATABASE_URL: "",
};

async function startServer(port: number): Promise<Run> {
  const run = start(["--import", "tsx", "src/server/main.ts", "--no-web-build"], {
    ...env,
    PORT: String(port),
  });
  running.push(run);
  await waitFor(
    () => run.output().includes("Yardstick is running at"),
    120_000,
    `the server\n${run.output()}`,
  );
  return run;
}

type ImportState = {
  status: string;
  progress: { rowsDone: number; chunksDone: number };
  outcome: { accepted: number };
};

/** What the data folder holds while no server runs. */
async function inspect(importId: string) {
  const database = await openPglite(dataDir);
  try {
    const pg = database.pglite;
    if (!pg) throw new Error("not an embedded database");
    const imp = (
      await pg.query<{ status: string; rows_done: number; chunks_done: number; accepted: number }>(
        "select status, rows_done, chunks_done, accepted from imports where id = $1",
        [importId],
      )
    ).rows[0];
    const counts = (
      await pg.query<{ n: number; periods: number }>(
        "select count(*)::int as n, count(distinct period_start)::int as periods from measurements m join metrics k on k.org_id = m.org_id and k.id = m.metric_id where k.key = 'crash_kpi'",
      )
    ).rows[0];
    return { imp, counts };
  } finally {
    await database.close();
  }
}

describe("an import killed mid-way (SIGKILL)", () => {
  it("holds whole chunks after each kill and ends with every row once", async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}/api/v1`;
    let server = await startServer(port);
    const login = await fetch(`${base}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: env.YARDSTICK_ADMIN_EMAIL, password: env.YARDSTICK_ADMIN_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const call = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${base}${path}`, { ...init, headers: { cookie, ...(init.headers ?? {}) } });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const metric = await call("/metrics", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        key: "crash_kpi",
        name: "Crash KPI",
        unit: "count",
        direction: "increase",
        indicatorType: "leading",
        aggregation: "sum",
      }),
    });
    expect(metric.status, JSON.stringify(metric.body)).toBe(201);
    // one value a day, going back from yesterday
    const day = (i: number) => new Date(Date.now() - (i + 1) * 86_400_000).toISOString().slice(0, 10);
    const csv = `metric,date,value\n${Array.from({ length: ROWS }, (_, i) => `crash_kpi,${day(i)},${i}`).join("\n")}\n`;
    const uploaded = await call("/imports?fileName=crash.csv", {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: csv,
    });
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    expect(uploaded.body.validRows).toBe(ROWS);
    const id = String(uploaded.body.id);
    const committed = await call(`/imports/${id}/commit`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(committed.status).toBe(202);

    const seen: number[] = [];
    for (const killAt of [0, 1000, 2200]) {
      // wait until the import has passed this point (0: kill at once, before or inside the first chunk)
      for (let i = 0; i < 600 && killAt > 0; i++) {
        const got = (await call(`/imports/${id}`)).body as unknown as ImportState;
        if (got.progress.rowsDone >= killAt || got.status !== "running") break;
        await new Promise((r) => setTimeout(r, 20));
      }
      server.child.kill("SIGKILL");
      await exitWithin(server, 10_000);
      const { imp, counts } = await inspect(id);
      seen.push(imp?.rows_done ?? -1);
      // whole chunks only: the measurements are exactly the rows recorded as done
      expect(imp?.rows_done).toBe(Math.min(ROWS, (imp?.chunks_done ?? 0) * CHUNK));
      expect(counts?.n).toBe(imp?.rows_done);
      expect(counts?.periods).toBe(imp?.rows_done);
      expect(imp?.accepted).toBe(imp?.rows_done);
      server = await startServer(port);
      const again = await fetch(`${base}/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: env.YARDSTICK_ADMIN_EMAIL, password: env.YARDSTICK_ADMIN_PASSWORD }),
      });
      expect(again.status).toBe(200);
    }
    // the last restart resumes and finishes
    let final: ImportState | undefined;
    for (let i = 0; i < 600; i++) {
      final = (await call(`/imports/${id}`)).body as unknown as ImportState;
      if (final.status !== "running") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(final?.status).toBe("done");
    expect(final?.outcome.accepted).toBe(ROWS);
    server.child.kill("SIGTERM");
    await exitWithin(server, 20_000);
    const { counts } = await inspect(id);
    expect(counts).toEqual({ n: ROWS, periods: ROWS });
    // the kills landed at different points of the import
    expect(new Set(seen).size).toBeGreaterThan(1);
  }, 240_000);
});
