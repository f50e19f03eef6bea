#!/usr/bin/env node
// `npm test`: the whole suite, in the order that fails fastest. Each step's output streams through;
// the last line totals the tests as "N passed, N failed" (so CI reads it).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

const steps = [];
let passed = 0;
let failed = 0;
let skipped = 0;

function run(name, cmd, args, env = {}) {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const res = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  const ok = res.status === 0;
  steps.push({ name, ok, seconds: ((Date.now() - started) / 1000).toFixed(1) });
  return ok;
}

function vitest(name, args, env = {}) {
  mkdirSync("test-results", { recursive: true });
  const out = `test-results/vitest-${name.replace(/\W+/g, "-")}.json`;
  rmSync(out, { force: true });
  const ok = run(
    name,
    "npx",
    ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile=${out}`, ...args],
    env,
  );
  if (existsSync(out)) {
    const r = JSON.parse(readFileSync(out, "utf8"));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + r.numTodoTests;
  } else if (!ok) {
    failed += 1;
  }
  return ok;
}

const only = process.argv[2];
const want = (step) => !only || only === step;

if (want("types")) run("types: tsc --noEmit", "npx", ["tsc", "--noEmit", "-p", "."]);
if (want("lint")) run("lint: biome check", "npx", ["biome", "check", "."]);
if (want("api-client") && existsSync("scripts/gen-api-client.ts")) {
  run("web: API client is up to date with the OpenAPI document", "npx", [
    "tsx",
    "scripts/gen-api-client.ts",
    "--check",
  ]);
}
if (want("unit")) vitest("unit + integration on PGlite", []);
if (want("postgres")) {
  if (process.env.DATABASE_URL) {
    vitest("integration on PostgreSQL", ["src/server"], { TEST_BACKEND: "postgres" });
  } else {
    console.log("\n▶ integration on PostgreSQL: skipped — DATABASE_URL is not set (CI sets it)");
  }
}
if (want("e2e") && existsSync("tests/e2e/run.ts")) {
  const out = "test-results/e2e.json";
  rmSync(out, { force: true });
  const ok = run("browser: Playwright in Chromium", "npx", ["tsx", "tests/e2e/run.ts"]);
  if (existsSync(out)) {
    const r = JSON.parse(readFileSync(out, "utf8"));
    passed += r.passed;
    failed += r.failed;
    skipped += r.skipped;
    if (r.skipped > 0) console.log(`\n${r.skipped} browser tests were skipped: Chromium is not installed.`);
  } else if (!ok) {
    failed += 1;
  }
}

console.log("\nSummary");
for (const s of steps) console.log(`  ${s.ok ? "ok  " : "FAIL"} ${s.name} (${s.seconds} s)`);
const failedSteps = steps.filter((s) => !s.ok).length;
// A failed step that ran no counted tests (types, lint, a stale client) still counts as a failure.
if (failedSteps > 0 && failed === 0) failed = failedSteps;
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failedSteps > 0 ? 1 : 0);
