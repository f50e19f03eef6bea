import { and, eq, gt, sql } from "drizzle-orm";
import type { Db } from "../../db/connection.ts";
import { organizations, people, sessions } from "../../db/schema.ts";

export async function findLoginCandidates(db: Db, email: string) {
  return db
    .select({ orgId: people.orgId, id: people.id, passwordHash: people.passwordHash, active: people.active })
    .from(people)
    .where(sql`lower(${people.email}) = lower(${email})`)
    .limit(5);
}

export async function insertSession(db: Db, row: typeof sessions.$inferInsert) {
  await db.insert(sessions).values(row);
}

export async function deleteSession(db: Db, orgId: string, tokenHash: string) {
  await db.delete(sessions).where(and(eq(sessions.orgId, orgId), eq(sessions.tokenHash, tokenHash)));
}

export async function findSessionActor(db: Db, orgId: string, tokenHash: string, now: string) {
  const rows = await db
    .select({ personId: people.id, roles: people.roles, unitId: people.unitId })
    .from(sessions)
    .innerJoin(people, and(eq(people.orgId, sessions.orgId), eq(people.id, sessions.personId)))
    .where(
      and(
        eq(sessions.orgId, orgId),
        eq(sessions.tokenHash, tokenHash),
        gt(sessions.expiresAt, now),
        eq(people.active, true),
      ),
    )
    .limit(1);
  return rows[0];
}

export async function findMe(db: Db, orgId: string, personId: string) {
  const rows = await db
    .select({
      id: people.id,
      email: people.email,
      name: people.name,
      title: people.title,
      unitId: people.unitId,
      managerId: people.managerId,
      roles: people.roles,
      org: {
        id: organizations.id,
        name: organizations.name,
        timeZone: organizations.timeZone,
        locale: organizations.locale,
        currency: organizations.currency,
        fiscalYearStartMonth: organizations.fiscalYearStartMonth,
      },
    })
    .from(people)
    .innerJoin(organizations, eq(organizations.id, people.orgId))
    .where(and(eq(people.orgId, orgId), eq(people.id, personId)));
  return rows[0];
}
