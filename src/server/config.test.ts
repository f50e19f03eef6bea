import { describe, expect, it } from "vitest";
import { ConfigError, readConfig } from "./config.ts";

const read = (env: Record<string, string>) => readConfig(env, "/srv/app");
const failure = (env: Record<string, string>) => {
  try {
    read(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError");
};

describe("readConfig", () => {
  it("fills every default for a first look on a laptop", () => {
    expect(read({})).toEqual({
      port: 3000,
      host: "127.0.0.1",
      dataDir: "/srv/app/data",
      databaseUrl: undefined,
      seed: "demo",
      admin: undefined,
      logLevel: "info",
    });
  });

  it("seeds nothing on a PostgreSQL server unless asked", () => {
    const url = "postgres://u@db:5432/ys";
    expect(read({ DATABASE_URL: url }).seed).toBe("none");
    expect(read({ DATABASE_URL: url, YARDSTICK_SEED: "demo" }).seed).toBe("demo");
    expect(read({ YARDSTICK_SEED: "none" }).seed).toBe("none");
  });

  it("reads every setting", () => {
    const c = read({
      PORT: "8080",
      HOST: "0.0.0.0",
      YARDSTICK_DATA_DIR: "/var/lib/ys",
      YARDSTICK_ADMIN_EMAIL: "root@example.com",
      YARDSTICK_ADMIN_PASSWORD: "correct horse battery",
      LOG_LEVEL: "warn",
    });
    expect(c).toMatchObject({
      port: 8080,
      host: "0.0.0.0",
      dataDir: "/var/lib/ys",
      admin: { email: "root@example.com", password: "correct horse battery" },
      logLevel: "warn",
    });
  });

  it.each([
    [{ PORT: "abc" }, "PORT", "PORT: must be a whole number between 0 and 65535"],
    [{ PORT: "70000" }, "PORT", "PORT: must be a whole number between 0 and 65535"],
    [{ PORT: "80.5" }, "PORT", "PORT: must be a whole number between 0 and 65535"],
    [{ YARDSTICK_SEED: "yes" }, "YARDSTICK_SEED", 'YARDSTICK_SEED: must be "demo" or "none"'],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL", "DATABASE_URL: must be a PostgreSQL URL"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL", "LOG_LEVEL: must be one of fatal, error"],
    [{ YARDSTICK_SECRET_KEY: "0a0b" }, "YARDSTICK_SECRET_KEY", "YARDSTICK_SECRET_KEY: must be 32 bytes"],
    [
      { YARDSTICK_CONNECTORS_ALLOW_PRIVATE: "yes" },
      "YARDSTICK_CONNECTORS_ALLOW_PRIVATE",
      'YARDSTICK_CONNECTORS_ALLOW_PRIVATE: must be "true" or "false"',
    ],
    [
      { YARDSTICK_ADMIN_EMAIL: "not-an-email", YARDSTICK_ADMIN_PASSWORD: "long enough pw" },
      "YARDSTICK_ADMIN_EMAIL",
      "YARDSTICK_ADMIN_EMAIL: must be an email",
    ],
    [
      { YARDSTICK_ADMIN_EMAIL: "a@b.example", YARDSTICK_ADMIN_PASSWORD: "short" },
      "YARDSTICK_ADMIN_PASSWORD",
      "YARDSTICK_ADMIN_PASSWORD: must be at least 12",
    ],
    [
      { YARDSTICK_ADMIN_EMAIL: "a@b.example" },
      "YARDSTICK_ADMIN_PASSWORD",
      "YARDSTICK_ADMIN_PASSWORD: set YARDSTICK_ADMIN_EMAIL and",
    ],
    [{ YARDSTICK_ADMIN_PASSWORD: "long enough pw" }, "YARDSTICK_ADMIN_EMAIL", "YARDSTICK_ADMIN_EMAIL: set"],
  ])("rejects %j with one line naming %s", (env, variable, message) => {
    const err = failure(env);
    expect(err.variable).toBe(variable);
    expect(err.message.startsWith(message)).toBe(true);
    expect(err.message).not.toContain("\n");
  });

  it("treats blank values as unset", () => {
    expect(read({ PORT: "", DATABASE_URL: " " })).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      seed: "demo",
    });
  });
});
