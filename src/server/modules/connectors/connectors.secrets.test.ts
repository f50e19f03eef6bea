import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  isSealed,
  KEY_FILE,
  keyFromEnv,
  keyId,
  open,
  parseSecretKey,
  SecretError,
  seal,
} from "./connectors.secrets.ts";

const KEY = Buffer.alloc(32, 7);
const OTHER = Buffer.alloc(32, 9);
const CTX = "data_source:org-1:source-1";

describe("sealing a secret (AES-256-GCM)", () => {
  it("round trip: the envelope hides the secret and opens to it", () => {
    const sealed = seal(KEY, "Bearer s3cret-token", CTX);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain("s3cret");
    expect(sealed.startsWith(`ys-enc:v1:${keyId(KEY)}:`)).toBe(true);
    expect(open(KEY, sealed, CTX)).toBe("Bearer s3cret-token");
    // a fresh iv per seal: the same secret seals differently each time
    expect(seal(KEY, "Bearer s3cret-token", CTX)).not.toBe(sealed);
  });

  it("a plain-text value saved before encryption reads as is", () => {
    expect(isSealed("postgres://reader:pw@db/warehouse")).toBe(false);
    expect(open(KEY, "postgres://reader:pw@db/warehouse", CTX)).toBe("postgres://reader:pw@db/warehouse");
    expect(open(null, "plain", CTX)).toBe("plain");
  });

  it("the wrong key fails, naming both key ids", () => {
    const sealed = seal(KEY, "x", CTX);
    expect(() => open(OTHER, sealed, CTX)).toThrow(SecretError);
    expect(() => open(OTHER, sealed, CTX)).toThrow(
      `the stored secret was encrypted under another key (key ${keyId(KEY)}; this server's is ${keyId(OTHER)})`,
    );
    expect(() => open(null, sealed, CTX)).toThrow(
      /is encrypted \(key [0-9a-f]{8}\) but this server has no key/,
    );
  });

  it("a tampered ciphertext, tag or iv fails its integrity check", () => {
    const sealed = seal(KEY, "Bearer s3cret-token", CTX);
    const parts = sealed.split(":");
    const flip = (i: number) => {
      const p = [...parts];
      const b = Buffer.from(p[i] ?? "", "base64url");
      b[0] = (b[0] ?? 0) ^ 1;
      p[i] = b.toString("base64url");
      return p.join(":");
    };
    for (const i of [3, 4, 5]) // iv, ciphertext, tag
      expect(() => open(KEY, flip(i), CTX)).toThrow(/fails its integrity check/);
    // bound to its source: the same envelope on another source does not open
    expect(() => open(KEY, sealed, "data_source:org-1:source-2")).toThrow(/fails its integrity check/);
    expect(() => open(KEY, `${sealed}:extra`, CTX)).toThrow(/not a readable envelope/);
  });
});

describe("the key", () => {
  it.each([
    ["64 hex digits", "07".repeat(32), true],
    ["base64 of 32 bytes", KEY.toString("base64"), true],
    ["base64url of 32 bytes", Buffer.alloc(32, 255).toString("base64url"), true],
    ["31 bytes of hex", "07".repeat(31), false],
    ["base64 of 16 bytes", Buffer.alloc(16).toString("base64"), false],
    ["a passphrase", "correct horse battery staple", false],
  ])("%s: accepted %s", (_what, text, ok) => {
    const parsed = parseSecretKey(text);
    expect(Buffer.isBuffer(parsed)).toBe(ok);
    if (ok) expect((parsed as Buffer).length).toBe(32);
    else expect(parsed).toMatch(/^must be 32 bytes/);
  });

  const dir = mkdtempSync(join(tmpdir(), "yardstick-key-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("YARDSTICK_SECRET_KEY wins; a bad one fails naming the variable", () => {
    expect(keyFromEnv({ YARDSTICK_SECRET_KEY: "07".repeat(32), YARDSTICK_DATA_DIR: dir })).toEqual(KEY);
    expect(() => keyFromEnv({ YARDSTICK_SECRET_KEY: "short" })).toThrow(
      /^YARDSTICK_SECRET_KEY: must be 32 bytes/,
    );
  });

  it("embedded without the variable: a key file made once in the data folder, owner-only", () => {
    const first = keyFromEnv({ YARDSTICK_DATA_DIR: dir });
    expect(first?.length).toBe(32);
    const path = join(dir, KEY_FILE);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(path, "utf8").trim(), "base64")).toEqual(first);
    expect(keyFromEnv({ YARDSTICK_DATA_DIR: dir })).toEqual(first);
  });

  it("PostgreSQL without the variable: no key (secrets are refused)", () => {
    expect(keyFromEnv({ DATABASE_URL: "postgres://x@h/db", YARDSTICK_DATA_DIR: dir })).toBeNull();
  });
});
