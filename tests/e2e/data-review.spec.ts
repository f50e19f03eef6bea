import { expect, test } from "./harness.ts";

test("data review: a steward accepts a quarantined value and it leaves the queue", async ({
  page,
  login,
  people,
  checkA11y,
  screenshot,
}) => {
  await login(people.steward?.email ?? "");
  // A metric the steward owns, a quarantine rule on it, and a value that breaks the rule.
  const me = (await (await page.request.get("/api/v1/me")).json()) as { id: string };
  const metrics = (await (await page.request.get(`/api/v1/metrics?stewardId=${me.id}&limit=1`)).json()) as {
    items: { id: string; name: string }[];
  };
  const metric = metrics.items[0];
  expect(metric, "the steward stewards a metric");
  const rules = await page.request.patch(`/api/v1/metrics/${metric.id}`, {
    data: { validationRules: { range: { max: 1e12, action: "quarantine" } } },
  });
  expect(rules.ok(), `rules saved: ${await rules.text()}`);
  const recorded = await page.request.post(`/api/v1/metrics/${metric.id}/measurements`, {
    data: { value: 5e12, periodStart: "2020-01-01", note: "e2e: an export glitch" },
  });
  const body = (await recorded.json()) as { validationState?: string };
  expect(body.validationState === "quarantined", `quarantined: ${JSON.stringify(body)}`);

  await page.goto("/");
  await page.getByRole("link", { name: "Data review" }).click();
  await page.getByRole("heading", { name: "Data review" }).waitFor();
  // The pointer still hovers the menu link it clicked; move it off before the contrast check.
  await page.mouse.move(1200, 880);
  await page.waitForTimeout(200);
  const accept = page.getByRole("button", { name: `Accept ${metric.name} 2020-01-01` });
  await accept.waitFor();
  await page
    .getByRole("table", { name: "Quarantined values" })
    .getByText("above the allowed maximum")
    .first()
    .waitFor();
  await checkA11y("data-review");
  await screenshot("data-review");
  await accept.click();
  const dialog = page.getByRole("dialog", { name: "Accept quarantined value" });
  await dialog.waitFor();
  // The reason is required: submitting without one says so and decides nothing.
  await dialog.getByRole("button", { name: "Accept value" }).click();
  await dialog.getByText("Give the reason for the decision").waitFor();
  await dialog.getByRole("textbox", { name: "Reason" }).fill("Checked with finance: the figure is right");
  await dialog.getByRole("button", { name: "Accept value" }).click();
  await dialog.waitFor({ state: "detached" });
  await accept.waitFor({ state: "detached" });
  const left = await page.getByRole("button", { name: `Accept ${metric.name} 2020-01-01` }).count();
  expect(left === 0, "the accepted value left the queue");

  // The metric page shows the rule; its editor opens for the steward.
  await page.goto(`/kpis/${metric.id}`);
  await page.getByRole("heading", { name: "Validation rules" }).waitFor();
  await page.getByText("Range −∞ to 1000000000000: quarantine").waitFor();
  await page.getByRole("button", { name: "Edit rules" }).click();
  await page.getByRole("form", { name: "Validation rules" }).waitFor();
});

test("data review: a series that stopped reporting is listed under Missing data", async ({
  page,
  login,
  people,
  checkA11y,
  screenshot,
}) => {
  await login(people.steward?.email ?? "");
  // The demo seed's Partner referrals (the steward's, weekly, frequency rule) stopped five weeks ago.
  const seeded = (await (await page.request.get("/api/v1/metrics?limit=200")).json()) as {
    items: { key: string; name: string }[];
  };
  const stopped = seeded.items.find((m) => m.key === "partner_referrals");
  expect(stopped, "the demo seed has the stopped Partner referrals series");

  await page.goto("/data-review");
  await page.getByRole("heading", { name: "Data review" }).waitFor();
  // Keyboard only: from the first tab, the arrow key moves to Missing data; Enter runs the check.
  await page.getByRole("tab", { name: "Quarantined values" }).focus();
  await page.keyboard.press("ArrowRight");
  const tab = page.getByRole("tab", { name: "Missing data" });
  await tab.waitFor();
  expect((await tab.getAttribute("aria-selected")) === "true", "the Missing data tab is selected");
  const checkNow = page.getByRole("button", { name: "Check now" });
  await checkNow.focus();
  await page.keyboard.press("Enter");
  await page
    .getByRole("status")
    .getByText(/open\.$/)
    .waitFor();
  const table = page.getByRole("table", { name: "Series missing data" });
  const row = table.getByRole("row").filter({ hasText: stopped.name });
  await row.waitFor();
  const text = (await row.innerText()).replace(/\s+/g, " ");
  expect(/Whole organisation/.test(text), `the organisation's series: ${text}`);
  expect(/\b[45] weeks\b/.test(text), `four or five whole weeks missing: ${text}`);
  expect(/1 week tolerated/.test(text), `the rule tolerates one week: ${text}`);
  await page.mouse.move(1200, 880);
  await checkA11y("data-review-missing");
  await screenshot("data-review-missing");
});
