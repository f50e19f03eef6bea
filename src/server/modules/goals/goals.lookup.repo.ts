/**
 * Reads of the records a goal refers to (people, units, cycles, metrics), for validation and for the
 * SMART check. Plain lookups by id within the organisation; no rules here.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/connection.ts";
import { cycles, metrics, orgUnits, people } from "../../db/schema.ts";

export async function findPeople(db: Db, orgId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: people.id, active: people.active, unitId: people.unitId })
    .from(people)
    .where(and(eq(people.orgId, orgId), inArray(people.id, [...new Set(ids)])));
}

export async function findUnit(db: Db, orgId: string, id: string) {
  const rows = await db
    .select({ id: orgUnits.id })
    .from(orgUnits)
    .where(and(eq(orgUnits.orgId, orgId), eq(orgUnits.id, id)));
  return rows[0];
}

export type CycleFacts = { id: string; startDate: string; endDate: string; phase: string };

export async function findCycles(db: Db, orgId: string, ids: string[]): Promise<Map<string, CycleFacts>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: cycles.id, startDate: cycles.startDate, endDate: cycles.endDate, phase: cycles.phase })
    .from(cycles)
    .where(and(eq(cycles.orgId, orgId), inArray(cycles.id, [...new Set(ids)])));
  return new Map(rows.map((r) => [r.id, r]));
}

export type MetricFacts = { id: string; direction: string };

export async function findMetrics(db: Db, orgId: string, ids: string[]): Promise<Map<string, MetricFacts>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: metrics.id, direction: metrics.direction })
    .from(metrics)
    .where(and(eq(metrics.orgId, orgId), inArray(metrics.id, [...new Set(ids)])));
  return new Map(rows.map((r) => [r.id, r]));
}
