/**
 * A metric made through the API for a test: the admin creates it, a count summed by period, and
 * `over` changes any field. Throws when the API refuses it, so a test never runs on a missing metric.
 */
import type { TestApp } from "./test-app.ts";

export async function createMetric(
  t: TestApp,
  key: string,
  over: Record<string, unknown> = {},
): Promise<string> {
  const res = await t.call<{ id: string }>("admin", {
    method: "POST",
    url: "/api/v1/metrics",
    payload: {
      key,
      name: key,
      unit: "count",
      direction: "increase",
      indicatorType: "lagging",
      aggregation: "sum",
      ...over,
    },
  });
  if (res.status !== 201)
    throw new Error(`metric ${key} was refused: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}
