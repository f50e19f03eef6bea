/** When the next check-in on a goal is due, from its review cadence and its last check-in. */
const CADENCE_DAYS: Record<string, number> = { weekly: 7, biweekly: 14, monthly: 31, quarterly: 92 };

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function nextCheckInDue(cadence: string, lastCheckIn: string | null, startDate: string): string {
  return addDays(lastCheckIn ?? startDate, CADENCE_DAYS[cadence] ?? 31);
}
