/**
 * The `yardstick` command line (bin/yardstick.mjs): audit verification, demo data generation and
 * administrator bootstrap, on the same database the server uses.
 */
import { parseArgs } from "node:util";
import { ADMIN_HELP, admin } from "./admin.ts";
import { AUDIT_VERIFY_HELP, auditVerify } from "./audit-verify.ts";
import { IMPORT_HELP, importMeasurements } from "./import-measurements.ts";
import { CliError, DB_HELP, DB_OPTIONS } from "./open.ts";
import { SEED_HELP, seed } from "./seed.ts";

const HELP = `yardstick — SMART goals that are measured, tracked and accountable

Usage:
  yardstick audit verify [--org ID]                 check the audit logs' hash chains
  yardstick seed [--people N]                       generate the demo organisation into an empty database
  yardstick admin --email EMAIL --password PASS     create an administrator or set its password
  yardstick import measurements FILE [--dry-run]    import a CSV or XLSX file of measurements
  yardstick <command> --help                        more about a command

Every command takes:
${DB_HELP}

The server itself starts with \`npm start\`.`;

type Command = {
  help: string;
  options: Record<string, { type: "string" | "boolean" }>;
  run: (values: Record<string, string | boolean | undefined>, positionals: string[]) => Promise<number>;
  /** takes arguments besides options (a file) */
  positionals?: boolean;
};

const COMMANDS: Record<string, Command> = {
  "audit verify": {
    help: AUDIT_VERIFY_HELP,
    options: { org: { type: "string" } },
    run: (v) => auditVerify(v as Parameters<typeof auditVerify>[0]),
  },
  seed: {
    help: SEED_HELP,
    options: {
      people: { type: "string" },
      today: { type: "string" },
      seed: { type: "string" },
      "goals-per-person": { type: "string" },
      "no-recompute": { type: "boolean" },
    },
    run: (v) => seed(v as Parameters<typeof seed>[0]),
  },
  admin: {
    help: ADMIN_HELP,
    options: { email: { type: "string" }, password: { type: "string" } },
    run: (v) => admin(v as Parameters<typeof admin>[0]),
  },
  "import measurements": {
    help: IMPORT_HELP,
    options: {
      source: { type: "string" },
      metric: { type: "string" },
      "dry-run": { type: "boolean" },
      "skip-invalid": { type: "boolean" },
      as: { type: "string" },
      org: { type: "string" },
    },
    positionals: true,
    run: (v, files) => importMeasurements(v as Parameters<typeof importMeasurements>[0], files),
  },
};

export async function runCli(argv: string[]): Promise<number> {
  const name =
    argv[0] === "audit" || argv[0] === "import" ? `${argv[0]} ${argv[1] ?? ""}`.trim() : (argv[0] ?? "");
  const command = COMMANDS[name];
  const rest = argv.slice(name.split(" ").length);
  if (!command) {
    if (name === "" || name === "--help" || name === "-h" || name === "help") {
      console.log(HELP);
      return 0;
    }
    console.error(`yardstick: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: { ...command.options, ...DB_OPTIONS, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: command.positionals ?? false,
    }));
  } catch (err) {
    console.error(`yardstick ${name}: ${(err as Error).message}\n\n${command.help}\n${DB_HELP}`);
    return 2;
  }
  if (values.help) {
    console.log(`${command.help}\n\nOptions for the database:\n${DB_HELP}`);
    return 0;
  }
  try {
    return await command.run(values, positionals);
  } catch (err) {
    if (err instanceof CliError || err instanceof RangeError) {
      console.error(`yardstick ${name}: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

process.exitCode = await runCli(process.argv.slice(2));
