/**
 * A small Playwright harness: specs register tests with `test(name, fn)`; each test gets a fresh
 * browser context, a `login(email)` fixture that inserts a session directly (no UI), screenshots and
 * an axe-core check helper. The runner (run.ts) provides the server and the browser.
 */
import { mkdirSync } from "node:fs";
import { AxeBuilder } from "@axe-core/playwright";
import type { Browser, BrowserContext, Page } from "playwright-core";

export type Fixtures = {
  page: Page;
  context: BrowserContext;
  baseUrl: string;
  /** Signs in as the person with this email by creating a session cookie directly. */
  login: (email: string) => Promise<void>;
  /** Runs axe-core (WCAG 2.0/2.1/2.2 A and AA) on the page; fails on any violation. */
  checkA11y: (name: string) => Promise<void>;
  /** Saves a full-page screenshot under test-results/screenshots/<name>.png. */
  screenshot: (name: string) => Promise<void>;
  /** People of the seeded organisation, by role key. */
  people: Record<string, { email: string; password: string }>;
};

export type TestFn = (f: Fixtures) => Promise<void>;
export const tests: { name: string; fn: TestFn; viewport?: { width: number; height: number } }[] = [];

export function test(name: string, fn: TestFn, opts: { viewport?: { width: number; height: number } } = {}) {
  tests.push({ name, fn, ...opts });
}

export function expect(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(`expected: ${message}`);
}

export const SCREENSHOT_DIR = "test-results/screenshots";
export const a11yResults: { page: string; violations: number }[] = [];

export type Server = {
  baseUrl: string;
  createSessionCookie: (email: string) => Promise<{ name: string; value: string }>;
  people: Fixtures["people"];
};

export async function makeFixtures(
  browser: Browser,
  server: Server,
  viewport: { width: number; height: number } = { width: 1280, height: 900 },
): Promise<Fixtures> {
  const context = await browser.newContext({ viewport, baseURL: server.baseUrl, locale: "en-GB" });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    page,
    context,
    baseUrl: server.baseUrl,
    people: server.people,
    login: async (email) => {
      const c = await server.createSessionCookie(email);
      await context.addCookies([{ ...c, url: server.baseUrl, httpOnly: true, sameSite: "Lax" }]);
    },
    checkA11y: async (name) => {
      const result = await new AxeBuilder({ page })
        .withTags(["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"])
        .analyze();
      a11yResults.push({ page: name, violations: result.violations.length });
      if (result.violations.length > 0) {
        const lines = result.violations.map(
          (v) =>
            `  ${v.id} (${v.impact}): ${v.help} — ${v.nodes
              .map((n) => n.target.join(" "))
              .slice(0, 3)
              .join(" | ")}`,
        );
        throw new Error(
          `axe found ${result.violations.length} violation(s) on ${name}:\n${lines.join("\n")}`,
        );
      }
    },
    screenshot: async (name) => {
      await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png`, fullPage: true });
    },
  };
}
