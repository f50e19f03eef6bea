import type { TestApp, TestPerson } from "./test-app.ts";

/**
 * One row of the role × route × outcome table. `route` is the route as registered
 * ("GET /api/v1/goals/:id"); `url` and `body` may use what the table's setup made.
 */
export type PermissionCase = {
  route: string;
  as: TestPerson | null;
  url: string | ((ctx: Record<string, string>) => string);
  body?: unknown | ((ctx: Record<string, string>) => unknown);
  expect: number;
};

export type PermissionTable = {
  module: string;
  /** Makes the records the cases need (run once on a fresh test app); returns their ids by name. */
  setup?: (t: TestApp) => Promise<Record<string, string>>;
  cases: PermissionCase[];
};
