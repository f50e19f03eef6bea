/**
 * Whether a value is still provisional: its period ended less than the metric's finality lag ago
 * (late corrections are still expected), unless the steward has closed the periods through a day
 * on or after its end. A value written as final stays final.
 */
import { addDays } from "./dates.ts";

export function isProvisional(
  v: { periodEnd: string; writtenProvisional: boolean },
  m: { finalityLagDays: number; closedThrough: string | null },
  today: string,
): boolean {
  if (!v.writtenProvisional) return false;
  if (m.closedThrough !== null && v.periodEnd <= m.closedThrough) return false;
  return today <= addDays(v.periodEnd, m.finalityLagDays);
}
