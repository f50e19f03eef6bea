import { expect, test } from "./harness.ts";

test("a manager's team grid, off-track goals first", async ({
  page,
  login,
  people,
  checkA11y,
  screenshot,
}) => {
  await login(people.manager?.email ?? "");
  await page.goto("/team");
  const grid = page.getByRole("table", { name: "Team goals" });
  await grid.waitFor();
  await grid.getByRole("row").nth(1).waitFor();
  await page.getByRole("status").filter({ hasText: "Loading goals" }).waitFor({ state: "detached" });
  const statuses = await grid.locator("tbody tr td:nth-child(3)").allTextContents();
  expect(statuses.length > 0, "the team has goals");
  const firstOnTrack = statuses.indexOf("On track");
  const lastOffTrack = statuses.lastIndexOf("Off track");
  expect(
    lastOffTrack === -1 || firstOnTrack === -1 || lastOffTrack < firstOnTrack,
    `off track first: ${statuses.join(",")}`,
  );
  await checkA11y("team");
  await screenshot("team");
  // Sorting by person is a button in the column header (keyboard-usable).
  await grid.getByRole("button", { name: /Person/ }).click();
  await grid
    .getByRole("columnheader", { name: /Person/ })
    .and(page.locator("[aria-sort=ascending]"))
    .waitFor();
});

test("KPI library and a metric's history", async ({ page, login, people, checkA11y, screenshot }) => {
  await login(people.steward?.email ?? "");
  await page.goto("/kpis");
  const table = page.getByRole("table", { name: "Metrics" });
  await table.getByRole("link").first().waitFor();
  await checkA11y("kpi-library");
  await screenshot("kpi-library");
  await table.getByRole("link").first().click();
  await page.getByRole("heading", { name: "History" }).waitFor();
  await page.getByRole("img", { name: /History of the metric/ }).waitFor();
  await checkA11y("kpi-metric");
  await screenshot("kpi-metric");
  await page.getByRole("button", { name: "Edit metric" }).click();
  await page.getByRole("dialog", { name: "Edit metric" }).waitFor();
  await page.getByRole("textbox", { name: "Name" }).fill("");
  await page.getByRole("button", { name: "Save metric" }).click();
  // The API's problem message appears next to the field at fault.
  await page.getByRole("dialog").getByText(/name/i).nth(1).waitFor();
});

test("a steward closes a metric's periods and its values become final", async ({
  page,
  login,
  people,
  checkA11y,
}) => {
  await login(people.steward?.email ?? "");
  const me = await (await page.request.get("/api/v1/me")).json();
  const mine = await (await page.request.get(`/api/v1/metrics?stewardId=${me.id}&limit=1`)).json();
  const metric = mine.items[0];
  expect(metric, "the steward stewards a metric");
  await page.goto(`/kpis/${metric.id}`);
  const finality = page.getByRole("region", { name: "Finality" });
  await finality.getByText("no period has been closed early").waitFor();
  await finality.getByRole("button", { name: "Close periods" }).click();
  await finality.getByText(/is closed and final/).waitFor();
  await finality.getByText("None of the values shown below is provisional.").waitFor();
  await checkA11y("kpi-metric-closed");
});

test("a new formula re-derives the metric's values and the page says how many", async ({
  page,
  login,
  people,
}) => {
  await login(people.admin?.email ?? "");
  // Metrics of its own, so the demo's figures stay as they are for the other tests.
  const define = async (body: object) =>
    (
      await (
        await page.request.post("/api/v1/metrics", {
          data: {
            unit: "count",
            direction: "increase",
            indicatorType: "lagging",
            aggregation: "last",
            ...body,
          },
        })
      ).json()
    ).id as string;
  await define({ key: "e2e_won", name: "E2E won" });
  await define({ key: "e2e_pipeline", name: "E2E pipeline" });
  const rate = await define({
    key: "e2e_win_rate",
    name: "E2E win rate",
    unit: "percent",
    calculation: "formula",
    formula: "e2e_won / e2e_pipeline * 100",
  });
  const rows = [
    ["2024-01-01", "2024-01-31", 100, 400],
    ["2024-02-01", "2024-02-29", 150, 600],
  ].flatMap(([periodStart, periodEnd, won, pipeline]) => [
    { metricKey: "e2e_won", value: won, periodStart, periodEnd },
    { metricKey: "e2e_pipeline", value: pipeline, periodStart, periodEnd },
  ]);
  expect(
    (await page.request.post("/api/v1/measurements", { data: rows })).status() === 201,
    "inputs recorded",
  );
  await page.goto(`/kpis/${rate}`);
  await page.getByRole("button", { name: "Edit metric" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit metric" });
  await dialog.getByRole("textbox", { name: /^Formula/ }).fill("e2e_won / (e2e_won + e2e_pipeline) * 100");
  await dialog.getByRole("button", { name: "Save metric" }).click();
  await page
    .getByRole("status")
    .filter({ hasText: "2 values re-derived with the new formula, 0 unchanged" })
    .waitFor();
});

test("administration: units, people, cycles", async ({ page, login, people, checkA11y, screenshot }) => {
  await login(people.admin?.email ?? "");
  await page.goto("/admin");
  await page.getByRole("tree", { name: "Organisation units" }).waitFor();
  await checkA11y("admin-units");
  await screenshot("admin-units");
  await page.getByRole("tab", { name: "People" }).click();
  await page.getByRole("table", { name: "People" }).getByRole("row").nth(1).waitFor();
  await checkA11y("admin-people");
  await screenshot("admin-people");
  await page.getByRole("tab", { name: "Cycles" }).click();
  await page.getByRole("table", { name: "Cycles" }).waitFor();
  await checkA11y("admin-cycles");
});

test("an employee cannot see another unit's private goal", async ({ page, login, people }) => {
  // The manager makes a private goal; an employee elsewhere in the organisation must not see it.
  await login(people.exec?.email ?? "");
  await page.goto("/");
  const me = await (await page.request.get("/api/v1/me")).json();
  const cycle = (await (await page.request.get("/api/v1/cycles?phase=active")).json()).items[0];
  const created = await page.request.post("/api/v1/goals", {
    data: {
      title: "Confidential reorganisation goal",
      cycleId: cycle.id,
      level: "individual",
      kind: "milestone",
      ownerId: me.id,
      visibility: "private",
    },
  });
  expect(created.ok(), `private goal created: ${await created.text()}`);
  const goal = await created.json();
  await page.context().clearCookies();
  await login(people.employee?.email ?? "");
  await page.goto(`/goals/${goal.id}`);
  await page
    .getByRole("alert")
    .filter({ hasText: /not found|no goal/i })
    .waitFor();
  await page.goto("/cascade?q=Confidential");
  await page.getByText("No goals match").waitFor();
});
