/** `yardstick admin --email … --password …`: creates the administrator or sets its password. */
import { ensureAdmin, MIN_ADMIN_PASSWORD } from "../db/seed/bootstrap-admin.ts";
import { CliError, type DbFlags, openFor } from "./open.ts";

export const ADMIN_HELP = `yardstick admin --email EMAIL --password PASSWORD

Makes sure this administrator exists: created in the first organisation (or in a new one, "My
organisation", when there is none), or, when the email is known, its password set and the admin
role added. The same as YARDSTICK_ADMIN_EMAIL and YARDSTICK_ADMIN_PASSWORD at start.`;

export async function admin(flags: DbFlags & { email?: string | undefined; password?: string | undefined }) {
  if (!flags.email || !/^[^@\s]+@[^@\s]+$/.test(flags.email))
    throw new CliError("--email must be an email address");
  if (!flags.password || flags.password.length < MIN_ADMIN_PASSWORD) {
    throw new CliError(`--password must be at least ${MIN_ADMIN_PASSWORD} characters long`);
  }
  const database = await openFor(flags);
  try {
    const r = await ensureAdmin(database.db, { email: flags.email, password: flags.password });
    console.log(
      r.created
        ? `Created the administrator ${flags.email} in organisation ${r.orgId}.`
        : `Set the password of ${flags.email} (organisation ${r.orgId}).`,
    );
    return 0;
  } finally {
    await database.close();
  }
}
