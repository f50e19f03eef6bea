import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { expect, test } from "./harness.ts";

const KB = 1024;
const BUDGET_KB = 350;

/** Gzip size of the JS the browser loads before the first page renders (entry + modulepreloads). */
function initialJsGzipKb(dist = "dist/web"): { kb: number; files: string[] } {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? "");
  const bytes = files.reduce((sum, f) => sum + gzipSync(readFileSync(join(dist, f)), { level: 9 }).length, 0);
  return { kb: bytes / KB, files };
}

test("performance: initial JS within budget; dashboard render time measured", async ({
  page,
  login,
  people,
}) => {
  const bundle = initialJsGzipKb();
  expect(bundle.kb <= BUDGET_KB, `initial JS ${bundle.kb.toFixed(1)} KB gzip is within ${BUDGET_KB} KB`);
  await login(people.exec?.email ?? "");
  // Warm-up visit (the server's first queries compile), then the measured cold-cache visit.
  await page.goto("/dashboard");
  await page.getByRole("img", { name: /Goals by status/ }).waitFor();
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    await page.context().clearCookies();
    await login(people.exec?.email ?? "");
    const started = Date.now();
    await page.goto("/dashboard", { waitUntil: "commit" });
    await page.getByRole("img", { name: /Goals by status/ }).waitFor();
    await page.getByRole("table", { name: /goals$/ }).waitFor();
    await page.getByRole("img", { name: /Mean attainment by unit/ }).waitFor();
    runs.push(Date.now() - started);
  }
  const median = [...runs].sort((a, b) => a - b)[1] ?? 0;
  const figures = {
    initialJsGzipKb: Number(bundle.kb.toFixed(1)),
    initialJsFiles: bundle.files,
    dashboardRenderMs: runs,
    dashboardMedianMs: median,
  };
  writeFileSync("test-results/web-metrics.json", `${JSON.stringify(figures, null, 2)}\n`);
  console.log(
    `    initial JS ${figures.initialJsGzipKb} KB gzip; dashboard rendered in ${runs.join(", ")} ms (median ${median} ms)`,
  );
  // The render time is a measurement for the issue note (test-results/web-metrics.json), not a
  // timed assertion: on a loaded machine it says more about the machine than about the app.
  expect(runs.length === 3, "three measured dashboard visits");
});
