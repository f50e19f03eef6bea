/**
 * What a judged bulk write sends to the database, made from its judgement with no I/O: the rows to
 * insert (encoded for COPY on PostgreSQL), their findings, and the audit event's account of them
 * (counts, digest). A write judged ahead of its transaction is also rendered ahead of it (ADR 007),
 * so that its transaction only sends: the database inserts write n while JavaScript renders n+1.
 */
import { uuidv7 } from "uuidv7";
import type { Actor } from "../../actor.ts";
import { type ReadyInsert, readyInsert } from "../../db/batch.ts";
import type { Db } from "../../db/connection.ts";
import { measurementFindings, measurements } from "../../db/schema.ts";
import type { AuditEventInput } from "../audit/audit.service.ts";
import { digestRows, LISTED_ROWS } from "./measurements.digest.ts";
import type { JudgedRow, Judgement } from "./measurements.judge.ts";
import { toInsertRow } from "./measurements.plan.ts";
import type { MeasurementRecord } from "./measurements.repo.ts";

export type RenderedWrite = {
  /** carried by every row written; null when none is */
  batchId: string | null;
  /** when the rows are recorded (their `recordedAt`, the audit event's instant) */
  now: Date;
  measurements: ReadyInsert<typeof measurements>;
  findings: ReadyInsert<typeof measurementFindings>;
  /** the batch's audit event; null when no row is written */
  audit: AuditEventInput | null;
};

type InsertRow = ReturnType<typeof toInsertRow>;

/**
 * What the batch's audit event says about its rows: always their digest; each row in full when the
 * batch is small, else only the corrections (old value → new), so a reader sees what was replaced.
 */
function auditedRows(inserted: InsertRow[], judged: JudgedRow[], targets: Map<string, MeasurementRecord>) {
  const all = inserted.length <= LISTED_ROWS;
  const described: Record<string, unknown>[] = [];
  // `inserted[i]` is `judged[i]` as written
  inserted.forEach((m, i) => {
    if (!all && m.supersedesId === null) return;
    const old = m.supersedesId !== null ? targets.get(m.supersedesId) : undefined;
    const { orgId: _o, batchId: _b, recordedAt: _r, recordedBy: _by, ...row } = m;
    const findings = judged[i]?.findings.map((f) => f.rule) ?? [];
    described.push({
      ...row,
      ...(old ? { from: old.value } : {}),
      ...(findings.length > 0 ? { findings } : {}),
    });
  });
  return {
    digest: digestRows(inserted),
    ...(all ? { rows: described } : { corrections: described }),
  };
}

/**
 * Renders `judgement` (of a write of `given` rows) for `db` (the pool or the write's transaction:
 * on PostgreSQL the rows are encoded for COPY). `batchId` is the batch the rows carry (a new one by
 * default).
 */
export function renderWrite(
  db: Db,
  actor: Actor,
  judgement: Judgement,
  given: number,
  options: { now: Date; batchId?: string | undefined },
): RenderedWrite {
  const { judged, targets } = judgement;
  const { orgId } = actor;
  const { now } = options;
  const batchId = judged.length > 0 ? (options.batchId ?? uuidv7()) : null;
  const recordedAt = now.toISOString();
  const inserted = judged.map((j) =>
    toInsertRow(orgId, j.row, {
      id: j.id,
      recordedAt,
      recordedBy: actor.personId,
      batchId,
      validationState: j.state,
      supersedesId: j.supersedesId,
    }),
  );
  const findings = judged.flatMap((j) =>
    j.findings.map((f) => ({
      orgId,
      measurementId: j.id,
      rule: f.rule,
      outcome: f.outcome,
      message: f.message,
      details: f.details,
    })),
  );
  const counts = { accepted: 0, flagged: 0, quarantined: 0 };
  for (const j of judged) counts[j.state] += 1;
  return {
    batchId,
    now,
    measurements: readyInsert(db, measurements, inserted),
    findings: readyInsert(db, measurementFindings, findings),
    audit:
      inserted.length === 0
        ? null
        : {
            action: "measurement.bulk_recorded",
            entityType: "measurement_batch",
            entityId: batchId ?? "",
            data: { ...counts, rejected: given - judged.length, ...auditedRows(inserted, judged, targets) },
          },
  };
}
