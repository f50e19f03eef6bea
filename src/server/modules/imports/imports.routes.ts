import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { type AppDeps, requireActor } from "../../app.ts";
import { pageOf } from "../../http/pagination.ts";
import { Problem, problem } from "../../http/problem.ts";
import { FileTooLargeError } from "./imports.files.ts";
import { createImportRunner } from "./imports.runner.ts";
import {
  ColumnMappingInput,
  CommitInput,
  Import,
  ImportListQuery,
  ImportParams,
  ImportProblem,
  ProblemQuery,
  UploadQuery,
} from "./imports.schema.ts";
import { createImportsService, toImport } from "./imports.service.ts";

const tags = ["imports"];
/** Upload bodies are the file's bytes, read as a stream (never buffered by a parser). */
export const UPLOAD_TYPES = [
  "text/csv",
  "application/csv",
  "application/octet-stream",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
];

export const importsRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const imports = createImportsService(deps);
  const runner = createImportRunner({ ...deps, log: (err) => app.log.error({ err }, "import run failed") });
  app.addHook("onReady", async () => {
    void runner.resumeAll().catch((err) => app.log.error({ err }, "resuming imports failed"));
  });
  app.addHook("onClose", async () => runner.close());
  app.addContentTypeParser(UPLOAD_TYPES, (_req, payload, done) => done(null, payload));

  app.post(
    "/imports",
    {
      schema: {
        tags,
        summary:
          "Upload a CSV or XLSX file of measurements (the body is the file): records an import and answers its dry-run preview; nothing is written yet",
        consumes: UPLOAD_TYPES,
        querystring: UploadQuery,
        body: z.any().describe("the file's bytes (CSV in UTF-8, or XLSX)"),
        response: { 201: Import, 400: Problem, 401: Problem, 403: Problem, 413: Problem, 415: Problem },
      },
    },
    async (req, reply) => {
      const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
      if (!UPLOAD_TYPES.includes(type))
        return reply
          .status(415)
          .type("application/problem+json")
          .send(
            problem({
              code: "unsupported_media_type",
              title: "Unsupported media type",
              status: 415,
              detail: `send the file's bytes as the body, with Content-Type ${UPLOAD_TYPES.join(", ")}`,
              requestId: String(req.id),
              instance: req.url,
            }),
          );
      try {
        const imp = await imports.upload(requireActor(req), req.body as NodeJS.ReadableStream, req.query);
        return reply.status(201).send(imp);
      } catch (err) {
        if (!(err instanceof FileTooLargeError)) throw err;
        return reply
          .status(413)
          .type("application/problem+json")
          .send(
            problem({
              code: "too_large",
              title: "File too large",
              status: 413,
              detail: err.message,
              requestId: String(req.id),
              instance: req.url,
            }),
          );
      }
    },
  );
  app.get(
    "/imports",
    {
      schema: {
        tags,
        summary: "Imports, newest first: your own, or all for those who read everything",
        querystring: ImportListQuery,
        response: { 200: pageOf(Import), 400: Problem, 401: Problem },
      },
    },
    async (req) => imports.listImports(requireActor(req), req.query),
  );
  app.get(
    "/imports/:id",
    {
      schema: {
        tags,
        summary: "One import: preview, status, progress (poll it while running) and outcome",
        params: ImportParams,
        response: { 200: Import, 401: Problem, 404: Problem },
      },
    },
    async (req) => imports.getImport(requireActor(req), req.params.id),
  );
  app.post(
    "/imports/:id/preview",
    {
      schema: {
        tags,
        summary: "Dry run again with another column mapping",
        params: ImportParams,
        body: ColumnMappingInput,
        response: { 200: Import, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) => imports.remap(requireActor(req), req.params.id, req.body),
  );
  app.post(
    "/imports/:id/commit",
    {
      schema: {
        tags,
        summary:
          "Commit the import: written in chunks in the background (poll GET /imports/{id}); the mapping is remembered for the source",
        params: ImportParams,
        body: CommitInput,
        response: { 202: Import, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      const row = await imports.startCommit(requireActor(req), req.params.id, req.body);
      runner.start(row);
      return reply.status(202).send(toImport(row));
    },
  );
  app.get(
    "/imports/:id/problems",
    {
      schema: {
        tags,
        summary: "Every row's problems, in file order",
        params: ImportParams,
        querystring: ProblemQuery,
        response: { 200: pageOf(ImportProblem), 400: Problem, 401: Problem, 404: Problem },
      },
    },
    async (req) => imports.listProblems(requireActor(req), req.params.id, req.query),
  );
  app.get(
    "/imports/:id/problems.csv",
    {
      schema: {
        tags,
        summary:
          "Every row's problems as CSV (row, column, problem); cells that would start a formula are escaped",
        params: ImportParams,
        produces: ["text/csv"],
        response: { 200: z.string().describe("text/csv"), 401: Problem, 404: Problem },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const lines = imports.problemsCsv(actor, req.params.id);
      const first = await lines.next(); // answers 404 before any byte is sent
      let text = first.done ? "" : first.value;
      for await (const chunk of lines) text += chunk;
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="import-${req.params.id}-problems.csv"`)
        .send(text);
    },
  );
};
