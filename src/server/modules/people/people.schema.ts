/** The person resource's shapes: what the API accepts and returns (never a password hash). */
import { z } from "zod";
import { ROLES } from "../../actor.ts";
import { PageQuery } from "../../http/pagination.ts";

export const RoleName = z.enum(ROLES);

export const Person = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    title: z.string(),
    unitId: z.uuid().nullable(),
    managerId: z.uuid().nullable().describe("the person this one reports to"),
    roles: z.array(RoleName),
    active: z.boolean().describe("inactive people cannot sign in; people are never deleted"),
    createdAt: z.string(),
  })
  .meta({ id: "Person" });
export type Person = z.infer<typeof Person>;

const name = z.string().trim().min(1, "give the person's name").max(200);
const title = z.string().trim().max(200);
const roles = z
  .array(RoleName)
  .max(ROLES.length)
  .refine((r) => new Set(r).size === r.length, "list each role once");

export const CreatePersonInput = z
  .object({
    email: z.string().trim().toLowerCase().email("enter an email address like name@example.com").max(320),
    name,
    title: title.default(""),
    unitId: z.uuid().nullable().default(null),
    managerId: z.uuid().nullable().default(null),
    roles: roles.default(["employee"]),
    password: z
      .string()
      .min(12, "a password needs at least 12 characters")
      .max(1000)
      .optional()
      .describe("lets the person sign in with email and password; stored only as an argon2id hash"),
  })
  .meta({ id: "CreatePersonInput" });
export type CreatePersonInput = z.infer<typeof CreatePersonInput>;

export const UpdatePersonInput = z
  .object({
    name: name.optional(),
    title: title.optional(),
    unitId: z.uuid().nullable().optional(),
    managerId: z.uuid().nullable().optional(),
    roles: roles.optional(),
    active: z.boolean().optional().describe("false deactivates the person (there is no delete)"),
  })
  .meta({ id: "UpdatePersonInput" });
export type UpdatePersonInput = z.infer<typeof UpdatePersonInput>;

export const PersonQuery = PageQuery.extend({
  unitId: z.uuid().optional(),
  managerId: z.uuid().optional().describe("direct reports of this person"),
  active: z.stringbool().optional().describe("true: active people only; false: inactive only"),
  q: z.string().trim().min(1).max(200).optional().describe("part of the name or email, any case"),
  role: RoleName.optional(),
});
export type PersonQuery = z.infer<typeof PersonQuery>;

export const PersonParams = z.object({ id: z.uuid() });
