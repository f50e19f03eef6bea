/**
 * Checking a bulk write's audit event against the rows it recorded (ADR 006): the rows of its batch
 * with ids from `firstId` to `lastId` are read again (a primary-key range: ids are time-ordered) and
 * digested the same way. `yardstick audit verify` and `GET /audit-events/verify` call this for every
 * `measurement.bulk_recorded` event that carries a digest.
 */
import type { Db } from "../../db/connection.ts";
import { digestRows, type RowsDigest } from "./measurements.digest.ts";
import { listBatchRows } from "./measurements.repo.ts";

const isDigest = (x: unknown): x is RowsDigest => {
  const d = x as Partial<RowsDigest> | null;
  return (
    typeof d === "object" &&
    d !== null &&
    typeof d.count === "number" &&
    typeof d.firstId === "string" &&
    typeof d.lastId === "string" &&
    typeof d.sha256 === "string"
  );
};

/**
 * Why the rows of batch `batchId` no longer match the digest its event recorded, or null when they
 * do (or the event carries no digest: events written before ADR 006 copied their rows instead).
 */
export async function batchDigestMismatch(
  db: Db,
  orgId: string,
  batchId: string,
  recorded: unknown,
): Promise<string | null> {
  if (!isDigest(recorded)) return null;
  const rows = await listBatchRows(db, orgId, batchId, recorded.firstId, recorded.lastId);
  const now = digestRows(rows);
  if (now?.sha256 === recorded.sha256 && now.count === recorded.count) return null;
  return rows.length !== recorded.count
    ? `batch ${batchId} recorded ${recorded.count} measurements; the database holds ${rows.length}`
    : `the measurements of batch ${batchId} no longer match the digest its event recorded`;
}
