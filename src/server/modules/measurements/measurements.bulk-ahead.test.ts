import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../actor.ts";
import { measurements } from "../../db/schema.ts";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";
import { testBackend } from "../../testing/test-db.ts";
import { prepareWrite, type WriteRowsResult, writePrepared } from "./measurements.bulk.ts";
import { judgeAhead, type WrittenAhead } from "./measurements.bulk-ahead.ts";
import { createStepChangeMetric } from "./measurements.fixtures.ts";
import { type JudgeState, seriesState } from "./measurements.judge.ts";
import type { BulkMeasurementRow } from "./measurements.schema.ts";

// A write judged ahead of its transaction (the file import's chunk n+1 while chunk n inserts) must
// end exactly as if it were judged in it: taking the judgement only when nothing else wrote to or
// changed its metrics in between, and judging again under the lock otherwise.
type Ahead = Awaited<ReturnType<typeof judgeAhead>>;
/** The history a judge state holds for a series (to see whether it was carried on or read again). */
const historyOf = (
  state: JudgeState | null | undefined,
  s: { metricId: string; scopeType: string; scopeId: string },
) => {
  const history = state ? seriesState(state, s)?.history : undefined;
  if (!history) throw new Error("the state holds no history for the series");
  return history;
};

describe("bulk writes judged ahead", () => {
  let t: TestApp;
  let actor: Actor;
  let seq = 0;
  const day = (d: number) => `2026-03-${String(d).padStart(2, "0")}`;

  beforeAll(async () => {
    t = await createTestApp();
    actor = { orgId: t.org.orgId, personId: t.org.people.admin, roles: ["admin"], unitId: null };
  });
  afterAll(async () => t.close());

  /** A daily metric whose step-change rule flags a move of more than 50 % from the previous day. */
  const newMetric = () => {
    seq += 1;
    return createStepChangeMetric(t, `ahead_${seq}`);
  };
  const rows = (metricId: string, values: [number, number][]) =>
    values.map(([d, value]) => ({
      metricId,
      scopeType: "org" as const,
      periodStart: day(d),
      periodEnd: day(d),
      value,
      source: "file",
      note: "",
    }));
  /**
   * Writes rows in their own transaction the ordinary way (going on from `carried` when it holds);
   * answers what it judged and locked.
   */
  const write = async (metricId: string, values: [number, number][], carried: WrittenAhead | null = null) => {
    let seen: WrittenAhead | null = null;
    const result: WriteRowsResult = await t.database.db.transaction(async (tx) =>
      writePrepared(tx, t.clock, actor, await prepareWrite(tx, t.clock, actor, rows(metricId, values)), {
        carried,
        onJudged: (w) => {
          seen = w;
        },
      }),
    );
    return { result, written: seen as WrittenAhead | null };
  };
  const stored = (metricId: string) =>
    t.database.db
      .select({ periodStart: measurements.periodStart, value: measurements.value, id: measurements.id })
      .from(measurements)
      .where(and(eq(measurements.orgId, t.org.orgId), eq(measurements.metricId, metricId)))
      .orderBy(measurements.periodStart, measurements.id);

  it("judges the next rows against the previous write's rows before that write commits, and takes the judgement", async () => {
    const m = await newMetric();
    // write 1 locks and judges (100 on day 1), then — before it commits — write 2 is judged ahead
    let judging: Promise<Ahead> = Promise.resolve(null);
    let ahead = null as Ahead;
    await t.database.db.transaction(async (tx) => {
      const first = await prepareWrite(tx, t.clock, actor, rows(m.id, [[1, 100]]));
      await writePrepared(tx, t.clock, actor, first, {
        onJudged: (w) => {
          // outside the transaction: day 1 is not visible there yet, the judgement adds it from `w`
          judging = prepareWrite(
            t.database.db,
            t.clock,
            actor,
            rows(m.id, [
              [2, 200],
              [3, 210],
            ]),
          ).then((p) => judgeAhead(t.database.db, t.clock, actor, p, w));
        },
      });
      // PGlite has one connection, busy with this transaction until it ends: there the judgement
      // runs after the commit (and adds day 1 a second time, which changes nothing)
      if (testBackend() === "postgres") ahead = await judging;
    });
    if (testBackend() !== "postgres") ahead = await judging;
    expect(ahead).not.toBeNull();
    const judged = ahead?.judgement.judged ?? [];
    // 100 → 200 is +100 % (flagged), 200 → 210 is +5 %
    expect(judged.map((j) => [j.row.periodStart, j.state, j.findings.map((f) => f.rule)])).toEqual([
      [day(2), "flagged", ["step_change"]],
      [day(3), "accepted", []],
    ]);
    // write 2, with nothing in between: the judgement made ahead is written as it is (same ids)
    const second = await t.database.db.transaction(async (tx) =>
      writePrepared(
        tx,
        t.clock,
        actor,
        await prepareWrite(
          tx,
          t.clock,
          actor,
          rows(m.id, [
            [2, 200],
            [3, 210],
          ]),
        ),
        {
          ahead,
        },
      ),
    );
    expect(second.counts).toEqual({ accepted: 1, flagged: 1, quarantined: 0, rejected: 0 });
    const ids = second.outcomes.map((o) => (o.status === "rejected" ? null : o.id));
    expect(ids).toEqual(judged.map((j) => j.id));
    expect((await stored(m.id)).map((r) => [String(r.periodStart), r.value])).toEqual([
      [day(1), 100],
      [day(2), 200],
      [day(3), 210],
    ]);
  });

  it("judges again under the lock when another writer wrote to the metric in between", async () => {
    const m = await newMetric();
    const { written } = await write(m.id, [[1, 100]]);
    const prepared = await prepareWrite(t.database.db, t.clock, actor, rows(m.id, [[2, 100]]));
    const ahead = await judgeAhead(t.database.db, t.clock, actor, prepared, written);
    expect(ahead?.judgement.judged.map((j) => j.state)).toEqual(["accepted"]); // 100 → 100
    // someone else records day 2 (from another source) after the judgement was made
    const other = await t.call<{ accepted: number }>("admin", {
      method: "POST",
      url: "/api/v1/measurements",
      payload: [{ metricId: m.id, scopeType: "org", periodStart: day(2), periodEnd: day(2), value: 5 }],
    });
    expect(other.status).toBe(201);
    const late = await t.database.db.transaction((tx) =>
      writePrepared(tx, t.clock, actor, prepared, { ahead }),
    );
    // judged against what is stored now: day 2 already has a value, so the row is refused, not doubled
    expect(late.counts.rejected).toBe(1);
    const outcome = late.outcomes[0];
    expect(outcome?.status === "rejected" ? outcome.errors[0]?.field : null).toBe("supersedes");
    expect((await stored(m.id)).map((r) => [String(r.periodStart), r.value])).toEqual([
      [day(1), 100],
      [day(2), 5],
    ]);
  });

  it("judges again, by the new rules, when the metric was changed in between", async () => {
    const m = await newMetric();
    const { written } = await write(m.id, [[1, 100]]);
    const prepared = await prepareWrite(t.database.db, t.clock, actor, rows(m.id, [[2, 140]]));
    const ahead = await judgeAhead(t.database.db, t.clock, actor, prepared, written);
    expect(ahead?.judgement.judged.map((j) => j.state)).toEqual(["accepted"]); // +40 % ≤ 50 %
    const patched = await t.call("admin", {
      method: "PATCH",
      url: `/api/v1/metrics/${m.id}`,
      payload: { validationRules: { stepChange: { maxPercent: 20, action: "quarantine" } } },
    });
    expect(patched.status).toBe(200);
    const late = await t.database.db.transaction((tx) =>
      writePrepared(tx, t.clock, actor, prepared, { ahead }),
    );
    // +40 % is beyond the new 20 %: quarantined, as the rules now say
    expect(late.counts).toEqual({ accepted: 0, flagged: 0, quarantined: 1, rejected: 0 });
  });

  it("does not judge ahead when the facts were read before a change the previous write did not make", async () => {
    const m = await newMetric();
    // the facts of the next write are read first…
    const prepared = await prepareWrite(t.database.db, t.clock, actor, rows(m.id, [[2, 100]]));
    // …then another write and a change land before the previous write of this writer locks
    await t.call("admin", {
      method: "PATCH",
      url: `/api/v1/metrics/${m.id}`,
      payload: { validationRules: { stepChange: { maxPercent: 10, action: "flag" } } },
    });
    const { written } = await write(m.id, [[1, 100]]);
    expect(await judgeAhead(t.database.db, t.clock, actor, prepared, written)).toBeNull();
  });

  it("goes on from the state the previous write was judged in, reading only what is stored after it", async () => {
    const m = await newMetric();
    // another writer stored day 6 before this writer began
    const other = await t.call("admin", {
      method: "POST",
      url: "/api/v1/measurements",
      payload: [{ metricId: m.id, scopeType: "org", periodStart: day(6), periodEnd: day(6), value: 1000 }],
    });
    expect(other.status).toBe(201);
    const judgeAndWrite = async (values: [number, number][], before: WrittenAhead | null) => {
      const prepared = await prepareWrite(t.database.db, t.clock, actor, rows(m.id, values));
      const ahead = await judgeAhead(t.database.db, t.clock, actor, prepared, before);
      let written: WrittenAhead | null = null;
      const result = await t.database.db.transaction((tx) =>
        writePrepared(tx, t.clock, actor, prepared, {
          ahead,
          onJudged: (w) => {
            written = w;
          },
        }),
      );
      return { ahead, result, written: written as WrittenAhead | null };
    };
    const a = await judgeAndWrite(
      [
        [1, 10],
        [2, 10],
        [3, 10],
      ],
      null,
    );
    expect(a.written?.state).not.toBeNull();
    // The state of write 1 knows the series up to day 3. Day 8 follows day 6, which is stored after
    // that (1000 → 1200: +20 %, accepted; against day 3 it would be +11,900 %); day 9 follows day 8
    // (1200 → 3000: +150 %, flagged).
    const b = await judgeAndWrite(
      [
        [8, 1200],
        [9, 3000],
      ],
      a.written,
    );
    const series = { metricId: m.id, scopeType: "org", scopeId: t.org.orgId };
    // the series' history is the one write 1 was judged in, carried on (not read again)
    expect(historyOf(b.ahead?.state, series)).toBe(historyOf(a.written?.state, series));
    expect(b.result.outcomes.map((o) => (o.status === "rejected" ? o.errors : o.status))).toEqual([
      "accepted",
      "flagged",
    ]);
    expect((await stored(m.id)).map((r) => [String(r.periodStart), r.value])).toEqual([
      [day(1), 10],
      [day(2), 10],
      [day(3), 10],
      [day(6), 1000],
      [day(8), 1200],
      [day(9), 3000],
    ]);
  });

  it("a write goes on from the state of the previous committed write while nothing else wrote", async () => {
    const m = await newMetric();
    const first = await write(m.id, [
      [1, 10],
      [2, 10],
      [3, 10],
    ]);
    const next = await write(m.id, [[4, 30]], first.written);
    const series = { metricId: m.id, scopeType: "org", scopeId: t.org.orgId };
    expect(historyOf(next.written?.state, series)).toBe(historyOf(first.written?.state, series));
    // 10 → 30 is +200 %
    expect(next.result.outcomes.map((o) => o.status)).toEqual(["flagged"]);
  });

  it("a write reads the history again when another write came in between (a correction it cannot see)", async () => {
    const m = await newMetric();
    const first = await write(m.id, [
      [1, 10],
      [2, 10],
      [3, 10],
    ]);
    const day3 = first.result.outcomes[2];
    // another writer corrects day 3 to 1000: a period the first write's state already covers
    const corrected = await t.call("admin", {
      method: "POST",
      url: `/api/v1/metrics/${m.id}/measurements`,
      payload: {
        scopeType: "org",
        periodStart: day(3),
        periodEnd: day(3),
        value: 1000,
        supersedes: day3?.status === "rejected" ? "" : day3?.id,
      },
    });
    expect(corrected.status).toBe(201);
    const next = await write(m.id, [[4, 1100]], first.written);
    const series = { metricId: m.id, scopeType: "org", scopeId: t.org.orgId };
    expect(historyOf(next.written?.state, series)).not.toBe(historyOf(first.written?.state, series));
    // judged against the corrected day 3 (1000 → 1100: +10 %), not the 10 the first write knew
    expect(next.result.outcomes.map((o) => o.status)).toEqual(["accepted"]);
  });

  it("never judges corrections ahead (their targets are read under the lock)", async () => {
    const m = await newMetric();
    const { result } = await write(m.id, [[1, 100]]);
    const first = result.outcomes[0];
    const target = first && first.status !== "rejected" ? first.id : "";
    const correction = { ...rows(m.id, [[1, 120]])[0], supersedes: target } as BulkMeasurementRow;
    const prepared = await prepareWrite(t.database.db, t.clock, actor, [correction]);
    expect(await judgeAhead(t.database.db, t.clock, actor, prepared, null)).toBeNull();
  });
});
