import type { Page } from "playwright-core";
import { expect, test } from "./harness.ts";

/** Makes an active, aligned milestone goal through the API, for the check-in flow. */
async function createMilestoneGoal(page: Page): Promise<string> {
  const me = await (await page.request.get("/api/v1/me")).json();
  const cycle = (await (await page.request.get("/api/v1/cycles?phase=active")).json()).items[0];
  const parent = (
    await (await page.request.get(`/api/v1/goals?cycleId=${cycle.id}&level=company&limit=1`)).json()
  ).items[0];
  const created = await page.request.post("/api/v1/goals", {
    data: {
      title: "Ship the onboarding playbook (browser test)",
      specificOutcome: "The onboarding playbook is published on the intranet and used by every new hire.",
      cycleId: cycle.id,
      level: "individual",
      kind: "milestone",
      ownerId: me.id,
    },
  });
  expect(created.ok(), `goal created: ${await created.text()}`);
  const goal = await created.json();
  const aligned = await page.request.post(`/api/v1/goals/${goal.id}/alignments`, {
    data: { parentId: parent.id, weight: 1 },
  });
  expect(aligned.ok(), `goal aligned: ${await aligned.text()}`);
  const active = await page.request.post(`/api/v1/goals/${goal.id}/transition`, { data: { to: "active" } });
  expect(active.ok(), `goal activated: ${await active.text()}`);
  return goal.id;
}

test("create a goal that fails SMART, fix it, align it under two parents, activate it, see it under both in the cascade", async ({
  page,
  login,
  people,
  checkA11y,
  screenshot,
}) => {
  await login(people.manager?.email ?? "");
  await page.goto("/goals/new");
  await page.getByRole("heading", { name: "New goal" }).waitFor();
  const title = `E2E pipeline goal ${Date.now().toString(36)}`;
  await page.getByRole("textbox", { name: "Title" }).fill(title);
  await page.getByRole("textbox", { name: "Specific outcome" }).fill("More");
  // Live SMART feedback while typing: too short an outcome, no target, no parent.
  const smart = page.getByRole("region", { name: "SMART check" });
  await smart.getByText("fails", { exact: true }).waitFor();
  await smart.getByText(/specific outcome is missing or shorter/).waitFor();
  await checkA11y("goal-form");
  await screenshot("goal-form");
  await page.getByRole("button", { name: "Create goal" }).click();
  await page.getByRole("heading", { name: title, level: 1 }).waitFor();
  // Activating a goal that fails SMART is refused, with the API's reason shown.
  await page.getByRole("button", { name: "Activate" }).click();
  await page.getByRole("alert").waitFor();

  await page.getByRole("link", { name: "Edit goal" }).click();
  await page.getByRole("heading", { name: "Edit goal" }).waitFor();
  await page
    .getByRole("textbox", { name: "Specific outcome" })
    .fill("Book 40 qualified meetings with new enterprise prospects, counted in the CRM, by year end.");
  await page.getByRole("combobox", { name: "Metric" }).click();
  await page.getByRole("option").first().click();
  await page.getByRole("textbox", { name: "Baseline", exact: true }).fill("10");
  await page.getByRole("textbox", { name: "Threshold" }).fill("25");
  await page.getByRole("textbox", { name: "Target" }).fill("40");
  await page.getByRole("textbox", { name: "Stretch" }).fill("55");
  const parentPicker = page.getByRole("combobox", { name: "Supports (parent goals)" });
  const parents: string[] = [];
  for (let i = 0; i < 2; i++) {
    await parentPicker.click();
    const option = page.getByRole("option").first();
    await option.waitFor();
    parents.push((await option.textContent()) ?? "");
    await option.click();
  }
  expect(parents.length === 2 && parents[0] !== parents[1], `two different parents: ${parents.join(" / ")}`);
  await screenshot("goal-form-filled");
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.getByRole("heading", { name: title, level: 1 }).waitFor();
  await page.getByRole("button", { name: "Activate" }).click();
  await page.getByText("active", { exact: true }).first().waitFor();

  await page.goto(`/cascade?q=${encodeURIComponent(title)}`);
  const tree = page.getByRole("tree", { name: "Goal cascade" });
  await tree.waitFor();
  const occurrences = tree.getByRole("link", { name: title });
  await occurrences.nth(1).waitFor();
  expect((await occurrences.count()) === 2, "the goal appears under both parents");
  await tree.getByText("also under 1 other goal").first().waitFor();
  for (const p of parents) await tree.getByRole("link", { name: p.trim(), exact: true }).first().waitFor();
  await checkA11y("cascade");
  await screenshot("cascade");
  // Keyboard: focus the tree and move with the arrow keys.
  await tree.getByRole("treeitem").first().focus();
  await page.keyboard.press("ArrowDown");
});

test("find an off-track goal from the dashboard", async ({ page, login, people }) => {
  await login(people.exec?.email ?? "");
  await page.goto("/dashboard");
  const list = page.getByRole("table", { name: "Off track goals" });
  await list.waitFor();
  await list.getByRole("link").first().click();
  await page.getByRole("heading", { name: "Progress", exact: true }).waitFor();
  await page.getByText("Off track", { exact: true }).first().waitFor();
});

test("record a check-in and see the figures change", async ({
  page,
  login,
  people,
  checkA11y,
  screenshot,
}) => {
  await login(people.employee?.email ?? "");
  await page.goto("/");
  const goalId = await createMilestoneGoal(page);
  await page.goto(`/goals/${goalId}`);
  await page.getByRole("heading", { name: "Record a check-in" }).waitFor();
  const attainment = page.getByRole("region", { name: "Progress" }).getByText(/of target/);
  const before = await attainment.textContent();
  await page.getByRole("checkbox", { name: "Milestone done" }).check();
  await page.getByRole("textbox", { name: "What happened" }).fill("Published the playbook (browser test).");
  await page.getByRole("button", { name: "Save check-in" }).click();
  await page.getByRole("status").filter({ hasText: "Check-in recorded." }).waitFor();
  // The server recomputes the figures in the same transaction; the page refetches them.
  let after = before;
  for (let i = 0; i < 50 && after === before; i++) {
    await page.waitForTimeout(200);
    after = await attainment.textContent();
  }
  expect(
    after !== before && after?.startsWith("100"),
    `attainment changed (before "${before}", after "${after}")`,
  );
  await page.getByRole("cell", { name: "Published the playbook (browser test)." }).waitFor();
  await checkA11y("goal-after-check-in");
  await screenshot("goal-after-check-in");
});

test("see a goal as of an earlier date", async ({ page, login, people, screenshot }) => {
  await login(people.manager?.email ?? "");
  await page.goto("/");
  await page.getByRole("article").first().getByRole("link").first().click();
  await page.getByRole("heading", { name: "Progress", exact: true }).waitFor();
  const url = new URL(page.url());
  const year = new Date().getUTCFullYear();
  await page.goto(`${url.pathname}?asOf=${year}-03-31`);
  await page.getByRole("status").filter({ hasText: "Showing the goal as it stood on" }).waitFor();
  await page.getByText(/As of 31 Mar/).waitFor();
  await screenshot("goal-as-of");
});
