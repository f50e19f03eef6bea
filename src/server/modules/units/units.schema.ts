/** The org unit resource's shapes: what the API accepts and returns. */
import { z } from "zod";
import { PageQuery } from "../../http/pagination.ts";

export const UNIT_KINDS = ["company", "division", "department", "team"] as const;
export const UnitKind = z.enum(UNIT_KINDS);
export type UnitKind = z.infer<typeof UnitKind>;

export const Unit = z
  .object({
    id: z.uuid(),
    parentId: z.uuid().nullable().describe("the unit above this one; null for the top of the tree"),
    name: z.string(),
    kind: UnitKind,
    headId: z.uuid().nullable().describe("the person who heads the unit"),
    createdAt: z.string(),
  })
  .meta({ id: "Unit" });
export type Unit = z.infer<typeof Unit>;

const name = z.string().trim().min(1, "give the unit a name").max(200);

export const CreateUnitInput = z
  .object({
    name,
    kind: UnitKind,
    parentId: z.uuid().nullable().default(null),
    headId: z.uuid().nullable().default(null),
  })
  .meta({ id: "CreateUnitInput" });
export type CreateUnitInput = z.infer<typeof CreateUnitInput>;

export const UpdateUnitInput = z
  .object({
    name: name.optional(),
    kind: UnitKind.optional(),
    parentId: z.uuid().nullable().optional().describe("move the unit under another one"),
    headId: z.uuid().nullable().optional(),
  })
  .meta({ id: "UpdateUnitInput" });
export type UpdateUnitInput = z.infer<typeof UpdateUnitInput>;

export const UnitQuery = PageQuery.extend({
  parentId: z.uuid().optional().describe("only the units directly under this one"),
});
export type UnitQuery = z.infer<typeof UnitQuery>;

export const UnitParams = z.object({ id: z.uuid() });
