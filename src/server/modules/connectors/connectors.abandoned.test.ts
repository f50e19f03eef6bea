/**
 * A pull whose process died (SIGKILL, a crash, a lost database) leaves its run `running` and its
 * source claimed. The state such a death leaves is made here directly: a run row `running` since
 * some time and the source's `running_since`, exactly what `claim` writes before a pull.
 */
import { uuidv7 } from "uuidv7";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ABANDONED_RUN_ERROR } from "../../../domain/connectors.ts";
import { createMetric } from "../../testing/metrics.ts";
import { createTestApp, TEST_TODAY, type TestApp } from "../../testing/test-app.ts";
import * as repo from "./connectors.repo.ts";
import type { DataSource, DataSourceRun } from "./connectors.schema.ts";
import { runAndWait, startTestServer, type TestServer } from "./connectors.test-server.ts";

process.env.YARDSTICK_SECRET_KEY ??= "11".repeat(32);
process.env.YARDSTICK_CONNECTORS_ALLOW_PRIVATE = "true";

type Page<T> = { items: T[]; nextCursor: string | null };
type Problem = { detail: string };

let t: TestApp;
let srv: TestServer;
let metricId: string;

/** `minutes` before the test clock's now (09:00). */
const ago = (minutes: number) => new Date(new Date(TEST_TODAY).getTime() - minutes * 60_000).toISOString();

beforeAll(async () => {
  t = await createTestApp();
  srv = await startTestServer();
  metricId = await createMetric(t, "tickets_closed", { name: "Tickets closed" });
});
afterAll(async () => {
  await srv.close();
  await t.close();
});

/** A source whose pull started `minutes` ago and never finished: answers its id and the run's. */
async function diedWhilePulling(name: string, minutes: number) {
  srv.set(`/${name}.json`, { body: JSON.stringify({ data: [{ month: "2026-06-01", n: 42 }] }) });
  const made = await t.call<DataSource>("admin", {
    method: "POST",
    url: "/api/v1/data-sources",
    payload: {
      name,
      kind: "http_json",
      metricIds: [metricId],
      config: {
        url: srv.url(`/${name}.json`),
        itemsPath: "$.data[*]",
        fields: { periodStart: "$.month", value: "$.n" },
      },
    },
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const db = t.database.db;
  const runId = uuidv7();
  await repo.insertRun(db, {
    orgId: t.org.orgId,
    id: runId,
    sourceId: made.body.id,
    kind: "pull",
    trigger: "manual",
    status: "running",
    fed: true,
    startedAt: ago(minutes),
  });
  await repo.updateSource(db, t.org.orgId, made.body.id, { runningSince: ago(minutes) });
  return { sourceId: made.body.id, runId };
}

const runOf = async (sourceId: string, runId: string) =>
  (
    await t.call<DataSourceRun>("admin", {
      method: "GET",
      url: `/api/v1/data-sources/${sourceId}/runs/${runId}`,
    })
  ).body;

describe("a pull whose process died", () => {
  it("inside its lease: still running, and a run now is refused", async () => {
    const { sourceId, runId } = await diedWhilePulling("recent", 5);
    expect(await runOf(sourceId, runId)).toMatchObject({ status: "running", error: null });
    const again = await runAndWait<DataSourceRun & Problem>(t, "admin", sourceId);
    expect(again.status).toBe(409);
    expect(again.body.detail).toBe(`a run of this source is under way since ${ago(5)}`);
  });

  it("past its lease: shows as failed with why, and the next run records it and pulls", async () => {
    const { sourceId, runId } = await diedWhilePulling("died", 20);
    const shown = await runOf(sourceId, runId);
    expect(shown).toMatchObject({ status: "failed", error: ABANDONED_RUN_ERROR, finishedAt: null });
    const card = (
      await t.call<DataSource>("admin", { method: "GET", url: `/api/v1/data-sources/${sourceId}` })
    ).body;
    expect(card.lastRun).toMatchObject({ id: runId, status: "failed", error: ABANDONED_RUN_ERROR });

    const next = await runAndWait<DataSourceRun>(t, "admin", sourceId);
    expect(next.status).toBe(202);
    expect(next.body).toMatchObject({ status: "succeeded", rowsRead: 1, error: null });
    expect(next.body.counts.accepted).toBe(1);
    // the history now holds the death as a fact: failed, finished when the next run claimed the source
    const history = (
      await t.call<Page<DataSourceRun>>("admin", {
        method: "GET",
        url: `/api/v1/data-sources/${sourceId}/runs`,
      })
    ).body.items;
    expect(history.map((r) => [r.id, r.status])).toEqual([
      [next.body.id, "succeeded"],
      [runId, "failed"],
    ]);
    const stored = await repo.findRun(t.database.db, t.org.orgId, runId);
    expect(stored).toMatchObject({ status: "failed", error: ABANDONED_RUN_ERROR });
    expect(new Date(stored?.finishedAt ?? "").toISOString()).toBe(TEST_TODAY);
  });
});
