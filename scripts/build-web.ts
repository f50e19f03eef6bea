/**
 * Builds the web app into dist/web, but only when the build is missing or older than a source file,
 * so `npm start` can call `ensureWebBuild()` on every start at the cost of a directory walk.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
export const webSourceDir = join(repoRoot, "src/web");
export const webBuildDir = join(repoRoot, "dist/web");
const extraInputs = [
  join(repoRoot, "vite.config.ts"),
  join(repoRoot, "package-lock.json"),
  fileURLToPath(import.meta.url),
];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const t = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

/** True when dist/web is missing or older than anything it is built from. */
export function isWebBuildStale(): boolean {
  const index = join(webBuildDir, "index.html");
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const sources = Math.max(
    newestMtime(webSourceDir),
    ...extraInputs.filter(existsSync).map((p) => statSync(p).mtimeMs),
  );
  return sources > built;
}

/** Builds the web app when stale; returns the folder to serve. */
export async function ensureWebBuild(opts: { force?: boolean; quiet?: boolean } = {}): Promise<string> {
  if (!opts.force && !isWebBuildStale()) return webBuildDir;
  const started = Date.now();
  // Vite is a build tool: load it only when a build is needed, so a production start never imports it.
  const { build } = await import("vite");
  // What is served is always the production build. Vite takes React's development runtime when
  // NODE_ENV says otherwise (vitest sets it to "test"), so set it for the build and put it back.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({
      configFile: join(repoRoot, "vite.config.ts"),
      mode: "production",
      logLevel: opts.quiet ? "warn" : "info",
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  if (!opts.quiet)
    console.log(`web app built in ${((Date.now() - started) / 1000).toFixed(1)} s → ${webBuildDir}`);
  return webBuildDir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await ensureWebBuild({ force: process.argv.includes("--force") });
}
