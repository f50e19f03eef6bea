/** `yardstick audit verify`: re-walks each organisation's audit hash chain; exit 1 at the first break. */
import { asc, eq } from "drizzle-orm";
import { organizations } from "../db/schema.ts";
import { verifyChain } from "../modules/audit/audit.service.ts";
import { CliError, type DbFlags, openFor } from "./open.ts";

export const AUDIT_VERIFY_HELP = `yardstick audit verify [--org ID]

Re-walks the hash chain of every organisation's audit log (or of one) and reports the first event
whose hash does not hold, or whose bulk measurement rows no longer match the digest it recorded. Exit code 0 when every chain is intact, 1 otherwise.`;

export async function auditVerify(flags: DbFlags & { org?: string | undefined }): Promise<number> {
  const database = await openFor(flags);
  try {
    const orgs = await database.db
      .select({ id: organizations.id, name: organizations.name })
      .from(organizations)
      .where(flags.org ? eq(organizations.id, flags.org) : undefined)
      .orderBy(asc(organizations.createdAt), asc(organizations.id));
    if (flags.org && orgs.length === 0) throw new CliError(`no organisation with id ${flags.org}`);
    let broken = 0;
    for (const org of orgs) {
      const r = await verifyChain(database.db, org.id);
      if (r.ok) {
        console.log(`ok      ${org.name} (${org.id}): ${r.checked} events, head ${r.head.slice(0, 16)}…`);
      } else {
        broken += 1;
        console.log(
          `BROKEN  ${org.name} (${org.id}): first break at event ${r.firstBreak.seq}: ${r.firstBreak.reason} ` +
            `(${r.checked} events before it hold)`,
        );
      }
    }
    if (orgs.length === 0) console.log("no organisations yet: nothing to verify");
    return broken > 0 ? 1 : 0;
  } finally {
    await database.close();
  }
}
