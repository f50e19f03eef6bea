export type ErrorCode =
  | "unauthenticated"
  | "not_found"
  | "forbidden"
  | "invalid"
  | "conflict"
  | "locked"
  | "rate_limited";

export type FieldError = { field: string; message: string };

const STATUS: Record<ErrorCode, { status: number; title: string }> = {
  unauthenticated: { status: 401, title: "Sign-in required" },
  forbidden: { status: 403, title: "Not allowed" },
  not_found: { status: 404, title: "Not found" },
  invalid: { status: 400, title: "Invalid input" },
  conflict: { status: 409, title: "Conflict" },
  locked: { status: 423, title: "Locked" },
  rate_limited: { status: 429, title: "Too many requests" },
};

/**
 * The one error type services throw. `invalid` carries the fields at fault; the error handler turns
 * every AppError into RFC 9457 problem details.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly errors: FieldError[];

  constructor(code: ErrorCode, detail?: string | FieldError | FieldError[]) {
    const errors = detail === undefined || typeof detail === "string" ? [] : [detail].flat();
    const message =
      typeof detail === "string" ? detail : errors.map((e) => `${e.field}: ${e.message}`).join("; ") || code;
    super(message);
    this.code = code;
    this.errors = errors;
  }

  get status(): number {
    return STATUS[this.code].status;
  }

  get title(): string {
    return STATUS[this.code].title;
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} was not found`);
export const invalid = (field: string, message: string) => new AppError("invalid", { field, message });
