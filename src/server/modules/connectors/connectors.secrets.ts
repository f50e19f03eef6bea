/**
 * Data-source secrets at rest: AES-256-GCM (node:crypto) under the server's key, in the same
 * `data_sources.secret` column as before. A stored value is either the envelope
 *
 *   ys-enc:v1:<key id>:<iv>:<ciphertext>:<tag>      (base64url parts, 12-byte iv, 16-byte tag)
 *
 * or, for rows saved before encryption, the plain text, which is read as is and sealed at the
 * source's next save. The source's org and id are the additional authenticated data, so a sealed
 * value copied onto another source does not open. The key id (a hash prefix of the key, never the
 * key) lets a wrong key fail with a message that says so instead of a bare authentication error.
 *
 * The key: `YARDSTICK_SECRET_KEY` (32 bytes as 64 hex digits or base64); without it, on the embedded
 * database, `secret.key` in the data folder, generated once; on a PostgreSQL server without it, none
 * (several stateless processes cannot share a key file), and new secrets are refused.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const PREFIX = "ys-enc:v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_FILE = "secret.key";

/** A secret could not be sealed or opened; the message says what to do. */
export class SecretError extends Error {}

/** The key's fault, or its 32 bytes: 64 hex digits, or base64 / base64url of 32 bytes. */
export function parseSecretKey(text: string): Buffer | string {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, "hex");
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) {
    const b = Buffer.from(t.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    if (b.length === 32) return b;
  }
  return "must be 32 bytes written as 64 hex digits or in base64 (e.g. the output of `openssl rand -base64 32`)";
}

/** A short public name of a key: the first 8 hex digits of a SHA-256 over it. */
export const keyId = (key: Buffer): string =>
  createHash("sha256").update("yardstick-secret-key-id:").update(key).digest("hex").slice(0, 8);

/** Whether a stored value is the envelope (else it is a plain-text secret from before encryption). */
export const isSealed = (stored: string): boolean => stored.startsWith(PREFIX);

/** Seals `plain` under `key`, bound to `context` (the source's org and id). */
export function seal(key: Buffer, plain: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  const parts = [keyId(key), iv, body, cipher.getAuthTag()].map((p) =>
    typeof p === "string" ? p : p.toString("base64url"),
  );
  return PREFIX + parts.join(":");
}

/**
 * Opens a stored value: the envelope under `key` (null: the server has none), or plain text as is.
 * Throws SecretError for no key, another key, or a value changed since it was sealed.
 */
export function open(key: Buffer | null, stored: string, context: string): string {
  if (!isSealed(stored)) return stored;
  const [id, iv, body, tag, ...extra] = stored.slice(PREFIX.length).split(":");
  if (!id || iv === undefined || body === undefined || tag === undefined || extra.length > 0)
    throw new SecretError("the stored secret is not a readable envelope: save the secret again");
  if (key === null)
    throw new SecretError(
      `the stored secret is encrypted (key ${id}) but this server has no key: set YARDSTICK_SECRET_KEY to the key it was saved with`,
    );
  if (id !== keyId(key))
    throw new SecretError(
      `the stored secret was encrypted under another key (key ${id}; this server's is ${keyId(key)}): set YARDSTICK_SECRET_KEY to the key it was saved with, or save the secret again`,
    );
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new SecretError(
      "the stored secret fails its integrity check (changed or corrupt since it was saved): save the secret again",
    );
  }
}

export type SecretEnv = {
  YARDSTICK_SECRET_KEY?: string | undefined;
  DATABASE_URL?: string | undefined;
  YARDSTICK_DATA_DIR?: string | undefined;
};

/** The reason a server has no key, shown when a secret is refused. */
export const NO_KEY =
  "this server keeps no secrets: on PostgreSQL set YARDSTICK_SECRET_KEY (32 bytes, e.g. `openssl rand -base64 32`) on every server process";

/** Reads the data folder's key file, creating it (owner-only) when missing. */
function keyFromFile(dataDir: string): Buffer {
  const path = join(resolve(dataDir), KEY_FILE);
  try {
    const parsed = parseSecretKey(readFileSync(path, "utf8"));
    if (typeof parsed === "string") throw new SecretError(`${path}: ${parsed}`);
    return parsed;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  try {
    // `wx`: two callers racing to create it end with one key (the loser reads the winner's).
    writeFileSync(path, `${randomBytes(32).toString("base64")}\n`, { flag: "wx", mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  return keyFromFile(dataDir);
}

/**
 * The server's key from its settings: `YARDSTICK_SECRET_KEY`; else, on the embedded database (no
 * `DATABASE_URL`), the data folder's key file, made on first use; else null.
 */
export function keyFromEnv(env: SecretEnv): Buffer | null {
  const set = env.YARDSTICK_SECRET_KEY?.trim();
  if (set) {
    const parsed = parseSecretKey(set);
    if (typeof parsed === "string") throw new SecretError(`YARDSTICK_SECRET_KEY: ${parsed}`);
    return parsed;
  }
  if (env.DATABASE_URL?.trim()) return null;
  return keyFromFile(env.YARDSTICK_DATA_DIR?.trim() || "./data");
}

/** Where a service gets the key; read when a secret is first sealed or opened, not at start. */
export type SecretKeySource = () => Buffer | null;

const cache = new Map<string, Buffer | null>();

/** The key from the process environment, read once per distinct setting. */
export const envSecretKey: SecretKeySource = () => {
  const env = {
    YARDSTICK_SECRET_KEY: process.env.YARDSTICK_SECRET_KEY,
    DATABASE_URL: process.env.DATABASE_URL,
    YARDSTICK_DATA_DIR: process.env.YARDSTICK_DATA_DIR,
  };
  const k = JSON.stringify(env);
  if (!cache.has(k)) cache.set(k, keyFromEnv(env));
  return cache.get(k) ?? null;
};

/** The additional data a source's secret is bound to. */
export const secretContext = (orgId: string, sourceId: string): string => `data_source:${orgId}:${sourceId}`;
