import { uuidv7 } from "uuidv7";
import { type Actor, readsEverything } from "../../actor.ts";
import type { Clock } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";
import { AppError } from "../../errors.ts";
import { decodeCursor, toPage } from "../../http/pagination.ts";
import { batchDigestMismatch } from "../measurements/measurements.digest-check.ts";
import * as repo from "./audit.repo.ts";
import { hashEvent } from "./audit-chain.ts";

export type AuditEventInput = {
  action: string;
  entityType: string;
  entityId: string;
  data: Record<string, unknown>;
};

/**
 * Appends events to the organisation's hash chain. Call it inside the transaction that makes the
 * change, so the change and its record commit or fail together.
 */
export async function appendAudit(
  tx: Db,
  ctx: { orgId: string; actorId: string | null; at: Date },
  events: AuditEventInput[],
): Promise<void> {
  if (events.length === 0) return;
  const head = await repo.lockChainHead(tx, ctx.orgId);
  if (!head) throw new AppError("not_found", "organisation was not found");
  let { seq, head: prevHash } = head;
  for (const e of events) {
    seq += 1;
    const event = {
      orgId: ctx.orgId,
      seq,
      id: uuidv7(),
      at: ctx.at.toISOString(),
      actorId: ctx.actorId,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId,
      // jsonb drops undefined; normalise now so the hash covers what is stored
      data: JSON.parse(JSON.stringify(e.data)) as Record<string, unknown>,
    };
    const hash = hashEvent(prevHash, event);
    await repo.insertEvent(tx, { ...event, prevHash, hash });
    prevHash = hash;
  }
}

export type ChainVerification =
  | { ok: true; checked: number; head: string }
  | { ok: false; checked: number; firstBreak: { seq: number; reason: string } };

/** A bulk measurement write: its event carries a digest of the rows it wrote (ADR 006). */
const BULK_RECORDED = "measurement.bulk_recorded";

/**
 * Re-walks the chain from the first event and reports the first event whose hash does not hold, or
 * whose bulk measurement rows no longer match the digest it recorded.
 */
export async function verifyChain(db: Db, orgId: string): Promise<ChainVerification> {
  let prevHash = "";
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const batch = await repo.readChainBatch(db, orgId, expectedSeq - 1, 5000);
    if (batch.length === 0) break;
    for (const row of batch) {
      const { prevHash: storedPrev, hash, ...event } = row;
      const fail = (reason: string): ChainVerification => ({
        ok: false,
        checked,
        firstBreak: { seq: row.seq, reason },
      });
      if (row.seq !== expectedSeq) return fail(`event ${expectedSeq} is missing`);
      if (storedPrev !== prevHash) return fail("previous hash does not match the event before it");
      if (hashEvent(prevHash, event) !== hash) return fail("event content does not match its hash");
      if (row.action === BULK_RECORDED) {
        const mismatch = await batchDigestMismatch(db, orgId, row.entityId, row.data.digest);
        if (mismatch) return fail(mismatch);
      }
      prevHash = hash;
      expectedSeq += 1;
      checked += 1;
    }
  }
  const head = await repo.chainHead(db, orgId);
  if (head && head.seq !== checked) {
    return {
      ok: false,
      checked,
      firstBreak: { seq: checked + 1, reason: `event ${checked + 1} is missing` },
    };
  }
  if (head && head.head !== prevHash) {
    return {
      ok: false,
      checked,
      firstBreak: { seq: checked, reason: "chain head does not match the last event" },
    };
  }
  return { ok: true, checked, head: prevHash };
}

export function createAuditService(deps: { db: Db; clock: Clock }) {
  const assertReader = (actor: Actor) => {
    if (!readsEverything(actor))
      throw new AppError(
        "forbidden",
        "only administrators, the performance office and auditors read the audit log",
      );
  };
  return {
    async listEvents(
      actor: Actor,
      q: { limit: number; cursor?: string; entityType?: string; entityId?: string; action?: string },
    ) {
      assertReader(actor);
      const before = decodeCursor(q.cursor);
      const rows = await repo.listEvents(deps.db, actor.orgId, {
        limit: q.limit + 1,
        ...(before !== undefined ? { beforeSeq: Number(before) } : {}),
        ...(q.entityType ? { entityType: q.entityType } : {}),
        ...(q.entityId ? { entityId: q.entityId } : {}),
        ...(q.action ? { action: q.action } : {}),
      });
      return toPage(rows, q.limit, (r) => r.seq);
    },
    async verify(actor: Actor) {
      assertReader(actor);
      return verifyChain(deps.db, actor.orgId);
    },
  };
}
