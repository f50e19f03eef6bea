/**
 * How a real install gets its first login: YARDSTICK_ADMIN_EMAIL and YARDSTICK_ADMIN_PASSWORD make
 * sure this administrator exists at start — created (in the first organisation, or in a new one
 * when there is none), or, when the email is known, its password set, the account reactivated and
 * the admin role added. Audited as `person.bootstrap_admin` in the same transaction.
 */
import { asc, sql } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import { appendAudit } from "../../modules/audit/audit.service.ts";
import { hashPassword } from "../../modules/auth/password.ts";
import type { Db } from "../connection.ts";
import { organizations, people } from "../schema.ts";

export const NEW_ORG_NAME = "My organisation";
export const MIN_ADMIN_PASSWORD = 12;

export type BootstrapResult = { orgId: string; personId: string; created: boolean; orgCreated: boolean };

export async function ensureAdmin(
  db: Db,
  admin: { email: string; password: string },
  now: Date = new Date(),
): Promise<BootstrapResult> {
  if (admin.password.length < MIN_ADMIN_PASSWORD) {
    throw new RangeError(
      `the administrator's password must be at least ${MIN_ADMIN_PASSWORD} characters long`,
    );
  }
  const email = admin.email.trim();
  // Hash before the transaction: argon2 is slow on purpose, and PGlite runs one transaction at a time.
  const passwordHash = await hashPassword(admin.password);
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ orgId: people.orgId, id: people.id, roles: people.roles })
      .from(people)
      .where(sql`lower(${people.email}) = lower(${email})`)
      .orderBy(asc(people.createdAt), asc(people.id))
      .limit(1);
    const at = now.toISOString();
    if (existing) {
      const roles = existing.roles.includes("admin") ? existing.roles : [...existing.roles, "admin"];
      await tx
        .update(people)
        .set({ passwordHash, active: true, roles })
        .where(sql`${people.orgId} = ${existing.orgId} and ${people.id} = ${existing.id}`);
      await appendAudit(tx, { orgId: existing.orgId, actorId: null, at: now }, [
        {
          action: "person.bootstrap_admin",
          entityType: "person",
          entityId: existing.id,
          data: { email, created: false, passwordReset: true, roles },
        },
      ]);
      return { orgId: existing.orgId, personId: existing.id, created: false, orgCreated: false };
    }
    let [org] = await tx
      .select({ id: organizations.id })
      .from(organizations)
      .orderBy(asc(organizations.createdAt), asc(organizations.id))
      .limit(1);
    const orgCreated = !org;
    if (!org) {
      org = { id: uuidv7() };
      await tx.insert(organizations).values({ id: org.id, name: NEW_ORG_NAME, createdAt: at });
    }
    const personId = uuidv7();
    const name = email.split("@")[0] ?? email;
    await tx.insert(people).values({
      orgId: org.id,
      id: personId,
      email,
      name,
      title: "Administrator",
      roles: ["admin"],
      passwordHash,
      createdAt: at,
    });
    await appendAudit(tx, { orgId: org.id, actorId: null, at: now }, [
      ...(orgCreated
        ? [
            {
              action: "org.created",
              entityType: "organization",
              entityId: org.id,
              data: { name: NEW_ORG_NAME },
            },
          ]
        : []),
      {
        action: "person.bootstrap_admin",
        entityType: "person",
        entityId: personId,
        data: { email, created: true, roles: ["admin"] },
      },
    ]);
    return { orgId: org.id, personId, created: true, orgCreated };
  });
}

/** True when the database holds no organisation yet (a first start). */
export async function isEmpty(db: Db): Promise<boolean> {
  const rows = await db.select({ id: organizations.id }).from(organizations).limit(1);
  return rows.length === 0;
}
