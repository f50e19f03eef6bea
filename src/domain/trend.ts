/**
 * The on-track share of a set of goals on one day: of the goals that count (they have figures with
 * data, have started, and are neither drafts nor cancelled), the share on track or already achieved.
 */
import type { ProgressStatus } from "./status.ts";

export type TrendGoal = { state: string; status: ProgressStatus | null };
export type TrendPoint = { date: string; counted: number; onTrack: number; share: number | null };

export function onTrackShare(date: string, goals: readonly TrendGoal[]): TrendPoint {
  let counted = 0;
  let onTrack = 0;
  for (const g of goals) {
    if (g.status === null || g.status === "not_started" || g.status === "no_data") continue;
    if (g.state === "draft" || g.state === "cancelled") continue;
    counted += 1;
    if (g.status === "on_track" || g.status === "achieved") onTrack += 1;
  }
  return { date, counted, onTrack, share: counted > 0 ? onTrack / counted : null };
}
