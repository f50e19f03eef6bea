/**
 * Use cases of measurement file imports: upload (with its dry run), preview again with another
 * mapping, commit (chunked, in the background, resumable), read one, list, problems (page or CSV).
 */
import { uuidv7 } from "uuidv7";
import type { Actor } from "../../actor.ts";
import type { Clock } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";
import { AppError, notFound } from "../../errors.ts";
import { decodeCursor, toPage } from "../../http/pagination.ts";
import { appendAudit } from "../audit/audit.service.ts";
import { createProgressService } from "../progress/progress.service.ts";
import { dryRun, readHeaders } from "./imports.dry-run.ts";
import { importMaxBytes, removeUpload, storeUpload } from "./imports.files.ts";
import { detectFormat, type FileFormat } from "./imports.parse.ts";
import { canImport, canRunImport, canSeeImport } from "./imports.policy.ts";
import * as repo from "./imports.repo.ts";
import { type ColumnMapping, csvField, fitMapping, guessMapping } from "./imports.rows.ts";
import type {
  ColumnMappingInput,
  CommitInput,
  Import,
  ImportProblem,
  UploadQuery,
} from "./imports.schema.ts";

export function toImport(r: repo.ImportRow): Import {
  return {
    id: r.id,
    fileName: r.fileName,
    sourceName: r.sourceName,
    format: r.format as FileFormat,
    byteSize: r.byteSize,
    status: r.status as Import["status"],
    columns: r.columns,
    mapping: r.mapping as ColumnMappingInput,
    sample: r.sample as Import["sample"],
    totalRows: r.totalRows,
    validRows: r.validRows,
    problemRows: r.problemRows,
    progress: { rowsDone: r.rowsDone, totalRows: r.totalRows, chunksDone: r.chunksDone },
    outcome: { accepted: r.accepted, flagged: r.flagged, quarantined: r.quarantined, rejected: r.rejected },
    error: r.error,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    finishedAt: r.finishedAt,
  };
}

export function createImportsService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const progress = createProgressService(deps);

  async function visible(actor: Actor, id: string): Promise<repo.ImportRow> {
    const imp = await repo.findImport(db, actor.orgId, id);
    if (!imp || !canSeeImport(actor, imp)) throw notFound("import");
    return imp;
  }

  /** Runs the dry run and stores its outcome (problems replaced) in one transaction. */
  async function preview(actor: Actor, imp: repo.ImportRow, mapping: ColumnMapping) {
    const { today, timeZone } = await progress.orgContext(actor.orgId);
    const result = await dryRun({
      db,
      actor,
      path: imp.filePath,
      format: imp.format as FileFormat,
      mapping,
      sourceName: imp.sourceName,
      today,
      timeZone,
    });
    await db.transaction(async (tx) => {
      await repo.deleteProblems(tx, actor.orgId, imp.id);
      await repo.insertProblems(
        tx,
        result.problems.map((p) => ({ ...p, orgId: actor.orgId, importId: imp.id, phase: "preview" })),
      );
      await repo.updateImport(tx, actor.orgId, imp.id, {
        status: "previewed",
        columns: result.columns,
        mapping,
        sample: result.sample,
        totalRows: result.totalRows,
        validRows: result.mappingBroken ? 0 : result.validRows,
        problemRows: result.mappingBroken ? result.totalRows : result.problemRows,
        error: result.mappingBroken
          ? result.problems.map((p) => p.message).join("; ")
          : result.totalRows === 0
            ? "the file has no rows of data"
            : null,
        updatedAt: clock.now().toISOString(),
      });
    });
    return toImport((await repo.findImport(db, actor.orgId, imp.id)) as repo.ImportRow);
  }

  return {
    /**
     * Streams the file to disk (413 past the size limit), records the import and runs the dry run
     * with the mapping remembered for this source, else one guessed from the headers.
     */
    async upload(actor: Actor, body: NodeJS.ReadableStream, query: UploadQuery): Promise<Import> {
      if (!canImport(actor))
        throw new AppError(
          "forbidden",
          "only administrators, the performance office and data stewards import measurements",
        );
      const id = uuidv7();
      const stored = await storeUpload(body, id, importMaxBytes());
      try {
        const format = await detectFormat(stored.path);
        const headers = await readHeaders(stored.path, format);
        const remembered = await repo.findMapping(db, actor.orgId, query.sourceName);
        const mapping: ColumnMapping = remembered
          ? fitMapping(remembered as ColumnMapping, headers)
          : { ...guessMapping(headers), metricKey: null };
        if (query.metricKey) mapping.metricKey = query.metricKey;
        const now = clock.now();
        const row: repo.ImportInsert = {
          orgId: actor.orgId,
          id,
          fileName: query.fileName,
          sourceName: query.sourceName,
          format,
          byteSize: stored.bytes,
          filePath: stored.path,
          status: "previewed",
          createdBy: actor.personId,
          createdAt: now.toISOString(),
          updatedAt: now.toISOString(),
        };
        await db.transaction(async (tx) => {
          await repo.insertImport(tx, row);
          await appendAudit(tx, { orgId: actor.orgId, actorId: actor.personId, at: now }, [
            {
              action: "import.uploaded",
              entityType: "import",
              entityId: id,
              data: { fileName: query.fileName, sourceName: query.sourceName, format, bytes: stored.bytes },
            },
          ]);
        });
        return await preview(actor, (await repo.findImport(db, actor.orgId, id)) as repo.ImportRow, mapping);
      } catch (err) {
        await removeUpload(stored.path);
        throw err;
      }
    },

    /** The dry run again with another mapping (before the commit only). */
    async remap(actor: Actor, id: string, mapping: ColumnMappingInput): Promise<Import> {
      const imp = await visible(actor, id);
      if (!canRunImport(actor, imp))
        throw new AppError(
          "forbidden",
          "only the person who uploaded this file, an administrator or the performance office changes its mapping",
        );
      if (imp.status !== "previewed")
        throw new AppError(
          "conflict",
          `the import is ${imp.status}: its mapping can change only before the commit`,
        );
      return preview(actor, imp, mapping);
    },

    /**
     * Starts the commit: refuses a file with problems unless `skipInvalid`, remembers the mapping for
     * the source, marks the import running (audited). The caller then runs it (`runImport`).
     */
    async startCommit(actor: Actor, id: string, input: CommitInput): Promise<repo.ImportRow> {
      const imp = await visible(actor, id);
      if (!canRunImport(actor, imp))
        throw new AppError(
          "forbidden",
          "only the person who uploaded this file, an administrator or the performance office commits it",
        );
      if (imp.status !== "previewed")
        throw new AppError(
          "conflict",
          `the import is already ${imp.status}; upload the file again to import it again`,
        );
      if (imp.error) throw new AppError("invalid", { field: "mapping", message: imp.error });
      if (imp.problemRows > 0 && !input.skipInvalid)
        throw new AppError("invalid", {
          field: "skipInvalid",
          message: `${imp.problemRows} of ${imp.totalRows} rows have problems: fix the file or the mapping, or commit with skipInvalid to leave them out`,
        });
      const now = clock.now();
      await db.transaction(async (tx) => {
        const locked = await repo.lockImport(tx, actor.orgId, id);
        if (locked?.status !== "previewed")
          throw new AppError("conflict", "the import was started meanwhile");
        await repo.deleteProblems(tx, actor.orgId, id);
        await repo.updateImport(tx, actor.orgId, id, {
          status: "running",
          skipInvalid: input.skipInvalid,
          updatedAt: now.toISOString(),
        });
        await repo.saveMapping(tx, {
          orgId: actor.orgId,
          sourceName: imp.sourceName,
          mapping: imp.mapping,
          updatedAt: now.toISOString(),
        });
        await appendAudit(tx, { orgId: actor.orgId, actorId: actor.personId, at: now }, [
          {
            action: "import.started",
            entityType: "import",
            entityId: id,
            data: { rows: imp.totalRows, skipInvalid: input.skipInvalid, mapping: imp.mapping },
          },
        ]);
      });
      return (await repo.findImport(db, actor.orgId, id)) as repo.ImportRow;
    },

    async getImport(actor: Actor, id: string): Promise<Import> {
      return toImport(await visible(actor, id));
    },

    async listImports(actor: Actor, q: { limit: number; cursor?: string | undefined }) {
      const rows = await repo.listImports(db, actor.orgId, {
        createdBy: canSeeImport(actor, { createdBy: "" }) ? undefined : actor.personId,
        before: decodeCursor(q.cursor),
        limit: q.limit + 1,
      });
      const page = toPage(rows, q.limit, (r) => r.id);
      return { items: page.items.map(toImport), nextCursor: page.nextCursor };
    },

    async listProblems(actor: Actor, id: string, q: { limit: number; cursor?: string | undefined }) {
      await visible(actor, id);
      const after = decodeCursor(q.cursor);
      const rows = await repo.listProblems(db, actor.orgId, id, {
        after: after === undefined ? undefined : Number(after),
        limit: q.limit + 1,
      });
      const page = toPage(rows, q.limit, (r) => r.seq);
      return {
        items: page.items.map(
          ({ rowNumber, column, message }): ImportProblem => ({ rowNumber, column, message }),
        ),
        nextCursor: page.nextCursor,
      };
    },

    /** Every problem as CSV lines (row, column, problem), formula-escaped, read page by page. */
    async *problemsCsv(actor: Actor, id: string): AsyncGenerator<string> {
      await visible(actor, id);
      yield "row,column,problem\r\n";
      let after: number | undefined;
      for (;;) {
        const rows = await repo.listProblems(db, actor.orgId, id, { after, limit: 5000 });
        if (rows.length === 0) return;
        yield rows.map((r) => `${r.rowNumber},${csvField(r.column)},${csvField(r.message)}\r\n`).join("");
        after = rows.at(-1)?.seq;
      }
    },
  };
}

export type ImportsService = ReturnType<typeof createImportsService>;
