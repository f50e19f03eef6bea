/**
 * An organisation's bulk writes through this process, one after another in the order they arrive,
 * each judged ahead while the one before it writes (ADR 007): a client that keeps two requests in
 * flight has request n+1 read, planned and judged in JavaScript while the database inserts request n.
 *
 * The writes of an organisation already ran one at a time (each locks the organisation's audit chain
 * head); here they queue in the process instead, so that each knows the write before it. A write
 * takes its turn, judges ahead on top of what the write before it judged (perhaps not yet
 * committed), waits for that write to end, then writes in its own transaction. The judgement made
 * ahead is used only when the write before it committed what it judged and, under the lock, the
 * metrics' write sequences show nothing else wrote in between (`aheadHolds`).
 */
import type { WrittenAhead } from "./measurements.bulk-ahead.ts";

/** How long an organisation's last write is kept to go on from, once nothing follows it. */
const KEEP_IDLE_MS = 5 * 60_000;

type Entry = {
  /** what the write locked and judged; null when it judged nothing */
  judged: Promise<WrittenAhead | null>;
  /** what the write committed (its judgement); null when it committed nothing or failed */
  committed: Promise<WrittenAhead | null>;
};

/** One write's place in its organisation's sequence. */
export type WriteTurn = {
  /** the write before this one, as judged (maybe not committed); null when there is none */
  before: () => Promise<WrittenAhead | null>;
  /** waits for the write before this one to end: what it committed (null: nothing, or it failed) */
  committedBefore: () => Promise<WrittenAhead | null>;
  /** this write locked and judged: the next write may judge ahead on top of it */
  judged: (w: WrittenAhead) => void;
  /** this write ended; `committed` is what it committed (null when it failed or wrote nothing) */
  end: (committed: WrittenAhead | null) => void;
};

export function createWriteSequence() {
  const last = new Map<string, Entry>();
  return {
    /** Takes the next turn for `orgId`: call `end` exactly once, whatever happens. */
    take(orgId: string): WriteTurn {
      const previous = last.get(orgId);
      let onJudged: (w: WrittenAhead | null) => void = () => {};
      let onEnd: (w: WrittenAhead | null) => void = () => {};
      const entry: Entry = {
        judged: new Promise((resolve) => {
          onJudged = resolve;
        }),
        committed: new Promise((resolve) => {
          onEnd = resolve;
        }),
      };
      last.set(orgId, entry);
      return {
        before: async () => (previous ? previous.judged : null),
        committedBefore: async () => (previous ? previous.committed : null),
        judged: (w) => onJudged(w),
        end: (committed) => {
          onJudged(null); // a write that ended without judging (no effect once judged)
          onEnd(committed);
          // an idle organisation's last write is let go after a while (a later write reads again)
          setTimeout(() => {
            if (last.get(orgId) === entry) last.delete(orgId);
          }, KEEP_IDLE_MS).unref();
        },
      };
    },
  };
}
