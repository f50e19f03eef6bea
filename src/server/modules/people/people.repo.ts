/** SQL for people; every function takes a database or a transaction. Never selects password hashes. */
import { and, asc, eq, gt, ilike, inArray, or, sql } from "drizzle-orm";
import type { Db } from "../../db/connection.ts";
import { people } from "../../db/schema.ts";

export type PersonRow = typeof people.$inferSelect;
export type PersonChanges = Partial<
  Pick<PersonRow, "name" | "title" | "unitId" | "managerId" | "roles" | "active">
>;

const columns = {
  id: people.id,
  email: people.email,
  name: people.name,
  title: people.title,
  unitId: people.unitId,
  managerId: people.managerId,
  roles: people.roles,
  active: people.active,
  createdAt: people.createdAt,
};

/** `%` and `_` in a search are the characters themselves, not wildcards. */
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listPeople(
  db: Db,
  orgId: string,
  opts: {
    limit: number;
    afterId?: string;
    unitId?: string;
    managerId?: string;
    active?: boolean;
    q?: string;
    role?: string;
  },
) {
  const pattern = opts.q !== undefined ? `%${escapeLike(opts.q)}%` : undefined;
  return db
    .select(columns)
    .from(people)
    .where(
      and(
        eq(people.orgId, orgId),
        opts.afterId !== undefined ? gt(people.id, opts.afterId) : undefined,
        opts.unitId !== undefined ? eq(people.unitId, opts.unitId) : undefined,
        opts.managerId !== undefined ? eq(people.managerId, opts.managerId) : undefined,
        opts.active !== undefined ? eq(people.active, opts.active) : undefined,
        pattern !== undefined ? or(ilike(people.name, pattern), ilike(people.email, pattern)) : undefined,
        opts.role !== undefined ? sql`${people.roles} @> array[${opts.role}]::text[]` : undefined,
      ),
    )
    .orderBy(asc(people.id))
    .limit(opts.limit);
}

export async function findPerson(db: Db, orgId: string, id: string) {
  const rows = await db
    .select(columns)
    .from(people)
    .where(and(eq(people.orgId, orgId), eq(people.id, id)));
  return rows[0];
}

/** Which of these ids are people of the organisation (one query however many). */
export async function findExistingPersonIds(db: Db, orgId: string, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.orgId, orgId), inArray(people.id, ids)));
  return rows.map((r) => r.id);
}

export async function findPersonByEmail(db: Db, orgId: string, email: string) {
  const rows = await db
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.orgId, orgId), sql`lower(${people.email}) = lower(${email})`));
  return rows[0];
}

export async function insertPerson(db: Db, row: typeof people.$inferInsert) {
  const rows = await db.insert(people).values(row).returning(columns);
  const person = rows[0];
  if (!person) throw new Error("insert into people returned no row");
  return person;
}

export async function updatePerson(db: Db, orgId: string, id: string, set: PersonChanges) {
  const rows = await db
    .update(people)
    .set(set)
    .where(and(eq(people.orgId, orgId), eq(people.id, id)))
    .returning(columns);
  return rows[0];
}

/** Serialises changes to reporting lines, so two concurrent changes cannot together close a loop. */
export async function lockReportingLines(db: Db, orgId: string) {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`people_managers:${orgId}`}))`);
}

/** Everyone below `managerId`, at any depth. `union` stops at a loop should bad data ever hold one. */
export async function selectReportIds(db: Db, orgId: string, managerId: string): Promise<string[]> {
  const result = await db.execute(sql`
    with recursive reports(id) as (
      select p.id from people p where p.org_id = ${orgId} and p.manager_id = ${managerId}
      union
      select p.id from people p join reports r on p.manager_id = r.id where p.org_id = ${orgId}
    )
    select id from reports order by id`);
  return (result as unknown as { rows: { id: string }[] }).rows.map((r) => r.id);
}

/** The manager, their manager and so on up, nearest first; stops at a loop should bad data hold one. */
export async function selectManagerChain(db: Db, orgId: string, personId: string): Promise<string[]> {
  const result = await db.execute(sql`
    with recursive chain(id, depth, path) as (
      select p.manager_id, 1, array[p.id, p.manager_id]
      from people p where p.org_id = ${orgId} and p.id = ${personId} and p.manager_id is not null
      union all
      select p.manager_id, c.depth + 1, c.path || p.manager_id
      from chain c join people p on p.org_id = ${orgId} and p.id = c.id
      where p.manager_id is not null and not p.manager_id = any(c.path)
    )
    select id from chain order by depth`);
  return (result as unknown as { rows: { id: string }[] }).rows.map((r) => r.id);
}
