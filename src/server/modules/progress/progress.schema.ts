/** The progress figures and the explain trace as the API returns them. */
import { z } from "zod";

const STATUSES = [
  "not_started",
  "on_track",
  "at_risk",
  "off_track",
  "achieved",
  "partially_achieved",
  "missed",
  "no_data",
] as const;

export const Progress = z
  .object({
    attainment: z.number().nullable().describe("0 = nothing yet, 1 = target met; not capped"),
    expected: z.number().describe("the plan's expected attainment on asOf"),
    pace: z.number().nullable().describe("attainment / expected"),
    status: z.enum(STATUSES),
    score: z.number().nullable(),
    asOf: z.string(),
  })
  .meta({ id: "Progress" });

const Measurement = z.object({
  id: z.uuid(),
  periodStart: z.string(),
  periodEnd: z.string(),
  value: z.number(),
  recordedAt: z.string(),
  derivedFrom: z
    .object({
      formula: z.string(),
      inputs: z.array(z.object({ metricKey: z.string(), measurementId: z.uuid(), value: z.number() })),
    })
    .optional()
    .describe("present when a formula metric's value: the formula and the input measurements it read"),
});

export const ProgressExplain = z
  .object({
    goalId: z.uuid(),
    asOf: z.string(),
    knownAt: z.string().nullable().describe("inputs recorded after this instant were left out; null: now"),
    version: z.number().int().describe("the goal version whose definition was used"),
    formula: z.string(),
    inputs: z.object({
      kind: z.string(),
      aggregation: z.string().nullable(),
      baseline: z.number().nullable(),
      target: z.number().nullable(),
      threshold: z.number().nullable(),
      stretch: z.number().nullable(),
      rangeMin: z.number().nullable(),
      rangeMax: z.number().nullable(),
      value: z.number().nullable().describe("the value read: last, average, min, max or the window's sum"),
      milestoneDone: z.boolean().nullable(),
      rubricLevel: z.number().nullable(),
      measurements: z.array(Measurement).describe("the measurements behind value"),
      children: z.array(
        z.object({
          goalId: z.uuid(),
          weight: z.number(),
          attainment: z.number().nullable(),
          expected: z.number(),
        }),
      ),
    }),
    result: Progress,
  })
  .meta({ id: "ProgressExplain" });
