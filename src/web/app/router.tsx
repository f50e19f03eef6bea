import type { QueryClient } from "@tanstack/react-query";
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  redirect,
} from "@tanstack/react-router";
import { ApiError } from "../api/client.ts";
import { allGoalsQuery, currentCycleQuery, unitsQuery } from "../api/hooks.ts";
import { ErrorState } from "../components/states.tsx";
import { MyGoalsPage } from "../pages/my-goals.tsx";
import { SignInPage } from "../pages/sign-in.tsx";
import { meQuery } from "./session.ts";
import { Shell } from "./shell.tsx";

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = (v: unknown): string | undefined => (typeof v === "string" && DAY.test(v) ? v : undefined);

const rootRoute = createRootRouteWithContext<{ queryClient: QueryClient }>()({
  component: Outlet,
  errorComponent: ({ error }) => <ErrorState error={error} />,
});

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sign-in",
  validateSearch: (s: Record<string, unknown>) => ({ redirect: str(s.redirect) }),
  component: SignInPage,
});

/** Every page but sign-in: loads /me first, and sends a signed-out visitor to sign-in and back. */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "app",
  beforeLoad: async ({ context, location }) => {
    try {
      await context.queryClient.ensureQueryData(meQuery);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        throw redirect({ to: "/sign-in", search: { redirect: location.href } });
      }
      throw e;
    }
  },
  component: Shell,
});

const page = <P extends string>(path: P, load: Parameters<typeof lazyRouteComponent>[0], name: string) =>
  createRoute({ getParentRoute: () => appRoute, path, component: lazyRouteComponent(load, name) });

const myGoalsRoute = createRoute({ getParentRoute: () => appRoute, path: "/", component: MyGoalsPage });
const goalRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/goals/$goalId",
  validateSearch: (s: Record<string, unknown>) => ({ asOf: day(s.asOf) }),
  component: lazyRouteComponent(() => import("../pages/goal-page.tsx"), "GoalPage"),
});
const newGoalRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/goals/new",
  validateSearch: (s: Record<string, unknown>) => ({ parentId: str(s.parentId) }),
  component: lazyRouteComponent(() => import("../pages/goal-form-page.tsx"), "NewGoalPage"),
});
const editGoalRoute = page(
  "/goals/$goalId/edit",
  () => import("../pages/goal-form-page.tsx"),
  "EditGoalPage",
);
const cascadeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/cascade",
  validateSearch: (s: Record<string, unknown>) => ({
    q: str(s.q),
    status: str(s.status),
    unitId: str(s.unitId),
    ownerId: str(s.ownerId),
  }),
  component: lazyRouteComponent(() => import("../pages/cascade.tsx"), "CascadePage"),
});
const teamRoute = page("/team", () => import("../pages/team.tsx"), "TeamPage");
const dashboardRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/dashboard",
  validateSearch: (s: Record<string, unknown>) => ({ unitId: str(s.unitId) }),
  // Start the data requests alongside the page's code instead of after it (same query keys as the page).
  loader: ({ context: { queryClient } }) => {
    void queryClient.prefetchQuery(unitsQuery);
    void queryClient
      .ensureQueryData(currentCycleQuery)
      .then((c) => queryClient.prefetchQuery(allGoalsQuery({ cycleId: c?.id, state: "active" })));
  },
  component: lazyRouteComponent(() => import("../pages/dashboard.tsx"), "DashboardPage"),
});
const kpisRoute = page("/kpis", () => import("../pages/kpi-library.tsx"), "KpiLibraryPage");
const kpiRoute = page("/kpis/$metricId", () => import("../pages/kpi-page.tsx"), "KpiPage");
const adminRoute = page("/admin", () => import("../pages/admin.tsx"), "AdminPage");
const dataReviewRoute = page("/data-review", () => import("../pages/data-review.tsx"), "DataReviewPage");
const importsRoute = page("/import", () => import("../pages/imports.tsx"), "ImportsPage");
const dataSourcesRoute = page("/data-sources", () => import("../pages/data-sources.tsx"), "DataSourcesPage");
const importRoute = page("/import/$importId", () => import("../pages/import-page.tsx"), "ImportPage");

const routeTree = rootRoute.addChildren([
  signInRoute,
  appRoute.addChildren([
    myGoalsRoute,
    newGoalRoute,
    goalRoute,
    editGoalRoute,
    cascadeRoute,
    teamRoute,
    dashboardRoute,
    kpisRoute,
    kpiRoute,
    adminRoute,
    dataReviewRoute,
    importsRoute,
    dataSourcesRoute,
    importRoute,
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: "intent",
    defaultPendingMs: 300,
  });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
