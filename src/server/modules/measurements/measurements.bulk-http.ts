/**
 * The bulk write's HTTP use case (`POST /api/v1/measurements`): each element of the body parsed on
 * its own, the rows written through `writeMeasurementRows` in one transaction, the answer kept for
 * the `Idempotency-Key`.
 */
import type { Actor } from "../../actor.ts";
import type { Clock } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";
import { AppError, type FieldError } from "../../errors.ts";
import { withIdempotency } from "../../http/idempotency.ts";
import { prepareWrite, writePrepared } from "./measurements.bulk.ts";
import { judgeAhead, type WrittenAhead } from "./measurements.bulk-ahead.ts";
import { createWriteSequence } from "./measurements.bulk-sequence.ts";
import type { RowFault } from "./measurements.plan.ts";
import {
  type BulkMeasurementResult,
  BulkMeasurementRow,
  type BulkMeasurementRowInput,
  MAX_BULK_ROWS,
} from "./measurements.schema.ts";

const BULK_ROUTE = "POST /api/v1/measurements";

/** Faults as problem-details errors, each naming its row: `rows[3].value`. */
export const rowErrors = (faults: RowFault[]): FieldError[] =>
  [...faults]
    .sort((a, b) => a.index - b.index)
    .map((f) => ({
      field: f.field ? `rows[${f.index}].${f.field}` : `rows[${f.index}]`,
      message: f.message,
    }));

/** Marks an NDJSON line that is not JSON (see the route's content-type parser). */
export const NDJSON_FAULT = "__ndjsonLineError";

/** Each element of the body parsed on its own, so one malformed row rejects only itself. */
function parseRows(body: unknown[]): { rows: (BulkMeasurementRowInput | undefined)[]; faults: RowFault[] } {
  const faults: RowFault[] = [];
  const rows = body.map((raw, index) => {
    const lineError = (raw as Record<string, unknown> | null)?.[NDJSON_FAULT];
    if (typeof lineError === "string") {
      faults.push({ index, field: "", message: lineError, code: "invalid" });
      return undefined;
    }
    const parsed = BulkMeasurementRow.safeParse(raw);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues)
      faults.push({
        index,
        field: issue.path.map(String).join("."),
        message: issue.message,
        code: "invalid",
      });
    return undefined;
  });
  return { rows, faults };
}

export function createBulkMeasurementsService(deps: { db: Db; clock: Clock }) {
  const sequence = createWriteSequence();
  return {
    /**
     * The HTTP use case: `body` is the request's rows, each parsed here on its own. 400 when the body
     * is not 1..5,000 rows or when no row could be written (every fault named `rows[i].field`, nothing
     * written); 403 when a row's metric is one the caller may not record; else 201 with the counts and
     * each rejected row. Honours `Idempotency-Key`: a retry answers the first answer, writes nothing.
     */
    async recordBulk(
      actor: Actor,
      body: unknown,
      idempotencyKey: string | undefined,
    ): Promise<{ status: number; body: BulkMeasurementResult; replayed: boolean }> {
      if (!Array.isArray(body) || body.length === 0)
        throw new AppError("invalid", {
          field: "rows",
          message: "send a JSON array (or NDJSON lines) of at least one row",
        });
      if (body.length > MAX_BULK_ROWS)
        throw new AppError("invalid", {
          field: "rows",
          message: `send at most ${MAX_BULK_ROWS} rows per request`,
        });
      // The turn is taken in the order requests arrive. Once the write before this one has handed
      // its rows to the database, this one's rows are parsed, planned and judged outside any
      // transaction, while the database inserts those rows.
      const turn = sequence.take(actor.orgId);
      let judged: WrittenAhead | null = null;
      try {
        const before = await turn.before();
        const parsed = parseRows(body);
        const good = parsed.rows.flatMap((r, index) => (r ? [{ r, index }] : []));
        const prepared = await prepareWrite(
          deps.db,
          deps.clock,
          actor,
          good.map((g) => g.r),
        );
        const ahead = await judgeAhead(deps.db, deps.clock, actor, prepared, before);
        const committedBefore = await turn.committedBefore();
        // judged on top of a write that did not commit what it judged: judged again under the lock
        const holds = before === null || committedBefore === before;
        const answer = await withIdempotency(
          deps.db,
          { orgId: actor.orgId, actorId: actor.personId, route: BULK_ROUTE, key: idempotencyKey, body },
          async (tx) => {
            const written = await writePrepared(tx, deps.clock, actor, prepared, {
              ahead: holds ? ahead : null,
              // a state judged ahead on has this write's rows in it: the fallback reads afresh
              carried: ahead ? null : committedBefore,
              onJudged: (w) => {
                judged = w;
              },
              onRowsSent: () => {
                if (judged) turn.sent(judged);
              },
            });
            return answerOf(body, good, parsed.faults, written);
          },
        );
        // committed (a replay wrote nothing, and judged nothing)
        turn.end(answer.replayed ? null : judged);
        return { ...answer, body: answer.body as BulkMeasurementResult };
      } catch (err) {
        turn.end(null);
        throw err;
      }
    },
  };
}

/** The answer to a bulk request: counts, each written row's id and findings, each rejected row. */
function answerOf(
  body: unknown[],
  good: { index: number }[],
  faults: RowFault[],
  written: Awaited<ReturnType<typeof writePrepared>>,
): { status: number; body: BulkMeasurementResult } {
  const rejected: RowFault[] = [...faults];
  const ids: (string | null)[] = body.map(() => null);
  const findings: BulkMeasurementResult["findings"] = [];
  for (const o of written.outcomes) {
    const index = good[o.index]?.index ?? o.index;
    if (o.status === "rejected")
      for (const e of o.errors) rejected.push({ index, field: e.field, message: e.message, code: "invalid" });
    else {
      ids[index] = o.id;
      for (const f of o.findings)
        findings.push({ index, rule: f.rule, outcome: f.outcome, message: f.message });
    }
  }
  if (written.batchId === null) throw new AppError("invalid", rowErrors(rejected));
  const result: BulkMeasurementResult = {
    accepted: written.counts.accepted,
    flagged: written.counts.flagged,
    quarantined: written.counts.quarantined,
    counts: { ...written.counts, rejected: body.length - ids.filter((id) => id !== null).length },
    rejected: rejected
      .sort((a, b) => a.index - b.index)
      .map((f) => ({ index: f.index, field: f.field, message: f.message })),
    findings,
    batchId: written.batchId,
    ids,
  };
  return { status: 201, body: result };
}
