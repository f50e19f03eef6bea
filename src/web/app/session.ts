import { queryOptions, useSuspenseQuery } from "@tanstack/react-query";
import { api, must, type Schemas } from "../api/client.ts";
import type { OrgFormat } from "../lib/format.ts";

export type Me = Schemas["Me"];
export type Role = Me["roles"][number];

export const meQuery = queryOptions({
  queryKey: ["me"],
  queryFn: async () => must(await api.GET("/api/v1/me")),
  staleTime: 5 * 60_000,
  retry: false,
});

/** The signed-in person (the app shell has loaded it before any page renders). */
export function useMe(): Me {
  return useSuspenseQuery(meQuery).data;
}

export function useFormat(): OrgFormat {
  const { org } = useMe();
  return { locale: org.locale, timeZone: org.timeZone, currency: org.currency };
}

export function hasRole(me: Me, ...roles: Role[]): boolean {
  return me.roles.some((r) => roles.includes(r));
}

/** Mirrors the server's policy for showing menus; the server still decides every request. */
export const canManagePeople = (me: Me) => hasRole(me, "admin", "performance_office");
export const canEditMetrics = (me: Me) => hasRole(me, "admin", "performance_office", "data_steward");
