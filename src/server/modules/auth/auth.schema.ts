import { z } from "zod";
import { ROLES } from "../../actor.ts";

export const LoginInput = z.object({
  email: z.string().trim().email("enter an email address like name@example.com").max(320),
  password: z.string().min(1, "enter your password").max(1000),
});

export const Me = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    title: z.string(),
    unitId: z.uuid().nullable(),
    managerId: z.uuid().nullable(),
    roles: z.array(z.enum(ROLES)),
    org: z.object({
      id: z.uuid(),
      name: z.string(),
      timeZone: z.string(),
      locale: z.string(),
      currency: z.string(),
      fiscalYearStartMonth: z.number().int(),
    }),
  })
  .meta({ id: "Me" });

export const DemoLogins = z
  .object({
    password: z.string(),
    logins: z.array(z.object({ email: z.string(), role: z.string(), name: z.string() })),
  })
  .meta({ id: "DemoLogins" });
