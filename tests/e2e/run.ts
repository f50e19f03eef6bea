/**
 * Browser tests: starts the server in-process on a fresh PGlite (demo seed when present), serves the
 * built web app, and runs every tests/e2e/*.spec.ts in headless Debian Chromium.
 * Without /usr/bin/chromium it skips (exit 0), except under CI=true (exit 1).
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { ensureWebBuild } from "../../scripts/build-web.ts";
import { buildApp } from "../../src/server/app.ts";
import { systemClock } from "../../src/server/clock.ts";
import { people } from "../../src/server/db/schema.ts";
import { createSession, SESSION_COOKIE } from "../../src/server/modules/auth/auth.service.ts";
import { createTestDatabase } from "../../src/server/testing/test-db.ts";
import { a11yResults, makeFixtures, type Server, tests } from "./harness.ts";
import { seedForBrowserTests } from "./seed.ts";

const CHROMIUM = "/usr/bin/chromium";

// Load the specs first (they only register tests), so a skip can say how many it skipped.
const dir = fileURLToPath(new URL(".", import.meta.url));
const only = process.argv[2];
for (const f of readdirSync(dir)
  .filter((f) => f.endsWith(".spec.ts"))
  .sort()) {
  if (!only || f.includes(only)) await import(`./${f}`);
}

/** The counts `npm test` adds to its summary (scripts/test.mjs reads this file). */
function report(counts: { passed: number; failed: number; skipped: number }) {
  mkdirSync("test-results", { recursive: true });
  writeFileSync("test-results/e2e.json", `${JSON.stringify(counts)}\n`);
}

if (!existsSync(CHROMIUM)) {
  const ci = process.env.CI === "true";
  console.log(
    `browser tests ${ci ? "FAILED" : "skipped"}: Chromium not found at ${CHROMIUM} (apt-get install chromium)` +
      (ci ? "; under CI=true a missing browser is a failure" : ""),
  );
  report({ passed: 0, failed: ci ? tests.length : 0, skipped: ci ? 0 : tests.length });
  process.exit(ci ? 1 : 0);
}

rmSync("test-results/screenshots", { recursive: true, force: true });
const webRoot = await ensureWebBuild({ quiet: true });
const database = await createTestDatabase();
const seeded = await seedForBrowserTests(database);
const app = await buildApp({ db: database.db, clock: systemClock, webRoot });
await app.listen({ port: 0, host: "127.0.0.1" });
const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
console.log(`server on ${baseUrl} (${seeded.kind} seed)`);

const server: Server = {
  baseUrl,
  people: seeded.people,
  createSessionCookie: async (email) => {
    const rows = await database.db.select().from(people);
    const person = rows.find((r) => r.email === email);
    if (!person) throw new Error(`no person with email ${email}`);
    const s = await createSession(database.db, systemClock, person.orgId, person.id);
    return { name: SESSION_COOKIE, value: s.cookie };
  },
};

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
let passed = 0;
let failed = 0;
for (const t of tests) {
  const started = Date.now();
  const f = await makeFixtures(browser, server, t.viewport);
  try {
    await t.fn(f);
    passed++;
    console.log(`  ✓ ${t.name} (${Date.now() - started} ms)`);
  } catch (err) {
    failed++;
    console.log(`  ✗ ${t.name}\n    ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    await f.page
      .screenshot({ path: `test-results/screenshots/FAILED-${t.name.replace(/\W+/g, "-")}.png` })
      .catch(() => {});
  } finally {
    await f.context.close();
  }
}
await browser.close();
await app.close();
await database.close();
const checked = a11yResults.length;
console.log(
  `\naxe-core: ${checked} page check(s), ${a11yResults.reduce((s, r) => s + r.violations, 0)} violation(s)`,
);
console.log(`${passed} passed, ${failed} failed`);
report({ passed, failed, skipped: 0 });
process.exit(failed > 0 ? 1 : 0);
