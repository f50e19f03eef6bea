/**
 * Committing an import: the file is read again and written through the measurements module's bulk
 * write in chunks, one transaction per chunk. The chunk's measurements, its problems and the
 * import's progress (chunks and rows done, counts) commit together, so after a crash the import
 * resumes after its last committed chunk: never doubled, never half. Chunks are counted over all
 * data rows of the file, so they are the same on every read.
 */
import type { Actor } from "../../actor.ts";
import type { Clock } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";
import { AppError } from "../../errors.ts";
import { appendAudit } from "../audit/audit.service.ts";
import { type PreparedWrite, prepareWrite, writePrepared } from "../measurements/measurements.bulk.ts";
import { type JudgedAhead, judgeAhead, type WrittenAhead } from "../measurements/measurements.bulk-ahead.ts";
import type { BulkMeasurementRow } from "../measurements/measurements.schema.ts";
import { findPersonSummary } from "../people/people.service.ts";
import { createProgressService, type SeriesKey } from "../progress/progress.service.ts";
import { type CheckedRow, createRowChecker } from "./imports.check.ts";
import { PROBLEM_SLOTS } from "./imports.dry-run.ts";
import { removeUpload } from "./imports.files.ts";
import { type FileFormat, type FileRow, readChunks } from "./imports.parse.ts";
import {
  type ImportRow,
  insertProblems,
  lockImport,
  type ProblemInsert,
  updateImport,
} from "./imports.repo.ts";
import type { ColumnMapping } from "./imports.rows.ts";

/**
 * Rows per chunk (and per transaction); YARDSTICK_IMPORT_CHUNK_ROWS for tests. 10,000 rather than
 * 5,000: each chunk costs its transaction's round trips and a read of each of its series, and at 1 M
 * rows the commit went 31.1 s → 26.5 s (PostgreSQL CPU 19.8 → 16.3 s) for ~65 MiB more peak memory
 * (bench/import.ts). A chunk's rows are held twice at most (one writing, the next judged ahead).
 */
export const IMPORT_CHUNK_ROWS = 10_000;
export const chunkRows = (): number => {
  const v = Number(process.env.YARDSTICK_IMPORT_CHUNK_ROWS);
  return Number.isInteger(v) && v > 0 && v <= IMPORT_CHUNK_ROWS ? v : IMPORT_CHUNK_ROWS;
};

/** Another runner moved the import on (or it was stopped): this one leaves it alone. */
class NotOurs extends Error {}

export type ChunkProgress = { rowsDone: number; totalRows: number; chunksDone: number };

/** The person who started the import, as an actor with their current roles. */
async function actorOf(db: Db, imp: ImportRow): Promise<Actor> {
  const p = await findPersonSummary(db, imp.orgId, imp.createdBy);
  if (!p) throw new AppError("forbidden", "the person who started this import no longer exists");
  return { orgId: imp.orgId, personId: p.id, roles: p.roles, unitId: p.unitId };
}

const BULK_TO_FIELD: Record<
  string,
  "metric" | "scope" | "scopeType" | "periodStart" | "periodEnd" | "value"
> = {
  metricId: "metric",
  metricKey: "metric",
  scopeId: "scope",
  scopeType: "scopeType",
  periodStart: "periodStart",
  periodEnd: "periodEnd",
  supersedes: "periodStart",
  value: "value",
};

/** A chunk's checked rows, and the rows to write read, planned and (when it could be) judged ahead. */
type ReadyChunk = {
  checked: CheckedRow[];
  pending: CheckedRow[];
  prepared: PreparedWrite | null;
  ahead: JudgedAhead | null;
};

/** What a chunk's write decided: its counts, and the rows it refused (they become problems). */
type ChunkDecided = {
  accepted: number;
  flagged: number;
  quarantined: number;
  refused: Map<CheckedRow, { column: string; message: string }>;
};

/**
 * Writes one chunk's good rows through the measurements module's write, inside the chunk's
 * transaction, carrying the import's id as their batch. Rows it refuses become problems: `record`
 * writes them and the import's progress before the rows are sent (see `beforeInsert`), and
 * `onRowsSent` hears that the rows were handed to the database.
 */
async function writeChunk(
  tx: Db,
  clock: Clock,
  actor: Actor,
  importId: string,
  chunk: ReadyChunk,
  mapping: ColumnMapping,
  hooks: {
    onJudged: (w: WrittenAhead) => void;
    record: (decided: ChunkDecided) => Promise<void>;
    onRowsSent: () => void;
  },
): Promise<SeriesKey[]> {
  const { pending, prepared } = chunk;
  if (!prepared) {
    hooks.onJudged({ judged: [], locked: new Map(), state: null });
    await hooks.record({ accepted: 0, flagged: 0, quarantined: 0, refused: new Map() });
    return [];
  }
  const columnOf = (field: string) => {
    const f = BULK_TO_FIELD[field.split(".")[0] ?? ""];
    return f ? (mapping[f] ?? f) : field || "row";
  };
  const written = await writePrepared(tx, clock, actor, prepared, {
    batchId: importId,
    recompute: false,
    ahead: chunk.ahead,
    onJudged: hooks.onJudged,
    onRowsSent: hooks.onRowsSent,
    beforeInsert: async ({ outcomes, counts }) => {
      const refused: ChunkDecided["refused"] = new Map();
      for (const o of outcomes) {
        const row = pending[o.index];
        if (o.status !== "rejected" || !row) continue;
        const e = o.errors[0];
        refused.set(row, {
          column: columnOf(e?.field ?? ""),
          message: e?.message ?? "refused by the measurement write",
        });
      }
      const { accepted, flagged, quarantined } = counts;
      await hooks.record({ accepted, flagged, quarantined, refused });
    },
  });
  return written.series;
}

/**
 * Runs (or resumes) a `running` import to its end. `onChunk` hears each committed chunk; `stopped`
 * is asked between chunks (a server shutting down leaves the import running, to resume later).
 */
export async function runImport(
  deps: { db: Db; clock: Clock },
  imp: ImportRow,
  opts: { onChunk?: (p: ChunkProgress) => void; stopped?: () => boolean } = {},
): Promise<ImportRow["status"]> {
  const { db, clock } = deps;
  const orgId = imp.orgId;
  const size = chunkRows();
  // the chunk whose transaction is running (see below)
  let inflight: Promise<void> = Promise.resolve();
  try {
    const actor = await actorOf(db, imp);
    const { today, timeZone } = await createProgressService(deps).orgContext(orgId);
    const mapping = imp.mapping as ColumnMapping;
    const checker = createRowChecker({
      db,
      actor,
      headers: imp.columns,
      mapping,
      sourceName: imp.sourceName,
      today,
      timeZone,
    });
    let chunk = 0;
    let index = 0;
    // the series the import writes: their goals are recomputed once, when the import is done
    const series = new Map<string, SeriesKey>();
    const touch = (k: SeriesKey) => series.set(`${k.metricId}|${k.scopeType}|${k.scopeId}`, k);
    let rowsDone = imp.rowsDone;
    // Chunk n+1 is read, checked, planned and judged (JavaScript) while chunk n's transaction inserts
    // in the database: it is judged against the stored values plus chunk n's rows as soon as chunk n
    // is judged, and chunk n+1's transaction takes that judgement when nothing else wrote to its
    // metrics in between (measurements.bulk-ahead.ts). The transactions stay one at a time, in order.
    let previous: Promise<WrittenAhead | null> = Promise.resolve(null);
    let failure: { error: unknown } | null = null;
    const commitChunk = async (rows: FileRow[]) => {
      const first = index;
      index += rows.length;
      // Rows of committed chunks are checked again all the same: they hold keys a later duplicate names.
      const checked = await checker.check(rows);
      const n = chunk++;
      if (n < imp.chunksDone) {
        // written before a restart: their series are recomputed at the end like the rest (the chunks
        // written now report theirs from the write)
        for (const r of checked) {
          const b = r.bulk;
          if (b?.metricId)
            touch({ metricId: b.metricId, scopeType: b.scopeType, scopeId: b.scopeId ?? orgId });
        }
        return;
      }
      if (opts.stopped?.()) throw new NotOurs();
      const pending = checked.filter((r) => r.bulk !== null);
      const bulk = pending.map((r) => r.bulk as BulkMeasurementRow);
      const prepared = pending.length > 0 ? await prepareWrite(db, clock, actor, bulk) : null;
      const before = await previous;
      const ahead =
        prepared && !failure ? await judgeAhead(db, clock, actor, prepared, before, imp.id) : null;
      await inflight;
      if (failure) throw failure.error;
      let judged: (w: WrittenAhead | null) => void = () => {};
      previous = new Promise((resolve) => {
        judged = resolve;
      });
      let rowsSent: () => void = () => {};
      const sent = new Promise<void>((resolve) => {
        rowsSent = resolve;
      });
      // Not awaited here: the caller goes on reading; a failure is kept and thrown at the next chunk
      // or at the end (a handler is attached at once, so it is never an unhandled rejection).
      const ready: ReadyChunk = { checked, pending, prepared, ahead };
      inflight = writeInTransaction(n, first, rows.length, ready, judged, rowsSent)
        .catch((error: unknown) => {
          failure = { error };
          judged(null);
        })
        .finally(rowsSent);
      // The chunk's short statements run while this runner waits (a millisecond or two); its rows'
      // COPY then runs while the next chunk is read and judged. Going on at once, each of them waited
      // for the event loop while JavaScript judged the next chunk (ADR 007, third addendum).
      await sent;
    };
    const writeInTransaction = async (
      n: number,
      first: number,
      count: number,
      ready: ReadyChunk,
      onJudged: (w: WrittenAhead) => void,
      onRowsSent: () => void,
    ) => {
      const { checked } = ready;
      await db.transaction(async (tx) => {
        const locked = await lockImport(tx, orgId, imp.id);
        if (locked?.status !== "running" || locked.chunksDone !== n) throw new NotOurs();
        const record = async (written: ChunkDecided) => {
          const problems: ProblemInsert[] = [];
          checked.forEach((r, i) => {
            const faults =
              r.faults.length > 0 ? r.faults : written.refused.has(r) ? [written.refused.get(r)] : [];
            faults.slice(0, PROBLEM_SLOTS - 1).forEach((f, j) => {
              if (f)
                problems.push({
                  orgId,
                  importId: imp.id,
                  seq: (first + i + 1) * PROBLEM_SLOTS + j,
                  rowNumber: r.rowNumber,
                  column: f.column,
                  message: f.message,
                  phase: "commit",
                });
            });
          });
          await insertProblems(tx, problems);
          const rejected = checked.filter((r) => r.faults.length > 0 || written.refused.has(r)).length;
          rowsDone = locked.rowsDone + count;
          await updateImport(tx, orgId, imp.id, {
            chunksDone: n + 1,
            rowsDone,
            accepted: locked.accepted + written.accepted,
            flagged: locked.flagged + written.flagged,
            quarantined: locked.quarantined + written.quarantined,
            rejected: locked.rejected + rejected,
            updatedAt: clock.now().toISOString(),
          });
        };
        const series = await writeChunk(tx, clock, actor, imp.id, ready, mapping, {
          onJudged,
          record,
          onRowsSent,
        });
        for (const k of series) touch(k);
      });
      opts.onChunk?.({ rowsDone, totalRows: imp.totalRows, chunksDone: n + 1 });
    };
    const { chunks } = await readChunks(imp.filePath, imp.format as FileFormat, size);
    for await (const rows of chunks) await commitChunk(rows);
    await inflight;
    if (failure) throw (failure as { error: unknown }).error;
    await finish(deps, imp, actor.personId, "done", null, [...series.values()]);
    return "done";
  } catch (err) {
    // a chunk still committing ends first (it never rejects: its failure is kept), then the import
    await inflight;
    if (err instanceof NotOurs) return "running";
    const message =
      err instanceof AppError
        ? err.message
        : (err as NodeJS.ErrnoException).code === "ENOENT"
          ? "the uploaded file is gone (was the import folder cleared?); upload the file again"
          : `the import stopped on an unexpected error: ${(err as Error).message}`;
    await finish(deps, imp, imp.createdBy, "failed", message);
    return "failed";
  }
}

async function finish(
  deps: { db: Db; clock: Clock },
  imp: ImportRow,
  actorId: string,
  status: "done" | "failed",
  error: string | null,
  series: SeriesKey[] = [],
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const locked = await lockImport(tx, imp.orgId, imp.id);
    if (locked?.status !== "running") return;
    // the figures of the goals reading what was imported, now that it is all in
    await createProgressService({ db: tx, clock: deps.clock }).recomputeForSeries(tx, imp.orgId, series);
    await updateImport(tx, imp.orgId, imp.id, {
      status,
      error,
      updatedAt: now.toISOString(),
      finishedAt: now.toISOString(),
    });
    await appendAudit(tx, { orgId: imp.orgId, actorId, at: now }, [
      {
        action: status === "done" ? "import.committed" : "import.failed",
        entityType: "import",
        entityId: imp.id,
        data: {
          fileName: locked.fileName,
          rows: locked.totalRows,
          accepted: locked.accepted,
          flagged: locked.flagged,
          quarantined: locked.quarantined,
          rejected: locked.rejected,
          ...(error ? { error } : {}),
        },
      },
    ]);
  });
  await removeUpload(imp.filePath);
}
