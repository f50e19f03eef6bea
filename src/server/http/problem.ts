import { z } from "zod";
import type { FieldError } from "../errors.ts";

/** RFC 9457 problem details, as every error leaves the API. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    requestId: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "Problem" });
export type Problem = z.infer<typeof Problem>;

export function problem(input: {
  code: string;
  title: string;
  status: number;
  detail: string;
  requestId: string;
  instance?: string;
  errors?: FieldError[];
}): Problem {
  return {
    type: `https://yardstick.dev/problems/${input.code}`,
    title: input.title,
    status: input.status,
    detail: input.detail,
    requestId: input.requestId,
    ...(input.instance ? { instance: input.instance } : {}),
    ...(input.errors && input.errors.length > 0 ? { errors: input.errors } : {}),
  };
}
