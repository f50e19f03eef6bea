/**
 * `Idempotency-Key` for writes a client may retry (measurements, check-ins). The first request with a
 * key runs and its answer is stored with the key, in the same transaction as the write; a retry with
 * the same key and the same body gets that answer back and writes nothing; the same key with another
 * body (or on another route) is a 409. Failed requests (thrown errors) store nothing, so a client can
 * fix its input and retry with the same key.
 */
import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/connection.ts";
import { idempotencyKeys } from "../db/schema.ts";
import { AppError } from "../errors.ts";
import { canonicalJson } from "../modules/audit/canonical-json.ts";

/** The header as routes declare it (Fastify lower-cases header names). */
export const IdempotencyHeaders = z.object({
  "idempotency-key": z
    .string()
    .trim()
    .min(1, "give a non-empty key, e.g. a UUID")
    .max(255, "keys are at most 255 characters")
    .optional()
    .describe("a retry with the same key and body answers the first answer again and writes nothing"),
});

export type IdempotencyRequest = {
  orgId: string;
  actorId: string;
  /** method and concrete path, e.g. "POST /api/v1/metrics/<id>/measurements": a key is for one target */
  route: string;
  key: string | undefined;
  body: unknown;
};

export type IdempotentAnswer = { status: number; body: unknown };

/** sha256 of the body's canonical JSON: key order does not make two bodies differ. */
export function hashRequest(body: unknown): string {
  return createHash("sha256").update(canonicalJson(body)).digest("hex");
}

/** Thrown inside the transaction when a concurrent request with the same key committed first. */
class KeyTakenMeanwhile extends Error {}

async function findKey(db: Db, req: IdempotencyRequest & { key: string }) {
  const rows = await db
    .select()
    .from(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.orgId, req.orgId),
        eq(idempotencyKeys.actorId, req.actorId),
        eq(idempotencyKeys.key, req.key),
      ),
    );
  return rows[0];
}

function replay(
  stored: typeof idempotencyKeys.$inferSelect,
  route: string,
  requestHash: string,
): IdempotentAnswer & { replayed: true } {
  if (stored.route !== route || stored.requestHash !== requestHash) {
    throw new AppError("conflict", {
      field: "Idempotency-Key",
      message: "this key was already used for a different request; send a new key for a new request",
    });
  }
  return { status: stored.statusCode, body: stored.response, replayed: true };
}

/**
 * Runs `run` in one transaction, at most once per (organisation, caller, key). Without a key it just
 * runs. The key row is claimed first, inside the transaction, so a concurrent request with the same
 * key waits for this one and then answers with its result instead of writing again.
 */
export async function withIdempotency(
  db: Db,
  req: IdempotencyRequest,
  run: (tx: Db) => Promise<IdempotentAnswer>,
): Promise<IdempotentAnswer & { replayed: boolean }> {
  const key = req.key;
  if (key === undefined) return { ...(await db.transaction(run)), replayed: false };
  const keyed = { ...req, key };
  const requestHash = hashRequest(req.body);
  const earlier = await findKey(db, keyed);
  if (earlier) return replay(earlier, req.route, requestHash);
  try {
    return await db.transaction(async (tx) => {
      const claimed = await tx
        .insert(idempotencyKeys)
        .values({
          orgId: req.orgId,
          actorId: req.actorId,
          key,
          route: req.route,
          requestHash,
          statusCode: 0,
          response: {},
        })
        .onConflictDoNothing()
        .returning({ key: idempotencyKeys.key });
      if (claimed.length === 0) throw new KeyTakenMeanwhile();
      const answer = await run(tx);
      await tx
        .update(idempotencyKeys)
        .set({ statusCode: answer.status, response: answer.body === undefined ? {} : answer.body })
        .where(
          and(
            eq(idempotencyKeys.orgId, req.orgId),
            eq(idempotencyKeys.actorId, req.actorId),
            eq(idempotencyKeys.key, key),
          ),
        );
      return { ...answer, replayed: false };
    });
  } catch (err) {
    if (!(err instanceof KeyTakenMeanwhile)) throw err;
    const winner = await findKey(db, keyed);
    if (!winner) throw new AppError("conflict", "a request with this Idempotency-Key is in flight; retry");
    return replay(winner, req.route, requestHash);
  }
}
