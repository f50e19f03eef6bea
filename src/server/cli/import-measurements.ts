/** `yardstick import measurements FILE`: a CSV or XLSX file of measurements, with a dry run. */
import { createReadStream, statSync } from "node:fs";
import { basename, resolve } from "node:path";
import type { Actor, Role } from "../actor.ts";
import { systemClock } from "../clock.ts";
import { AppError } from "../errors.ts";
import { runImport } from "../modules/imports/imports.commit.ts";
import { findImportingPerson } from "../modules/imports/imports.repo.ts";
import { IMPORT_FIELDS } from "../modules/imports/imports.rows.ts";
import { createImportsService } from "../modules/imports/imports.service.ts";
import { CliError, type DbFlags, openFor } from "./open.ts";

export const IMPORT_HELP = `yardstick import measurements FILE [--source NAME] [--metric KEY] [--dry-run] [--skip-invalid] [--as EMAIL] [--org ID]

Imports a CSV (UTF-8) or XLSX file of measurements: one row per value, with columns for the metric
(key or id), the scope (a unit's id or name, a person's id or e-mail; empty for the organisation),
the period start (YYYY-MM-DD), optionally the period end, the value, a source and a note. Columns
are matched by their headers, or by the mapping last used for the same --source. The file is
checked first (a dry run) and every row's problem is printed with its row and column.
  --source NAME     where the data comes from (default "file"); its mapping is remembered
  --metric KEY      the metric of every row, when the file has no metric column
  --dry-run         check the file and show what would be written; write nothing
  --skip-invalid    write the good rows even when some rows have problems (default: write nothing)
  --as EMAIL        the person the import is recorded by (default: the first administrator)
  --org ID          the organisation, when the database holds more than one

The embedded database (./data) is locked by a running server: stop the server first, or upload the
file through it (POST /api/v1/imports, or the Import page) — or point DATABASE_URL at a PostgreSQL
server, which the CLI and servers share.`;

export type ImportFlags = DbFlags & {
  source?: string | undefined;
  metric?: string | undefined;
  "dry-run"?: boolean | undefined;
  "skip-invalid"?: boolean | undefined;
  as?: string | undefined;
  org?: string | undefined;
};

const n = (x: number) => x.toLocaleString("en-US");

export async function importMeasurements(flags: ImportFlags, positionals: string[]): Promise<number> {
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new CliError("give one file: yardstick import measurements FILE");
  const path = resolve(file);
  try {
    if (!statSync(path).isFile()) throw new Error();
  } catch {
    throw new CliError(`no file at ${path}`);
  }
  let database: Awaited<ReturnType<typeof openFor>>;
  try {
    database = await openFor(flags);
  } catch (err) {
    if (err instanceof CliError)
      throw new CliError(
        `${err.message}\nA server is using the data folder: stop it and run the import again, or upload the file through the server (the Import page, or POST /api/v1/imports).`,
      );
    throw err;
  }
  const deps = { db: database.db, clock: systemClock };
  try {
    const found = await findImportingPerson(database.db, { orgId: flags.org, email: flags.as });
    const person = found[0];
    if (!person)
      throw new CliError(
        flags.as
          ? `no active person with the e-mail ${flags.as}`
          : "no administrator found: create one with yardstick admin",
      );
    if (!flags.org && !flags.as && found.length > 1 && found[1]?.orgId !== person.orgId)
      throw new CliError("the database holds several organisations: give --org ID");
    const actor: Actor = {
      orgId: person.orgId,
      personId: person.id,
      roles: person.roles as Role[],
      unitId: person.unitId,
    };
    const imports = createImportsService(deps);
    const started = performance.now();
    const preview = await imports.upload(actor, createReadStream(path), {
      fileName: basename(path),
      sourceName: flags.source ?? "file",
      ...(flags.metric ? { metricKey: flags.metric } : {}),
    });
    const m = preview.mapping as Record<string, string | null | undefined>;
    const mapped = [...IMPORT_FIELDS, "metricKey"]
      .flatMap((k) => (m[k] ? [[k, m[k]] as const] : []))
      .map(([k, v]) => `${k} ← ${v}`)
      .join(", ");
    console.log(
      `${preview.fileName}: ${preview.format.toUpperCase()}, ${n(preview.totalRows)} rows (import ${preview.id})`,
    );
    console.log(`  columns: ${preview.columns.join(", ")}`);
    console.log(`  mapping: ${mapped || "(none)"}`);
    console.log(`  ${n(preview.validRows)} rows ready, ${n(preview.problemRows)} with problems`);
    const problems = await imports.listProblems(actor, preview.id, { limit: 20 });
    for (const p of problems.items) console.log(`  row ${p.rowNumber}, column ${p.column}: ${p.message}`);
    if (problems.nextCursor) console.log("  … (more problems: GET /api/v1/imports/{id}/problems.csv)");
    if (preview.error) {
      console.error(`yardstick import: ${preview.error}`);
      return 1;
    }
    if (flags["dry-run"]) {
      console.log("Dry run: nothing was written.");
      return preview.problemRows > 0 ? 1 : 0;
    }
    let row: Awaited<ReturnType<typeof imports.startCommit>>;
    try {
      row = await imports.startCommit(actor, preview.id, { skipInvalid: flags["skip-invalid"] ?? false });
    } catch (err) {
      if (err instanceof AppError)
        throw new CliError(`${err.errors[0]?.message ?? err.message}; nothing was written`);
      throw err;
    }
    const tty = process.stdout.isTTY;
    const status = await runImport(deps, row, {
      onChunk: (p) => {
        const line = `  ${n(p.rowsDone)} / ${n(p.totalRows)} rows (${Math.floor((100 * p.rowsDone) / Math.max(1, p.totalRows))} %)`;
        if (tty) process.stdout.write(`\r${line}`);
        else console.log(line);
      },
    });
    if (tty) process.stdout.write("\n");
    const done = await imports.getImport(actor, preview.id);
    const seconds = (performance.now() - started) / 1000;
    if (status !== "done") {
      console.error(`yardstick import: ${done.error ?? "the import did not finish"}`);
      return 1;
    }
    const o = done.outcome;
    console.log(
      `Imported in ${seconds.toFixed(1)} s: ${n(o.accepted)} accepted, ${n(o.flagged)} flagged, ${n(o.quarantined)} quarantined, ${n(o.rejected)} rejected.`,
    );
    return 0;
  } finally {
    await database.close();
  }
}
