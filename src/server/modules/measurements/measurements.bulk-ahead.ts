/**
 * Judging a bulk write ahead of its transaction, so that a long sequence of writes by one writer
 * (a file import's chunks) judges chunk n+1 in JavaScript while the database inserts chunk n.
 *
 * The judgement reads the stored values outside any lock, then adds the rows of the write before it
 * (judged, perhaps not yet committed). It holds only if nothing else wrote to, or changed, the
 * metrics in between. Every write and every change of a metric bumps its write sequence under the
 * metric's lock, so the write checks, once it holds the locks, that each metric's sequence is
 * exactly one more (its own bump) than the one the judgement expected; otherwise it judges again
 * under the lock (measurements.bulk.ts `writePrepared`). A stale judgement is never written.
 *
 * What is expected for a metric:
 * - the write before it did not lock the metric: the sequence read with the metric's facts;
 * - it did: the sequence that write obtained, provided the facts were read just before that write's
 *   bump (obtained − 1) or after its commit (obtained). Anything else in between means the facts may
 *   be out of date, and nothing is judged ahead.
 */

import type { Actor } from "../../actor.ts";
import type { Clock } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";
import { newRowId } from "../../ids.ts";
import type { PreparedWrite } from "./measurements.bulk.ts";
import { type RenderedWrite, renderWrite } from "./measurements.bulk-render.ts";
import {
  addJudged,
  type JudgedRow,
  type Judgement,
  type JudgeState,
  judgeAgainst,
  loadJudgeState,
} from "./measurements.judge.ts";

/**
 * A judgement made ahead of the write's transaction, the state it was made in, the write sequences
 * it holds for, and the write rendered from it (measurements.bulk-render.ts).
 */
export type JudgedAhead = {
  expected: Map<string, number>;
  judgement: Judgement;
  state: JudgeState;
  rendered: RenderedWrite;
};

/**
 * What a write judged, the write sequences it obtained when it locked its metrics, and the state it
 * was judged in with its own rows added: what is stored once it commits, for the series it wrote.
 * The next write of the same writer (an import's next chunk, the next bulk request) goes on from
 * that state instead of reading the series' history again, while nothing else wrote in between.
 * (Null: a write of no rows.)
 */
export type WrittenAhead = { judged: JudgedRow[]; locked: Map<string, number>; state: JudgeState | null };

/**
 * Judges and renders `prepared` (`actor`'s write of rows carrying `batchId`, a new batch by default)
 * ahead of its transaction. `before` is the previous write of the same writer (locked and judged,
 * perhaps not committed), null when there is none in flight. Answers null when the rows cannot be
 * judged ahead (corrections name their targets, which are read under the lock, or the facts may be
 * out of date).
 */
export async function judgeAhead(
  db: Db,
  clock: Clock,
  actor: Actor,
  prepared: PreparedWrite,
  before: WrittenAhead | null,
  batchId?: string,
): Promise<JudgedAhead | null> {
  if (prepared.planned.some((r) => r.supersedes !== undefined)) return null;
  const expected = new Map<string, number>();
  for (const { metric } of prepared.planned) {
    if (expected.has(metric.id)) continue;
    const obtained = before?.locked.get(metric.id);
    if (obtained === undefined) expected.set(metric.id, metric.writeSeq);
    else if (metric.writeSeq === obtained - 1 || metric.writeSeq === obtained)
      expected.set(metric.id, obtained);
    else return null;
  }
  const state = await loadJudgeState(db, actor.orgId, prepared.planned, before?.state ?? null);
  // the previous write's rows may not be committed yet (a carried state holds them already; adding
  // them again changes nothing)
  if (before) addJudged(state, before.judged);
  const judgement = judgeAgainst(state, prepared.planned, newRowId);
  const rendered = renderWrite(db, actor, judgement, prepared.rows.length, { now: clock.now(), batchId });
  return { expected, judgement, state, rendered };
}

/**
 * Whether a write may go on from the state of `carried`, an earlier committed write: each of its
 * metrics that `carried` wrote is now locked at the sequence `carried` obtained plus one (this
 * write's own bump), so nothing else wrote to or changed it in between. Its other metrics' series
 * are not in that state and are read as usual.
 */
export function carriedHolds(carried: WrittenAhead, locked: Map<string, number>): boolean {
  for (const [id, seq] of locked) {
    const before = carried.locked.get(id);
    if (before !== undefined && before + 1 !== seq) return false;
  }
  return true;
}

/** Whether the judgement holds: each metric's sequence, now locked, is one more than expected. */
export function aheadHolds(ahead: JudgedAhead, locked: Map<string, number>): boolean {
  if (locked.size !== ahead.expected.size) return false;
  for (const [id, seq] of ahead.expected) if (locked.get(id) !== seq + 1) return false;
  return true;
}
