import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { exitWithin, freePort, type Run, start, waitFor } from "./cli/spawn-helpers.ts";

const dataDir = mkdtempSync(join(tmpdir(), "yardstick-main-"));
const running: Run[] = [];

afterAll(async () => {
  for (const r of running) {
    if (r.child.exitCode === null) {
      r.child.kill("SIGKILL");
      await exitWithin(r, 10_000).catch(() => {});
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start (src/server/main.ts)", () => {
  it("serves, refuses a second process on the same data folder, and stops cleanly", async () => {
    // The embedded database even when the suite runs with DATABASE_URL set (a blank value is unset).
    const env = {
      YARDSTICK_DATA_DIR: dataDir,
      YARDSTICK_SEED: "none",
      LOG_LEVEL: "silent",
      DATABASE_URL: "",
    };
    const port = await freePort();
    // The first start builds the web app when dist/web is missing or stale (the e2e run reuses it).
    const first = start(["--import", "tsx", "src/server/main.ts"], { ...env, PORT: String(port) });
    running.push(first);
    await waitFor(() => first.output().includes("Yardstick is running at"), 180_000, "the first server");
    expect(first.output()).toContain(`http://127.0.0.1:${port}`);
    expect(first.output()).toContain("/api/docs");
    const health = await fetch(`http://127.0.0.1:${port}/api/v1/openapi.json`);
    expect(health.status).toBe(200);
    const home = await fetch(`http://127.0.0.1:${port}/`);
    expect(home.headers.get("content-type")).toContain("text/html");
    expect(await home.text()).toContain('<div id="root">');

    const second = start(["--import", "tsx", "src/server/main.ts", "--no-web-build"], {
      ...env,
      PORT: String(await freePort()),
    });
    running.push(second);
    expect(await exitWithin(second, 60_000)).toBe(1);
    expect(second.output()).toContain(
      `yardstick: The data folder ${dataDir} is in use by another Yardstick process`,
    );
    expect(second.output()).not.toMatch(/\n\s+at /); // no stack trace

    first.child.kill("SIGTERM");
    expect(await exitWithin(first, 30_000)).toBe(0);
    expect(first.output()).toContain("SIGTERM received, shutting down");

    // the lock went with it
    expect(existsSync(join(dataDir, ".yardstick.lock"))).toBe(false);

    // a bad setting stops the start with one line naming it
    const third = start(["--import", "tsx", "src/server/main.ts", "--no-web-build"], { ...env, PORT: "abc" });
    running.push(third);
    expect(await exitWithin(third, 60_000)).toBe(1);
    expect(third.output()).toContain("yardstick: PORT: must be a whole number between 0 and 65535");
  }, 360_000);
});
