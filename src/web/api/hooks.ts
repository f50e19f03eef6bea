/** Queries shared by several pages; every list is paged by the server (cursor + limit). */
import { keepPreviousData, queryOptions, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, must, type Schemas } from "./client.ts";
import type { paths } from "./schema.d.ts";

export type Goal = Schemas["Goal"];
export type Person = Schemas["Person"];
export type Unit = Schemas["Unit"];
export type Cycle = Schemas["Cycle"];
export type GoalsQuery = NonNullable<paths["/api/v1/goals"]["get"]["parameters"]["query"]>;

export const currentCycleQuery = queryOptions({
  queryKey: ["cycles", "current"],
  queryFn: async () => {
    const active = must(
      await api.GET("/api/v1/cycles", { params: { query: { phase: "active", limit: 10 } } }),
    );
    if (active.items[0]) return active.items[0];
    const any = must(await api.GET("/api/v1/cycles", { params: { query: { limit: 50 } } }));
    return any.items.at(-1) ?? null;
  },
  staleTime: 5 * 60_000,
});

export function useCurrentCycle() {
  return useQuery(currentCycleQuery);
}

/** One page after another of goals, for lists with a "show more" button. */
export function useGoalPages(query: GoalsQuery, enabled = true) {
  return useInfiniteQuery({
    queryKey: ["goals", "list", query],
    enabled,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      must(await api.GET("/api/v1/goals", { params: { query: { limit: 50, ...query, cursor: pageParam } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

/**
 * Every goal matching a query, fetched page by page (200 a page, up to `cap`). The dashboard and the
 * cascade need whole-cycle figures; the API has no aggregate endpoint yet.
 */
export async function fetchAllGoals(query: GoalsQuery, cap = 5000): Promise<Goal[]> {
  const out: Goal[] = [];
  let cursor: string | undefined;
  do {
    const page = must(
      await api.GET("/api/v1/goals", { params: { query: { ...query, limit: 200, cursor } } }),
    );
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && out.length < cap);
  return out;
}

export const allGoalsQuery = (query: GoalsQuery) =>
  queryOptions({ queryKey: ["goals", "all", query], queryFn: () => fetchAllGoals(query), staleTime: 60_000 });

export function useAllGoals(query: GoalsQuery, enabled = true) {
  return useQuery({ ...allGoalsQuery(query), enabled });
}

export const unitsQuery = queryOptions({
  queryKey: ["units", "all"],
  staleTime: 10 * 60_000,
  queryFn: async () => {
    const out: Unit[] = [];
    let cursor: string | undefined;
    do {
      const page = must(await api.GET("/api/v1/units", { params: { query: { limit: 200, cursor } } }));
      out.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return out;
  },
});

export const goalQuery = (id: string, asOf?: string) =>
  queryOptions({
    queryKey: ["goal", id, asOf ?? "today"],
    queryFn: async () =>
      must(await api.GET("/api/v1/goals/{id}", { params: { path: { id }, query: asOf ? { asOf } : {} } })),
  });

export function usePerson(id: string | null | undefined) {
  return useQuery({
    queryKey: ["person", id],
    enabled: Boolean(id),
    queryFn: async () => must(await api.GET("/api/v1/people/{id}", { params: { path: { id: id ?? "" } } })),
    staleTime: 10 * 60_000,
  });
}

/** All org units (a tree of a few hundred at most), loaded page by page. */
export function useUnits() {
  return useQuery(unitsQuery);
}

export function useMetric(id: string | null | undefined) {
  return useQuery({
    queryKey: ["metric", id],
    enabled: Boolean(id),
    queryFn: async () => must(await api.GET("/api/v1/metrics/{id}", { params: { path: { id: id ?? "" } } })),
    staleTime: 10 * 60_000,
  });
}
