import { expect, test } from "./harness.ts";

test("sign in, see my goals, sign out", async ({ page, people, checkA11y, screenshot }) => {
  const who = people.employee ?? Object.values(people)[0];
  expect(who, "a seeded employee");
  await page.goto("/dashboard");
  // A signed-out visitor lands on sign-in with a redirect back.
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  expect(page.url().includes("redirect=%2Fdashboard"), `redirect kept in ${page.url()}`);
  await checkA11y("sign-in");
  await screenshot("sign-in");
  await page.getByRole("textbox", { name: "Email" }).fill(who.email);
  await page.getByRole("textbox", { name: "Password" }).fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").filter({ hasText: "email or password" }).waitFor();
  await page.getByRole("textbox", { name: "Password" }).fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/dashboard");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
});

test("an expired session returns to sign-in, then back to the page", async ({
  page,
  context,
  login,
  people,
}) => {
  const who = people.manager;
  expect(who, "a seeded manager");
  await login(who.email);
  await page.goto("/");
  await page.getByRole("heading", { name: "My goals", level: 1 }).waitFor();
  await page.waitForLoadState("networkidle"); // no request of this page may see the expiry
  await context.clearCookies(); // the session is gone, as when it expires
  await page.getByRole("link", { name: "KPI library" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  expect(page.url().includes("redirect=%2Fkpis"), `redirect back to the KPI library in ${page.url()}`);
  await page.getByRole("textbox", { name: "Email" }).fill(who.email);
  await page.getByRole("textbox", { name: "Password" }).fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "KPI library" }).waitFor();
});
