/** People use cases: permission check, transaction, audit; and reporting-line lookups for other modules. */
import { uuidv7 } from "uuidv7";
import { type Actor, ROLES, type Role } from "../../actor.ts";
import type { Clock } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";
import { AppError, invalid, notFound } from "../../errors.ts";
import { decodeCursor, toPage } from "../../http/pagination.ts";
import { appendAudit } from "../audit/audit.service.ts";
import { hashPassword } from "../auth/password.ts";
import { unitExists } from "../units/units.service.ts";
import { can, type PersonAction } from "./people.policy.ts";
import * as repo from "./people.repo.ts";
import type { CreatePersonInput, Person, PersonQuery, UpdatePersonInput } from "./people.schema.ts";

/** Every person who reports to `managerId`, directly or indirectly (a recursive CTE), ordered by id. */
export async function listReportIds(db: Db, orgId: string, managerId: string): Promise<string[]> {
  return repo.selectReportIds(db, orgId, managerId);
}

/** The person's manager, that manager's manager, and so on up to the top, nearest first. */
export async function listManagerChain(db: Db, orgId: string, personId: string): Promise<string[]> {
  return repo.selectManagerChain(db, orgId, personId);
}

export type PersonSummary = {
  id: string;
  name: string;
  active: boolean;
  unitId: string | null;
  managerId: string | null;
  roles: Role[];
};

/** One person of the organisation (for other modules validating an owner, a head, a steward), or undefined. */
/** Which of these ids are people of the organisation. */
export const existingPersonIds = (db: Db, orgId: string, ids: string[]) =>
  repo.findExistingPersonIds(db, orgId, ids);

export async function findPersonSummary(
  db: Db,
  orgId: string,
  personId: string,
): Promise<PersonSummary | undefined> {
  const row = await repo.findPerson(db, orgId, personId);
  if (!row) return undefined;
  const { id, name, active, unitId, managerId } = row;
  return { id, name, active, unitId, managerId, roles: onlyRoles(row.roles) };
}

const isRole = (r: string): r is Role => (ROLES as readonly string[]).includes(r);
const onlyRoles = (roles: string[]) => roles.filter(isRole);
const toPerson = (row: repo.PersonRow | Omit<repo.PersonRow, "orgId" | "passwordHash">): Person => ({
  id: row.id,
  email: row.email,
  name: row.name,
  title: row.title,
  unitId: row.unitId,
  managerId: row.managerId,
  roles: onlyRoles(row.roles),
  active: row.active,
  createdAt: row.createdAt,
});

function authorize(actor: Actor, action: PersonAction) {
  if (can(actor, action)) return;
  throw new AppError(
    "forbidden",
    action === "manage_admin"
      ? "only administrators grant or remove the admin role, or (de)activate an administrator"
      : "only administrators and the performance office change people",
  );
}

const emailTaken = () =>
  new AppError("conflict", { field: "email", message: "another person in this organisation has this email" });

/** PostgreSQL's unique_violation, whether the driver hands it over bare or wrapped by Drizzle. */
function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Object; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

async function assertUnit(db: Db, orgId: string, unitId: string | null) {
  if (unitId !== null && !(await unitExists(db, orgId, unitId))) {
    throw invalid("unitId", "no unit with this id; give an existing unit's id or null");
  }
}

/** The manager must be an active person of the organisation and must not report to `personId`. */
async function assertManager(db: Db, orgId: string, managerId: string | null, personId?: string) {
  if (managerId === null) return;
  const manager = await repo.findPerson(db, orgId, managerId);
  if (!manager) throw invalid("managerId", "no person with this id; give an existing person's id or null");
  if (!manager.active) throw invalid("managerId", "this person is inactive; choose an active manager");
  if (personId === undefined) return;
  if (managerId === personId || (await repo.selectReportIds(db, orgId, personId)).includes(managerId)) {
    throw new AppError("conflict", {
      field: "managerId",
      message: "this would make a reporting loop: the manager reports to this person (or is them)",
    });
  }
}

const grantsOrRemovesAdmin = (before: string[], after: string[]) =>
  before.includes("admin") !== after.includes("admin");

export function createPeopleService(deps: { db: Db; clock: Clock }) {
  const audit = (tx: Db, actor: Actor, action: string, entityId: string, data: Record<string, unknown>) =>
    appendAudit(tx, { orgId: actor.orgId, actorId: actor.personId, at: deps.clock.now() }, [
      { action, entityType: "person", entityId, data },
    ]);

  return {
    async listPeople(actor: Actor, q: PersonQuery) {
      authorize(actor, "read");
      const afterId = decodeCursor(q.cursor);
      const rows = await repo.listPeople(deps.db, actor.orgId, {
        limit: q.limit + 1,
        ...(afterId !== undefined ? { afterId } : {}),
        ...(q.unitId !== undefined ? { unitId: q.unitId } : {}),
        ...(q.managerId !== undefined ? { managerId: q.managerId } : {}),
        ...(q.active !== undefined ? { active: q.active } : {}),
        ...(q.q !== undefined ? { q: q.q } : {}),
        ...(q.role !== undefined ? { role: q.role } : {}),
      });
      const page = toPage(rows, q.limit, (r) => r.id);
      return { items: page.items.map(toPerson), nextCursor: page.nextCursor };
    },

    async getPerson(actor: Actor, id: string) {
      authorize(actor, "read");
      const row = await repo.findPerson(deps.db, actor.orgId, id);
      if (!row) throw notFound("person");
      return toPerson(row);
    },

    async createPerson(actor: Actor, input: CreatePersonInput) {
      authorize(actor, "create");
      if (input.roles.includes("admin")) authorize(actor, "manage_admin");
      // Hash before the transaction: argon2 takes a while and PGlite runs one transaction at a time.
      const passwordHash = input.password !== undefined ? await hashPassword(input.password) : null;
      const { password: _password, ...fields } = input;
      try {
        return await deps.db.transaction(async (tx) => {
          if (await repo.findPersonByEmail(tx, actor.orgId, input.email)) throw emailTaken();
          await assertUnit(tx, actor.orgId, input.unitId);
          await assertManager(tx, actor.orgId, input.managerId);
          const row = await repo.insertPerson(tx, {
            orgId: actor.orgId,
            id: uuidv7(),
            ...fields,
            passwordHash,
          });
          const person = toPerson(row);
          const { id, createdAt: _createdAt, ...data } = person;
          await audit(tx, actor, "person.created", id, { ...data, passwordSet: passwordHash !== null });
          return person;
        });
      } catch (err) {
        // Two creations with the same email at once: the unique index decides, the answer is the same.
        if (isUniqueViolation(err)) throw emailTaken();
        throw err;
      }
    },

    async updatePerson(actor: Actor, id: string, input: UpdatePersonInput) {
      authorize(actor, "update");
      return deps.db.transaction(async (tx) => {
        if (input.managerId !== undefined) await repo.lockReportingLines(tx, actor.orgId);
        const current = await repo.findPerson(tx, actor.orgId, id);
        if (!current) throw notFound("person");
        if (input.roles !== undefined && grantsOrRemovesAdmin(current.roles, input.roles)) {
          authorize(actor, "manage_admin");
        }
        if (input.active !== undefined && input.active !== current.active) {
          if (current.roles.includes("admin")) authorize(actor, "manage_admin");
          if (id === actor.personId && !input.active) {
            throw new AppError("conflict", { field: "active", message: "you cannot deactivate yourself" });
          }
        }
        if (input.unitId !== undefined && input.unitId !== current.unitId) {
          await assertUnit(tx, actor.orgId, input.unitId);
        }
        if (input.managerId !== undefined && input.managerId !== current.managerId) {
          await assertManager(tx, actor.orgId, input.managerId, id);
        }
        const { set, before, after } = diffPerson(current, input);
        if (Object.keys(set).length === 0) return toPerson(current);
        const row = await repo.updatePerson(tx, actor.orgId, id, set);
        if (!row) throw notFound("person");
        await audit(tx, actor, "person.updated", id, { before, after });
        return toPerson(row);
      });
    },
  };
}

/** The fields the input really changes, as the update to make and the audit's before/after. */
function diffPerson(current: Omit<repo.PersonRow, "orgId" | "passwordHash">, input: UpdatePersonInput) {
  const set: repo.PersonChanges = {};
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const note = <K extends keyof repo.PersonChanges>(key: K, next: repo.PersonChanges[K] | undefined) => {
    if (next === undefined) return;
    const same =
      Array.isArray(next) && Array.isArray(current[key])
        ? sameSet(next, current[key] as string[])
        : next === current[key];
    if (same) return;
    set[key] = next;
    before[key] = current[key];
    after[key] = next;
  };
  note("name", input.name);
  note("title", input.title);
  note("unitId", input.unitId);
  note("managerId", input.managerId);
  note("roles", input.roles);
  note("active", input.active);
  return { set, before, after };
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));
