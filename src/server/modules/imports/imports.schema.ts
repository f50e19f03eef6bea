/** The import resource's shapes: a measurement file uploaded, previewed, then committed in chunks. */
import { z } from "zod";
import { PageQuery } from "../../http/pagination.ts";

export const IMPORT_STATUSES = ["previewed", "running", "done", "failed"] as const;
export const ImportStatus = z.enum(IMPORT_STATUSES);
export type ImportStatus = z.infer<typeof ImportStatus>;

const column = z.string().max(200).nullable().optional();

export const ColumnMappingInput = z
  .strictObject({
    metric: column.describe("the column holding each row's metric key or id"),
    scopeType: column.describe("org, unit or person; guessed from the scope when absent"),
    scope: column.describe("a unit's id or name, a person's id or email; organisation scope when empty"),
    periodStart: column.describe("the first day the value describes, YYYY-MM-DD"),
    periodEnd: column.describe("the last day the value describes; the start by default"),
    value: column,
    source: column.describe("where the value came from; the import's source name by default"),
    note: column,
    metricKey: z
      .string()
      .max(64)
      .nullable()
      .optional()
      .describe("one metric for every row (when the file has no metric column, or the cell is empty)"),
  })
  .meta({ id: "ColumnMapping" });
export type ColumnMappingInput = z.infer<typeof ColumnMappingInput>;

export const PreviewRow = z
  .object({
    rowNumber: z.number().int().describe("the row in the file; the header is row 1"),
    cells: z.array(z.string()),
    read: z
      .object({
        metric: z.string(),
        scopeType: z.string().nullable(),
        scope: z.string(),
        periodStart: z.string(),
        periodEnd: z.string(),
        value: z.number().nullable(),
        source: z.string(),
        note: z.string(),
      })
      .nullable()
      .describe("the row as it will be written; null when it has problems"),
  })
  .meta({ id: "ImportPreviewRow" });

export const Import = z
  .object({
    id: z.uuid(),
    fileName: z.string(),
    sourceName: z.string(),
    format: z.enum(["csv", "xlsx"]),
    byteSize: z.number().int(),
    status: ImportStatus.describe(
      "previewed: dry run done, nothing written; running: committing in chunks; done; failed (see error)",
    ),
    columns: z.array(z.string()).describe("the file's headers"),
    mapping: ColumnMappingInput,
    sample: z.array(PreviewRow).describe("the first rows as they will be read"),
    totalRows: z.number().int().describe("data rows in the file"),
    validRows: z.number().int().describe("rows without problems at the dry run"),
    problemRows: z.number().int().describe("rows with at least one problem"),
    progress: z.object({
      rowsDone: z.number().int(),
      totalRows: z.number().int(),
      chunksDone: z.number().int(),
    }),
    outcome: z.object({
      accepted: z.number().int(),
      flagged: z.number().int(),
      quarantined: z.number().int(),
      rejected: z.number().int(),
    }),
    error: z.string().nullable(),
    createdBy: z.uuid(),
    createdAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: "Import" });
export type Import = z.infer<typeof Import>;

export const ImportProblem = z
  .object({
    rowNumber: z.number().int().describe("the row in the file; the header is row 1"),
    column: z.string().describe("the file's column (header) at fault, or the field when no column is mapped"),
    message: z.string(),
  })
  .meta({ id: "ImportProblem" });
export type ImportProblem = z.infer<typeof ImportProblem>;

export const UploadQuery = z.object({
  fileName: z.string().trim().min(1).max(255).describe("the file's name, shown in the list of imports"),
  sourceName: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .default("file")
    .describe("where the data comes from; its column mapping is remembered for the next file"),
  metricKey: z.string().max(64).optional().describe("one metric for every row"),
});
export type UploadQuery = z.infer<typeof UploadQuery>;

export const CommitInput = z
  .strictObject({
    skipInvalid: z
      .boolean()
      .default(false)
      .describe(
        "leave out the rows with problems (counted as rejected); without it a file with problems is refused",
      ),
  })
  .meta({ id: "CommitImportInput" });
export type CommitInput = z.infer<typeof CommitInput>;

export const ImportParams = z.object({ id: z.uuid() });
export const ImportListQuery = PageQuery;
export const ProblemQuery = PageQuery;
