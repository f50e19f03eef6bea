/**
 * The one HTTP client of the web app, generated from the server's OpenAPI document (schema.d.ts).
 * Every non-2xx answer throws an `ApiError` carrying the RFC 9457 problem; a 401 anywhere but the
 * sign-in call sends the person to sign-in with a redirect back to where they were.
 */
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema.d.ts";

export type Problem = components["schemas"]["Problem"];
export type FieldError = { field: string; message: string };

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;
  readonly errors: FieldError[];

  constructor(status: number, problem: Problem | null) {
    super(problem?.detail || problem?.title || `request failed with status ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
    this.errors = (problem?.errors as FieldError[] | undefined) ?? [];
  }

  /** The message for one field (matched on the field's name or its last path segment). */
  fieldError(field: string): string | undefined {
    return this.errors.find((e) => e.field === field || e.field.split(".").at(-1) === field)?.message;
  }
}

let onUnauthenticated: (() => void) | null = null;

/** The app registers what to do when the session has expired (go to sign-in, come back later). */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

const throwProblems: Middleware = {
  async onResponse({ request, response }) {
    if (response.ok) return response;
    let problem: Problem | null = null;
    try {
      problem = (await response.clone().json()) as Problem;
    } catch {
      problem = null;
    }
    const path = new URL(request.url).pathname;
    if (response.status === 401 && !path.endsWith("/auth/login") && !path.endsWith("/me")) {
      onUnauthenticated?.();
    }
    throw new ApiError(response.status, problem);
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: "include" });
api.use(throwProblems);

/** The body of a successful answer (errors have already thrown). */
export function must<T>(result: { data?: T }): T {
  if (result.data === undefined) throw new ApiError(500, null);
  return result.data;
}

export type Schemas = components["schemas"];
