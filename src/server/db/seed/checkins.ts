/**
 * Check-ins on the current cycle's goals: monthly from the start (only the latest at large sizes),
 * by the owner, with the reading of the day, a confidence (0–10) that follows the pace, a narrative
 * and, when behind, a blocker.
 */
import { computeExpected } from "../../../domain/expected.ts";
import type { checkIns } from "../schema.ts";
import type { PlannedGoal } from "./goal-factory.ts";
import { readWindow } from "./goal-targets.ts";
import type { Rng } from "./random.ts";

export type CheckInRow = typeof checkIns.$inferInsert;

const AHEAD = [
  "Ahead of plan; the new cadence is paying off.",
  "Good month. Keeping the same focus.",
  "On plan; no surprises this period.",
  "Steady progress, the trend holds.",
];
const BEHIND = [
  "Slower than planned; adjusting priorities with the team.",
  "Behind the curve this month, recovery plan agreed.",
  "A rough month; expect to catch up next quarter.",
];
const BLOCKERS = [
  "Waiting on the data pipeline fix from Business Intelligence.",
  "Two open roles not yet filled.",
  "Dependency on the platform migration.",
  "Seasonal dip in demand.",
  "Budget approval still pending.",
];

/** Check-in dates: the 5th of each month after the start, up to today. */
export function checkInDates(start: string, due: string, today: string, latestOnly: boolean): string[] {
  const dates: string[] = [];
  let y = Number(start.slice(0, 4));
  let m = Number(start.slice(5, 7)) + 1;
  for (;;) {
    if (m > 12) {
      m = 1;
      y += 1;
    }
    const d = `${y}-${String(m).padStart(2, "0")}-05`;
    if (d > today || d > due) break;
    dates.push(d);
    m += 1;
  }
  return latestOnly ? dates.slice(-1) : dates;
}

export function planCheckIns(
  rng: Rng,
  newId: () => string,
  g: PlannedGoal,
  today: string,
  latestOnly: boolean,
): CheckInRow[] {
  const r = g.row;
  if (r.state === "draft" || r.state === "proposed") return [];
  const dates = checkInDates(r.startDate, r.dueDate, today, latestOnly);
  return dates.map((date, i) => {
    const last = i === dates.length - 1;
    const expected = computeExpected(
      { start: r.startDate, due: r.dueDate, checkpoints: r.checkpoints ?? [] },
      date,
    );
    let value: number | null = null;
    let attainment = g.attainment;
    if (g.series && r.kind === "metric") {
      const k = g.series.kpi;
      value = readWindow(g.series, k.aggregation, r.startDate, date);
      if (value !== null && r.targetValue != null) {
        attainment =
          k.aggregation === "sum"
            ? value / r.targetValue
            : (value - (r.baselineValue ?? 0)) / (r.targetValue - (r.baselineValue ?? 0));
      }
    } else if (r.kind === "rubric" && g.rubricLevel !== undefined) {
      attainment = ((g.rubricLevel - 1) * (i + 1)) / dates.length / Math.max(1, (r.rubricLevels ?? 5) - 1);
    }
    const pace = attainment === null || expected === 0 ? 1 : attainment / expected;
    const behind = pace < 0.9;
    const row: CheckInRow = {
      orgId: r.orgId,
      id: newId(),
      goalId: r.id,
      authorId: r.ownerId,
      checkInDate: date,
      value: value === null ? null : Math.round(value * 100) / 100,
      confidence: Math.max(0, Math.min(10, Math.round(pace * 7 + rng.between(-1, 1)))),
      narrative: behind ? rng.pick(BEHIND) : rng.pick(AHEAD),
      blockers: behind ? rng.pick(BLOCKERS) : "",
      createdAt: `${date}T${String(8 + rng.int(0, 9)).padStart(2, "0")}:${String(rng.int(0, 59)).padStart(2, "0")}:00.000Z`,
    };
    row.milestoneDone = r.kind === "milestone" ? last && g.milestoneDone === true : null;
    row.rubricLevel =
      r.kind === "rubric" && g.rubricLevel !== undefined
        ? Math.max(1, Math.round(1 + ((g.rubricLevel - 1) * (i + 1)) / dates.length))
        : null;
    return row;
  });
}
