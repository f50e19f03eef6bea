/** The cycle resource's shapes: what the API accepts and returns. */
import { z } from "zod";
import { parseDayNumber } from "../../../domain/dates.ts";
import { PageQuery } from "../../http/pagination.ts";

export const CYCLE_KINDS = ["year", "half", "quarter", "sprint", "custom"] as const;
/** In order: a cycle moves forward one phase at a time and never back. */
export const CYCLE_PHASES = ["planning", "active", "locked", "evaluating", "closed"] as const;
export const CycleKind = z.enum(CYCLE_KINDS);
export const CyclePhase = z.enum(CYCLE_PHASES);
export type CycleKind = z.infer<typeof CycleKind>;
export type CyclePhase = z.infer<typeof CyclePhase>;

/** A calendar date, checked for being real (no 2026-02-30). */
const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "must be a date as YYYY-MM-DD", abort: true })
  .refine((d) => !Number.isNaN(parseDayNumber(d)), "must be a real calendar date (YYYY-MM-DD)");

export const Cycle = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: CycleKind,
    startDate: z.string().describe("first day, YYYY-MM-DD"),
    endDate: z.string().describe("last day, YYYY-MM-DD"),
    phase: CyclePhase,
    createdAt: z.string(),
  })
  .meta({ id: "Cycle" });
export type Cycle = z.infer<typeof Cycle>;

const name = z.string().trim().min(1, "give the cycle a name").max(200);

export const CreateCycleInput = z
  .object({
    name,
    kind: CycleKind,
    startDate: Day,
    endDate: Day,
    phase: CyclePhase.default("planning"),
  })
  .refine((c) => c.startDate < c.endDate, {
    path: ["endDate"],
    message: "endDate must be after startDate",
  })
  .meta({ id: "CreateCycleInput" });
export type CreateCycleInput = z.infer<typeof CreateCycleInput>;

export const UpdateCycleInput = z
  .object({
    name: name.optional(),
    startDate: Day.optional().describe("only while the cycle is in planning"),
    endDate: Day.optional().describe("only while the cycle is in planning"),
    phase: CyclePhase.optional().describe("the next phase: planning → active → locked → evaluating → closed"),
  })
  .meta({ id: "UpdateCycleInput" });
export type UpdateCycleInput = z.infer<typeof UpdateCycleInput>;

export const CycleQuery = PageQuery.extend({ phase: CyclePhase.optional() });
export type CycleQuery = z.infer<typeof CycleQuery>;

export const CycleParams = z.object({ id: z.uuid() });
