/**
 * The API shape of a metric's validation rules (src/domain/validation/rules.ts): strict, so a steward
 * learns at once that a rule is misspelt or out of range, rather than when data arrives.
 */
import { z } from "zod";
import { RULE_ACTIONS } from "../../../domain/validation/rules.ts";

const action = z
  .enum(RULE_ACTIONS)
  .describe("flag: counted, shown with a warning; quarantine: not counted until a steward accepts it; off");
const positive = z.number().finite().positive();

export const ValidationRules = z
  .strictObject({
    range: z
      .strictObject({ min: z.number().finite().optional(), max: z.number().finite().optional(), action })
      .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, {
        message: "min must not exceed max",
        path: ["min"],
      })
      .optional()
      .describe("allowed values, inclusive; either end may be left out"),
    stepChange: z
      .strictObject({ maxAbsolute: positive.optional(), maxPercent: positive.optional(), action })
      .refine((r) => r.maxAbsolute !== undefined || r.maxPercent !== undefined, {
        message: "give maxAbsolute (in the metric's unit) or maxPercent (of the previous value), or both",
        path: ["maxAbsolute"],
      })
      .optional()
      .describe("largest change against the series' previous value"),
    frequency: z
      .strictObject({ maxMissingPeriods: z.number().int().min(0).max(1000).optional(), action })
      .optional()
      .describe("a value every period of the metric; more missing periods than this raise missing data"),
    duplicate: z
      .strictObject({ action })
      .optional()
      .describe(
        "a second value for a recorded metric, scope and period from the same source is kept as a correction of it, flagged or quarantined; without this rule it is rejected",
      ),
    unitSanity: z
      .strictObject({ action, allowNegative: z.boolean().optional(), allowAbove100: z.boolean().optional() })
      .optional()
      .describe("percent within 0..100, counts and durations not negative; on (flag) unless turned off"),
    outlier: z
      .strictObject({
        threshold: positive
          .max(100)
          .optional()
          .describe("modified z-score beyond which a value is an outlier; 3.5"),
        minHistory: z.number().int().min(3).max(1000).optional().describe("earlier values needed; 6"),
        window: z.number().int().min(3).max(1000).optional().describe("the last this many values; 24"),
        action,
      })
      .optional()
      .describe("robust outlier test against the series' own history (median and MAD)"),
  })
  .meta({ id: "ValidationRules" });
export type ValidationRulesInput = z.infer<typeof ValidationRules>;
