/** SQL of imports: the import records, their problems, remembered mappings, scope look-ups. */
import { and, asc, desc, eq, gt, inArray, lt, or, sql } from "drizzle-orm";
import type { Db } from "../../db/connection.ts";
import { importMappings, importProblems, imports, orgUnits, people } from "../../db/schema.ts";

export type ImportRow = typeof imports.$inferSelect;
export type ImportInsert = typeof imports.$inferInsert;
export type ProblemInsert = typeof importProblems.$inferInsert;

export async function insertImport(db: Db, row: ImportInsert): Promise<void> {
  await db.insert(imports).values(row);
}

export async function findImport(db: Db, orgId: string, id: string): Promise<ImportRow | undefined> {
  const rows = await db
    .select()
    .from(imports)
    .where(and(eq(imports.orgId, orgId), eq(imports.id, id)));
  return rows[0];
}

/** The import, locked for the rest of the transaction (one runner commits a chunk at a time). */
export async function lockImport(tx: Db, orgId: string, id: string): Promise<ImportRow | undefined> {
  const rows = await tx
    .select()
    .from(imports)
    .where(and(eq(imports.orgId, orgId), eq(imports.id, id)))
    .for("update");
  return rows[0];
}

export async function updateImport(
  db: Db,
  orgId: string,
  id: string,
  set: Partial<Omit<ImportInsert, "orgId" | "id">>,
): Promise<void> {
  await db
    .update(imports)
    .set(set)
    .where(and(eq(imports.orgId, orgId), eq(imports.id, id)));
}

/** Newest first; `createdBy` limits the list to one person's imports. */
export async function listImports(
  db: Db,
  orgId: string,
  opts: { createdBy: string | undefined; before: string | undefined; limit: number },
): Promise<ImportRow[]> {
  return db
    .select()
    .from(imports)
    .where(
      and(
        eq(imports.orgId, orgId),
        opts.createdBy ? eq(imports.createdBy, opts.createdBy) : undefined,
        opts.before ? lt(imports.id, opts.before) : undefined,
      ),
    )
    .orderBy(desc(imports.id))
    .limit(opts.limit);
}

/** Imports left running (by a process that stopped), across organisations. */
export async function listRunningImports(db: Db): Promise<ImportRow[]> {
  return db.select().from(imports).where(eq(imports.status, "running"));
}

export async function insertProblems(db: Db, rows: ProblemInsert[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) {
    await db
      .insert(importProblems)
      .values(rows.slice(i, i + 2000))
      .onConflictDoNothing();
  }
}

export async function deleteProblems(db: Db, orgId: string, importId: string): Promise<void> {
  await db
    .delete(importProblems)
    .where(and(eq(importProblems.orgId, orgId), eq(importProblems.importId, importId)));
}

export async function listProblems(
  db: Db,
  orgId: string,
  importId: string,
  opts: { after: number | undefined; limit: number },
) {
  return db
    .select({
      seq: importProblems.seq,
      rowNumber: importProblems.rowNumber,
      column: importProblems.column,
      message: importProblems.message,
    })
    .from(importProblems)
    .where(
      and(
        eq(importProblems.orgId, orgId),
        eq(importProblems.importId, importId),
        opts.after !== undefined ? gt(importProblems.seq, opts.after) : undefined,
      ),
    )
    .orderBy(asc(importProblems.seq))
    .limit(opts.limit);
}

export async function findMapping(db: Db, orgId: string, sourceName: string) {
  const rows = await db
    .select({ mapping: importMappings.mapping })
    .from(importMappings)
    .where(and(eq(importMappings.orgId, orgId), eq(importMappings.sourceName, sourceName)));
  return rows[0]?.mapping;
}

export async function saveMapping(
  db: Db,
  row: { orgId: string; sourceName: string; mapping: Record<string, unknown>; updatedAt: string },
): Promise<void> {
  await db
    .insert(importMappings)
    .values(row)
    .onConflictDoUpdate({
      target: [importMappings.orgId, importMappings.sourceName],
      set: { mapping: row.mapping, updatedAt: row.updatedAt },
    });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** People named by id or e-mail (case-insensitive): answers each given text with the person's id. */
export async function findPeopleByIdOrEmail(db: Db, orgId: string, texts: string[]) {
  const ids = texts.filter((t) => UUID.test(t));
  const emails = texts.filter((t) => t.includes("@")).map((t) => t.toLowerCase());
  if (ids.length === 0 && emails.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ id: people.id, email: people.email })
    .from(people)
    .where(
      and(
        eq(people.orgId, orgId),
        or(
          ids.length > 0 ? inArray(people.id, ids) : undefined,
          emails.length > 0 ? inArray(sql`lower(${people.email})`, emails) : undefined,
        ),
      ),
    );
  const out = new Map<string, string>();
  for (const r of rows) {
    out.set(r.id.toLowerCase(), r.id);
    out.set(r.email.toLowerCase(), r.id);
  }
  return out;
}

/** Units named by id or name (case-insensitive): answers each given text with the unit's id. */
export async function findUnitsByIdOrName(db: Db, orgId: string, texts: string[]) {
  const ids = texts.filter((t) => UUID.test(t));
  const names = texts.map((t) => t.toLowerCase());
  if (texts.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ id: orgUnits.id, name: orgUnits.name })
    .from(orgUnits)
    .where(
      and(
        eq(orgUnits.orgId, orgId),
        or(
          ids.length > 0 ? inArray(orgUnits.id, ids) : undefined,
          inArray(sql`lower(${orgUnits.name})`, names),
        ),
      ),
    );
  const out = new Map<string, string>();
  for (const r of rows) {
    out.set(r.id.toLowerCase(), r.id);
    out.set(r.name.toLowerCase(), r.id);
  }
  return out;
}

/**
 * Who a command-line import runs as: the person with this e-mail, else the organisation's first
 * administrator. `orgId` may be left out when the database holds one organisation.
 */
export async function findImportingPerson(
  db: Db,
  opts: { orgId?: string | undefined; email?: string | undefined },
) {
  const rows = await db
    .select({
      orgId: people.orgId,
      id: people.id,
      email: people.email,
      roles: people.roles,
      unitId: people.unitId,
    })
    .from(people)
    .where(
      and(
        opts.orgId ? eq(people.orgId, opts.orgId) : undefined,
        opts.email
          ? eq(sql`lower(${people.email})`, opts.email.toLowerCase())
          : sql`'admin' = any(${people.roles})`,
        eq(people.active, true),
      ),
    )
    .orderBy(asc(people.createdAt), asc(people.id))
    .limit(2);
  return rows;
}
