import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "./harness.ts";

// the spec's JSON endpoint listens on 127.0.0.1: the operator's setting that allows private addresses
process.env.YARDSTICK_CONNECTORS_ALLOW_PRIVATE = "true";

test("data sources: a steward creates an HTTP source, runs it, sees the rows and the health", async ({
  page,
  login,
  people,
  checkA11y,
  screenshot,
}) => {
  // A tiny JSON endpoint: three days long before the seed's history, so nothing collides.
  let failing = false;
  const server = createServer((_req, res) => {
    if (failing) {
      res.writeHead(500).end("down");
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        rows: [
          { day: "2001-02-01", n: 11 },
          { day: "2001-02-02", n: 12 },
          { day: "2001-02-03", n: 13 },
        ],
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/daily.json`;
  try {
    await login(people.steward?.email ?? "");
    const me = (await (await page.request.get("/api/v1/me")).json()) as { id: string };
    const metrics = (await (await page.request.get(`/api/v1/metrics?stewardId=${me.id}&limit=1`)).json()) as {
      items: { id: string; key: string }[];
    };
    const metric = metrics.items[0];
    expect(metric, "the steward stewards a metric");

    await page.goto("/");
    await page.getByRole("link", { name: "Data sources" }).click();
    await page.getByRole("heading", { name: "Data sources", level: 1 }).waitFor();
    await page.mouse.move(1200, 880);
    await page.getByRole("button", { name: "New data source" }).click();
    const form = page.getByRole("form", { name: "New data source" });
    await form.waitFor();
    await form.getByRole("textbox", { name: "Name", exact: true }).fill("E2E helpdesk feed");
    await form.getByRole("textbox", { name: "URL" }).fill(url);
    await form.getByRole("textbox", { name: "Items path" }).fill("$.rows[*]");
    await form.getByRole("textbox", { name: "Value path" }).fill("$.n");
    await form.getByLabel("Metrics it feeds").click();
    await page.getByRole("option", { name: new RegExp(`\\(${metric.key}\\)`) }).click();
    await form.getByRole("textbox", { name: "Value path" }).click();
    // the period start path is missing: the API's message shows at that field
    await form.getByRole("button", { name: "Create source" }).click();
    const start = form.getByRole("textbox", { name: "Period start path" });
    await page.waitForFunction(
      () => document.querySelector('input[aria-invalid="true"]') !== null,
      undefined,
      { timeout: 5000 },
    );
    expect((await start.getAttribute("aria-invalid")) === "true", "the period start path is marked invalid");
    await checkA11y("data-sources-form");
    await start.fill("$.day");
    await form.getByRole("button", { name: "Create source" }).click();
    await form.waitFor({ state: "detached" });

    const table = page.getByRole("table", { name: "Data sources" });
    const row = table.getByRole("row").filter({ hasText: "E2E helpdesk feed" });
    await row.getByText("Not run yet").waitFor();
    await row.getByRole("button", { name: "Run E2E helpdesk feed now" }).click();
    await row.getByText("Healthy", { exact: true }).waitFor();
    await row.getByText(/^3 rows read: 3 accepted/).waitFor();
    await checkA11y("data-sources");
    await screenshot("data-sources");

    // The server fails: the source turns unhealthy and its steward is told at the top.
    failing = true;
    await row.getByRole("button", { name: "Run E2E helpdesk feed now" }).click();
    await row.getByText("Unhealthy", { exact: true }).waitFor();
    const alert = page.getByRole("alert").filter({ hasText: "Your data sources need attention" });
    await alert.getByText(/E2E helpdesk feed.*HTTP 500/).waitFor();

    await row.getByRole("button", { name: "History of E2E helpdesk feed" }).click();
    const history = page.getByRole("table", { name: "Run history" });
    await history.waitFor();
    const rows = await history.getByRole("row").count();
    expect(rows === 3, `two runs in the history (and the header row): ${rows}`);
    await history.getByText(/HTTP 500/).waitFor();
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test("data sources: a CSV source with a semicolon delimiter and named columns", async ({
  page,
  login,
  people,
  checkA11y,
  screenshot,
}) => {
  // A CSV in the European style: semicolons, headers the server cannot guess.
  const server = createServer((_req, res) => {
    res
      .writeHead(200, { "content-type": "text/csv" })
      .end("Tag;Anzahl;Notiz\n2001-03-01;5;a, b\n2001-03-02;6;c\n");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/export.csv`;
  try {
    await login(people.steward?.email ?? "");
    const me = (await (await page.request.get("/api/v1/me")).json()) as { id: string };
    const metrics = (await (await page.request.get(`/api/v1/metrics?stewardId=${me.id}&limit=1`)).json()) as {
      items: { id: string; key: string }[];
    };
    const metric = metrics.items[0];
    expect(metric, "the steward stewards a metric");

    await page.goto("/data-sources");
    await page.getByRole("heading", { name: "Data sources", level: 1 }).waitFor();
    await page.getByRole("button", { name: "New data source" }).click();
    const form = page.getByRole("form", { name: "New data source" });
    await form.waitFor();
    await form.getByRole("textbox", { name: "Name", exact: true }).fill("E2E regional CSV");
    await form.getByLabel("Kind").click();
    await page.getByRole("option", { name: "CSV at a URL" }).click();
    await form.getByRole("textbox", { name: "URL" }).fill(url);
    await form.getByRole("group", { name: "CSV columns" }).waitFor();
    await form.getByLabel("Delimiter").click();
    await page.getByRole("option", { name: "Semicolon ( ; )" }).click();
    // a slip: the same column for the period start and the value; the API names the value column
    await form.getByRole("textbox", { name: "Period start column" }).fill("Anzahl");
    await form.getByRole("textbox", { name: "Value column" }).fill("Anzahl");
    await form.getByLabel("Metrics it feeds").click();
    await page.getByRole("option", { name: new RegExp(`\\(${metric.key}\\)`) }).click();
    await page.keyboard.press("Escape"); // close the metrics list
    await form.getByRole("button", { name: "Create source" }).click();
    const value = form.getByRole("textbox", { name: "Value column" });
    await form.getByText('column "Anzahl" feeds periodStart already; name another column').waitFor();
    expect((await value.getAttribute("aria-invalid")) === "true", "the value column is marked invalid");
    await checkA11y("data-sources-csv-form");
    await screenshot("data-sources-csv-form");
    await form.getByRole("textbox", { name: "Period start column" }).fill("Tag");
    await form.getByRole("button", { name: "Create source" }).click();
    await form.waitFor({ state: "detached" });

    const row = page
      .getByRole("table", { name: "Data sources" })
      .getByRole("row")
      .filter({ hasText: "E2E regional CSV" });
    await row.getByRole("button", { name: "Run E2E regional CSV now" }).click();
    await row.getByText("Healthy", { exact: true }).waitFor();
    await row.getByText(/^2 rows read: 2 accepted/).waitFor();

    // the form shows what was saved
    await row.getByRole("button", { name: "Edit E2E regional CSV" }).click();
    const edit = page.getByRole("form", { name: "Edit data source" });
    await edit.waitFor();
    expect((await edit.getByLabel("Delimiter").inputValue()) === "Semicolon ( ; )", "the delimiter is shown");
    expect(
      (await edit.getByRole("textbox", { name: "Value column" }).inputValue()) === "Anzahl",
      "the value column is shown",
    );
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
