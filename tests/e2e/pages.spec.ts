import { expect, test } from "./harness.ts";

for (const [label, viewport] of [
  ["desktop", { width: 1280, height: 900 }],
  ["phone", { width: 390, height: 844 }],
] as const) {
  test(
    `main pages render and pass axe (${label})`,
    async ({ page, login, people, checkA11y, screenshot }) => {
      const manager = people.manager;
      expect(manager, "a seeded manager");
      await login(manager.email);
      await page.goto("/");
      await page.getByRole("heading", { name: "My goals", level: 1 }).waitFor();
      await page.getByRole("article").first().waitFor();
      await checkA11y(`my-goals-${label}`);
      await screenshot(`my-goals-${label}`);

      await page.getByRole("article").first().getByRole("link").first().click();
      await page.getByRole("heading", { name: "Progress", exact: true }).waitFor();
      await page.getByRole("img", { name: /Chart of the goal/ }).waitFor();
      await checkA11y(`goal-${label}`);
      await screenshot(`goal-${label}`);

      await page.goto("/dashboard");
      await page.getByRole("heading", { name: "Status distribution" }).waitFor();
      await page.getByRole("img", { name: /Goals by status/ }).waitFor();
      await page.getByRole("button", { name: "Show the trend" }).click();
      await page.getByRole("img", { name: /Share of goals on track by month/ }).waitFor({ timeout: 30_000 });
      await checkA11y(`dashboard-${label}`);
      await screenshot(`dashboard-${label}`);
    },
    { viewport },
  );
}
