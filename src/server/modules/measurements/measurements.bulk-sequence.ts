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
  /** what the write judged, once its rows are sent; null when it judged nothing */
  sent: Promise<WrittenAhead | null>;
  /** what the write committed (its judgement); null when it committed nothing or failed */
  committed: Promise<WrittenAhead | null>;
};

/** One write's place in its organisation's sequence. */
export type WriteTurn = {
  /**
   * Waits for the write before this one to hand its rows to the database: what it judged (maybe not
   * committed); null when there is none. This write's JavaScript then runs while the database
   * inserts those rows, instead of holding up the statements that send them.
   */
  before: () => Promise<WrittenAhead | null>;
  /** waits for the write before this one to end: what it committed (null: nothing, or it failed) */
  committedBefore: () => Promise<WrittenAhead | null>;
  /** this write judged its rows and handed them to the database: the next one judges on top of it */
  sent: (w: WrittenAhead) => void;
  /** this write ended; `committed` is what it committed (null when it failed or wrote nothing) */
  end: (committed: WrittenAhead | null) => void;
};

export function createWriteSequence() {
  const last = new Map<string, Entry>();
  return {
    /** Takes the next turn for `orgId`: call `end` exactly once, whatever happens. */
    take(orgId: string): WriteTurn {
      const previous = last.get(orgId);
      let onSent: (w: WrittenAhead | null) => void = () => {};
      let onEnd: (w: WrittenAhead | null) => void = () => {};
      const entry: Entry = {
        sent: new Promise((resolve) => {
          onSent = resolve;
        }),
        committed: new Promise((resolve) => {
          onEnd = resolve;
        }),
      };
      last.set(orgId, entry);
      return {
        before: async () => (previous ? previous.sent : null),
        committedBefore: async () => (previous ? previous.committed : null),
        sent: (w) => onSent(w),
        end: (committed) => {
          onSent(null); // a write that ended without sending rows (no effect once sent)
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
