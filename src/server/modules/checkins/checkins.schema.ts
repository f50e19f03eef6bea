/** The check-in resource's shapes. */
import { z } from "zod";
import { isIsoDate } from "../../../domain/dates.ts";
import { Progress } from "../progress/progress.schema.ts";

/** Confidence that the goal will be met: a whole number from 0 (none) to 10 (certain). */
export const MAX_CONFIDENCE = 10;

export const CheckIn = z
  .object({
    id: z.uuid(),
    goalId: z.uuid(),
    authorId: z.uuid(),
    date: z.string(),
    value: z.number().nullable(),
    confidence: z.number().int(),
    narrative: z.string(),
    blockers: z.string(),
    milestoneDone: z.boolean().nullable(),
    rubricLevel: z.number().int().nullable(),
    measurementId: z.uuid().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: "CheckIn" });
export type CheckIn = z.infer<typeof CheckIn>;

export const RecordCheckInInput = z
  .strictObject({
    date: z
      .string()
      .refine(isIsoDate, "must be a real calendar date as YYYY-MM-DD")
      .describe("the day the check-in describes: not in the future, within the goal's start and due dates"),
    value: z
      .number()
      .finite()
      .optional()
      .describe("the metric's current value, for goals on a manual metric"),
    confidence: z
      .number()
      .int()
      .min(0)
      .max(MAX_CONFIDENCE)
      .describe("confidence that the goal will be met: 0 (none) to 10 (certain)"),
    narrative: z.string().max(4000).default(""),
    blockers: z.string().max(4000).default(""),
    milestoneDone: z.boolean().optional().describe("milestone goals: done or not"),
    rubricLevel: z
      .number()
      .int()
      .min(1)
      .max(20)
      .optional()
      .describe("rubric goals: the level reached, 1..levels"),
  })
  .meta({ id: "RecordCheckInInput" });
export type RecordCheckInInput = z.infer<typeof RecordCheckInInput>;

export const RecordedCheckIn = z
  .object({ checkIn: CheckIn, progress: Progress.nullable() })
  .meta({ id: "RecordedCheckIn" });
export type RecordedCheckIn = z.infer<typeof RecordedCheckIn>;
