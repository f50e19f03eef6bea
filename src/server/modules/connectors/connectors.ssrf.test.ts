/**
 * The SSRF guard: without YARDSTICK_CONNECTORS_ALLOW_PRIVATE a URL on a loopback, link-local or
 * private address is refused when saved (naming config.url), and a host name that resolves to one is
 * refused when fetched; with it, redirects are followed hop by hop and the secret header stays with
 * the source's origin.
 */
import type { LookupAddress } from "node:dns";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMetric } from "../../testing/metrics.ts";
import { createTestApp, type TestApp } from "../../testing/test-app.ts";
import { guardedLookup, urlRefusal } from "./connectors.fetch.ts";
import type { DataSource, DataSourceRun } from "./connectors.schema.ts";
import { runAndWait, startTestServer, type TestServer } from "./connectors.test-server.ts";

type Problem = { errors?: { field: string; message: string }[] };

let t: TestApp;
let srv: TestServer;
let metricId: string;
const ALLOW = "YARDSTICK_CONNECTORS_ALLOW_PRIVATE";

beforeAll(async () => {
  process.env.YARDSTICK_SECRET_KEY ??= "33".repeat(32);
  delete process.env[ALLOW];
  t = await createTestApp();
  srv = await startTestServer();
  metricId = await createMetric(t, "visits", { name: "Visits", indicatorType: "leading" });
  srv.set("/visits.json", { body: JSON.stringify([{ d: "2026-06-01", n: 9 }]) });
});
afterEach(() => {
  delete process.env[ALLOW];
});
afterAll(async () => {
  await srv?.close();
  await t?.close();
});

const source = (name: string, url: string, kind = "http_json", extra: Record<string, unknown> = {}) => ({
  name,
  kind,
  metricIds: [metricId],
  config:
    kind === "http_json"
      ? { url, fields: { periodStart: "$.d", value: "$.n" }, timeoutMs: 1000 }
      : { url, timeoutMs: 1000 },
  ...extra,
});
const create = (payload: object) =>
  t.call<DataSource & Problem>("hr", { method: "POST", url: "/api/v1/data-sources", payload });
const run = async (id: string) => (await runAndWait<DataSourceRun>(t, "hr", id)).body;

describe("saving a source: the URL's address", () => {
  it.each([
    ["http://127.0.0.1:8080/x.json", "http_json", "127.0.0.1 is a loopback address (this server itself)"],
    [
      "http://169.254.169.254/latest/meta-data/",
      "http_json",
      "169.254.169.254 is a link-local address (e.g. the cloud metadata service)",
    ],
    ["https://10.1.2.3/report.csv", "csv_url", "10.1.2.3 is a private network address"],
    [
      "http://[::ffff:127.0.0.1]/x",
      "http_json",
      "[::ffff:7f00:1] is a loopback address (this server itself)",
    ],
    ["http://[fd00::5]/x", "csv_url", "[fd00::5] is a private network address"],
    ["http://0.0.0.0:3000/", "http_json", "0.0.0.0 is an unspecified address"],
    ["http://localhost:3000/x.json", "http_json", "localhost is this server itself"],
  ])("%s (%s) is refused naming config.url", async (url, kind, why) => {
    const res = await create(source(`refused ${url}`, url, kind));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        field: "config.url",
        message: `${why}; connectors fetch only public addresses (an operator may allow private ones with YARDSTICK_CONNECTORS_ALLOW_PRIVATE=true)`,
      },
    ]);
  });

  it("a public address or a host name is accepted; only http and https", async () => {
    expect(urlRefusal("https://93.184.216.34/x.json", false)).toBeUndefined();
    expect(urlRefusal("https://crm.example.com/x.json", false)).toBeUndefined();
    expect(urlRefusal("file:///etc/passwd", true)).toBe("must be an http:// or https:// URL");
    const made = await create(source("public name", "https://crm.example.com/x.json"));
    expect(made.status, JSON.stringify(made.body)).toBe(201);
  });

  it("with YARDSTICK_CONNECTORS_ALLOW_PRIVATE=true the operator allows a local URL", async () => {
    process.env[ALLOW] = "true";
    const made = await create(source("local allowed", srv.url("/visits.json")));
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const r = await run(made.body.id);
    expect(r).toMatchObject({ status: "succeeded", rowsRead: 1 });
  });
});

describe("fetching: the address after DNS", () => {
  it("a host name that resolves to loopback is refused at fetch time, and nothing is requested", async () => {
    // saved while the operator allowed private addresses; the setting has been turned off since
    process.env[ALLOW] = "true";
    const url = `http://localhost:${srv.port}/visits.json`;
    const made = await create(source("by name", url));
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    delete process.env[ALLOW];
    const before = srv.hits.get("/visits.json") ?? 0;
    const r = await run(made.body.id);
    expect(r.status).toBe("failed");
    // localhost resolves to 127.0.0.1 (and ::1 where IPv6 is on): either is loopback
    expect(r.error).toMatch(
      /^refused to fetch http:\/\/localhost:\d+\/visits\.json: localhost resolves to (127\.0\.0\.1|::1), a loopback address \(this server itself\); connectors fetch only public addresses/,
    );
    expect(srv.hits.get("/visits.json") ?? 0).toBe(before);
  });

  it("the lookup refuses a name when any of its addresses is not public", async () => {
    const answers: Record<string, LookupAddress[]> = {
      "mixed.example": [
        { address: "93.184.216.34", family: 4 },
        { address: "10.0.0.7", family: 4 },
      ],
      "public.example": [{ address: "93.184.216.34", family: 4 }],
      "mapped.example": [{ address: "::ffff:169.254.169.254", family: 6 }],
    };
    const lookup = guardedLookup((host, _o, cb) => cb(null, answers[host] ?? []));
    const ask = (host: string, all: boolean) =>
      new Promise<unknown>((resolve) =>
        lookup(host, { all }, (err, address, family) => resolve(err ? err.message : [address, family])),
      );
    expect(await ask("mixed.example", false)).toMatch(
      /^mixed\.example resolves to 10\.0\.0\.7, a private network address;/,
    );
    expect(await ask("mapped.example", true)).toMatch(
      /^mapped\.example resolves to ::ffff:169\.254\.169\.254, a link-local address/,
    );
    expect(await ask("public.example", false)).toEqual(["93.184.216.34", 4]);
    expect(await ask("public.example", true)).toEqual([answers["public.example"], undefined]);
  });
});

describe("redirects (operator allows the local test server)", () => {
  it("are followed; the secret header goes to the source's origin only", async () => {
    process.env[ALLOW] = "true";
    srv.set("/guarded.json", {
      body: JSON.stringify([{ d: "2026-06-02", n: 4 }]),
      requireHeader: ["X-Key", "k-123"],
    });
    srv.set("/same-origin", { redirect: "/guarded.json" });
    // localhost is another origin than 127.0.0.1: the header is not sent there, so it answers 401
    srv.set("/other-origin", { redirect: `http://localhost:${srv.port}/guarded.json` });
    const same = await create({
      ...source("redirect same", srv.url("/same-origin")),
      config: { ...source("x", srv.url("/same-origin")).config, headerName: "X-Key" },
      secret: "k-123",
    });
    expect((await run(same.body.id)).status).toBe("succeeded");
    const other = await create({
      ...source("redirect other", srv.url("/other-origin")),
      config: { ...source("x", srv.url("/other-origin")).config, headerName: "X-Key" },
      secret: "k-123",
    });
    const r = await run(other.body.id);
    expect(r.status).toBe("failed");
    expect(r.error).toBe(`HTTP 401 Unauthorized from http://localhost:${srv.port}/guarded.json`);
  });

  it("a redirect loop stops after five hops", async () => {
    process.env[ALLOW] = "true";
    srv.set("/loop", { redirect: "/loop" });
    const made = await create(source("loop", srv.url("/loop")));
    const r = await run(made.body.id);
    expect(r.error).toBe(`HTTP 302 more than 5 redirects from ${srv.url("/loop")}`);
    expect(srv.hits.get("/loop")).toBe(6);
  });
});
