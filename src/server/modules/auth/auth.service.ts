import { createHash, randomBytes } from "node:crypto";
import { type Actor, ROLES, type Role } from "../../actor.ts";
import type { Clock } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";
import { DEMO_PASSWORD, findDemoLogins } from "../../db/seed/demo-logins.ts";
import { AppError } from "../../errors.ts";
import * as repo from "./auth.repo.ts";
import { verifyPassword } from "./password.ts";

export const SESSION_COOKIE = "ys_session";
export const SESSION_HOURS = 12;

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const isRole = (r: string): r is Role => (ROLES as readonly string[]).includes(r);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The cookie is `<orgId>.<random token>`; only the token's hash is stored. */
export async function resolveActor(db: Db, clock: Clock, cookie: string | undefined): Promise<Actor | null> {
  if (!cookie) return null;
  const [orgId, token] = cookie.split(".");
  if (!orgId || !token || !UUID.test(orgId)) return null;
  const row = await repo.findSessionActor(db, orgId, sha256(token), clock.now().toISOString());
  if (!row) return null;
  return { orgId, personId: row.personId, roles: row.roles.filter(isRole), unitId: row.unitId };
}

/** Creates a session for a person directly (used by login and by test fixtures). */
export async function createSession(db: Db, clock: Clock, orgId: string, personId: string) {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(clock.now().getTime() + SESSION_HOURS * 3600_000);
  await repo.insertSession(db, {
    orgId,
    personId,
    tokenHash: sha256(token),
    expiresAt: expiresAt.toISOString(),
  });
  return { cookie: `${orgId}.${token}`, expiresAt, orgId, personId };
}

export function createAuthService(deps: { db: Db; clock: Clock }) {
  return {
    async login(email: string, password: string) {
      const candidates = await repo.findLoginCandidates(deps.db, email);
      for (const c of candidates) {
        if (c.active && c.passwordHash && (await verifyPassword(c.passwordHash, password))) {
          return createSession(deps.db, deps.clock, c.orgId, c.id);
        }
      }
      // One message for unknown email and wrong password: do not reveal which accounts exist.
      throw new AppError("unauthenticated", "email or password is not right");
    },
    /**
     * The demo organisation's logins for the sign-in page. Offered only while the demo accounts exist
     * and the first still has the published demo password: once someone changes it, the install is
     * no longer a demo and the page must not advertise accounts.
     */
    async demoLogins() {
      const logins = await findDemoLogins(deps.db);
      const first = logins[0] ? (await repo.findLoginCandidates(deps.db, logins[0].email))[0] : undefined;
      const stillDemo = first?.passwordHash ? await verifyPassword(first.passwordHash, DEMO_PASSWORD) : false;
      if (!stillDemo) throw new AppError("not_found", "this installation has no demo logins");
      return { password: DEMO_PASSWORD, logins };
    },
    async logout(cookie: string | undefined) {
      const [orgId, token] = (cookie ?? "").split(".");
      if (orgId && token && UUID.test(orgId)) await repo.deleteSession(deps.db, orgId, sha256(token));
    },
    async me(actor: Actor) {
      const me = await repo.findMe(deps.db, actor.orgId, actor.personId);
      if (!me) throw new AppError("unauthenticated", "your account is no longer active");
      return { ...me, roles: me.roles.filter(isRole) };
    },
  };
}
