/**
 * The server's settings, read once from the environment (DESIGN.md "Running it"). A bad value stops
 * the start with one line that names the variable and says what would be valid.
 */
import { resolve } from "node:path";
import { z } from "zod";
import { parseSecretKey } from "./modules/connectors/connectors.secrets.ts";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type Config = {
  port: number;
  host: string;
  /** Absolute path of the embedded database's folder (unused when databaseUrl is set). */
  dataDir: string;
  databaseUrl: string | undefined;
  seed: "demo" | "none";
  admin: { email: string; password: string } | undefined;
  logLevel: LogLevel;
};

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

const blankAsUnset = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const Env = z.object({
  PORT: z.preprocess(
    blankAsUnset,
    z.coerce
      .number({ error: "must be a whole number between 0 and 65535" })
      .int("must be a whole number between 0 and 65535")
      .min(0, "must be a whole number between 0 and 65535")
      .max(65535, "must be a whole number between 0 and 65535")
      .default(3000),
  ),
  HOST: z.preprocess(blankAsUnset, z.string().default("127.0.0.1")),
  YARDSTICK_DATA_DIR: z.preprocess(blankAsUnset, z.string().default("./data")),
  DATABASE_URL: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a PostgreSQL URL such as postgres://user@host:5432/db")
      .optional(),
  ),
  YARDSTICK_SEED: z.preprocess(
    blankAsUnset,
    z.enum(["demo", "none"], { error: 'must be "demo" or "none"' }).optional(),
  ),
  YARDSTICK_ADMIN_EMAIL: z.preprocess(
    blankAsUnset,
    z.email({ error: "must be an email address such as admin@example.com" }).optional(),
  ),
  YARDSTICK_ADMIN_PASSWORD: z.preprocess(
    blankAsUnset,
    z.string().min(12, "must be at least 12 characters long").optional(),
  ),
  // read where they are used (connectors); checked here so a bad value stops the start
  YARDSTICK_SECRET_KEY: z.preprocess(
    blankAsUnset,
    z
      .string()
      .refine((v) => typeof parseSecretKey(v) !== "string", {
        error: "must be 32 bytes written as 64 hex digits or in base64 (openssl rand -base64 32)",
      })
      .optional(),
  ),
  YARDSTICK_CONNECTORS_ALLOW_PRIVATE: z.preprocess(
    blankAsUnset,
    z.enum(["true", "false"], { error: 'must be "true" or "false"' }).optional(),
  ),
  LOG_LEVEL: z.preprocess(
    blankAsUnset,
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  ),
});

/** Reads and validates the settings; throws a `ConfigError` naming the first bad variable. */
export function readConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? "environment");
    throw new ConfigError(variable, issue?.message ?? "is invalid");
  }
  const e = parsed.data;
  if (Boolean(e.YARDSTICK_ADMIN_EMAIL) !== Boolean(e.YARDSTICK_ADMIN_PASSWORD)) {
    const missing = e.YARDSTICK_ADMIN_EMAIL ? "YARDSTICK_ADMIN_PASSWORD" : "YARDSTICK_ADMIN_EMAIL";
    throw new ConfigError(
      missing,
      "set YARDSTICK_ADMIN_EMAIL and YARDSTICK_ADMIN_PASSWORD together, or neither",
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(cwd, e.YARDSTICK_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    // A first look on a laptop gets the demo; a real server starts empty unless asked.
    seed: e.YARDSTICK_SEED ?? (e.DATABASE_URL ? "none" : "demo"),
    admin:
      e.YARDSTICK_ADMIN_EMAIL && e.YARDSTICK_ADMIN_PASSWORD
        ? { email: e.YARDSTICK_ADMIN_EMAIL, password: e.YARDSTICK_ADMIN_PASSWORD }
        : undefined,
    logLevel: e.LOG_LEVEL,
  };
}
