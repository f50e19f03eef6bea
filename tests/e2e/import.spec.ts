import { expect, test } from "./harness.ts";

test("import measurements: a bad row is shown, left out, and the rest is written", async ({
  page,
  login,
  people,
  checkA11y,
  screenshot,
}) => {
  await login(people.admin?.email ?? "");
  await page.goto("/import");
  await page.getByRole("heading", { name: "Import measurements" }).waitFor();
  // a metric of the seeded organisation; periods long before its history, so nothing collides
  const metrics = (await (await page.request.get("/api/v1/metrics?limit=1")).json()) as {
    items: { key: string }[];
  };
  const key = metrics.items[0]?.key;
  expect(key, "the seed has a metric");
  const csv = `metric,date,value\n${key},2001-01-01,10\n${key},2001-01-02,lots\n${key},2001-01-03,12\n`;
  await page.getByLabel("File (CSV in UTF-8, or XLSX)").setInputFiles({
    name: "e2e-values.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(csv),
  });
  await page.getByText("Chosen: e2e-values.csv").waitFor();
  await checkA11y("import-upload");
  await page.getByRole("button", { name: "Upload and preview" }).click();

  const problems = page.getByRole("table", { name: "Problems" });
  await problems.waitFor();
  const row = problems.getByRole("row").filter({ hasText: "text in a number column" });
  await row.waitFor();
  const cells = await row.getByRole("cell").allTextContents();
  expect(cells[0] === "3" && cells[1] === "value", `row 3, column value: ${cells.join(" | ")}`);
  await page.getByText("2 of 3 rows are ready; 1 has problems.").waitFor();
  await checkA11y("import-preview");
  await screenshot("import-preview");

  // without leaving the bad row out, the import button stays disabled
  const importButton = page.getByRole("button", { name: "Import 2 rows" });
  expect(await importButton.isDisabled(), "import is disabled while a row has problems");
  await page.getByRole("checkbox", { name: "Leave out the 1 row with problems" }).check();
  await importButton.click();

  await page.getByTestId("outcome-accepted").filter({ hasText: /^2$/ }).waitFor();
  expect((await page.getByTestId("outcome-rejected").textContent()) === "1", "one row rejected");
  await page.getByText("Done", { exact: true }).waitFor();
  await screenshot("import-done");

  await page.getByRole("link", { name: "Back to imports" }).click();
  const past = page.getByRole("table", { name: "Past imports" });
  await past.getByRole("link", { name: "e2e-values.csv" }).first().waitFor();
});
