import type { FastifyInstance } from "fastify";
import type { AppDeps } from "./app.ts";
import { auditRoutes } from "./modules/audit/audit.routes.ts";
import { authRoutes } from "./modules/auth/auth.routes.ts";
import { checkInsRoutes } from "./modules/checkins/checkins.routes.ts";
import { connectorsRoutes } from "./modules/connectors/connectors.routes.ts";
import { cyclesRoutes } from "./modules/cycles/cycles.routes.ts";
import { goalsRoutes } from "./modules/goals/goals.routes.ts";
import { importsRoutes } from "./modules/imports/imports.routes.ts";
import { measurementsRoutes } from "./modules/measurements/measurements.routes.ts";
import { metricsRoutes } from "./modules/metrics/metrics.routes.ts";
import { peopleRoutes } from "./modules/people/people.routes.ts";
import { progressRoutes } from "./modules/progress/progress.routes.ts";
import { unitsRoutes } from "./modules/units/units.routes.ts";

/** Every capability's routes, mounted under /api/v1. */
export async function registerModules(api: FastifyInstance, deps: AppDeps): Promise<void> {
  for (const routes of [
    authRoutes,
    auditRoutes,
    peopleRoutes,
    unitsRoutes,
    cyclesRoutes,
    metricsRoutes,
    measurementsRoutes,
    importsRoutes,
    connectorsRoutes,
    goalsRoutes,
    checkInsRoutes,
    progressRoutes,
  ]) {
    await api.register(routes, deps);
  }
}
