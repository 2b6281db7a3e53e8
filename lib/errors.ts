/** An error whose message is written for the user and may be shown as it is. */
export class UserError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fieldErrors?: Record<string, string[]>;
  constructor(message: string, opts: { status?: number; code?: string; fieldErrors?: Record<string, string[]> } = {}) {
    super(message);
    this.name = "UserError";
    this.status = opts.status ?? 400;
    this.code = opts.code ?? "bad_request";
    this.fieldErrors = opts.fieldErrors;
  }
}

/** Also used for resources the user may not read: they must not learn that the resource exists. */
export class NotFoundError extends UserError {
  constructor(what = "Not found") {
    super(what, { status: 404, code: "not_found" });
    this.name = "NotFoundError";
  }
}

export class ForbiddenError extends UserError {
  constructor(message = "You are not allowed to do this") {
    super(message, { status: 403, code: "forbidden" });
    this.name = "ForbiddenError";
  }
}

export class UnauthenticatedError extends UserError {
  constructor() {
    super("Sign in to continue", { status: 401, code: "unauthenticated" });
    this.name = "UnauthenticatedError";
  }
}

export class ConflictError extends UserError {
  constructor(message: string) {
    super(message, { status: 409, code: "conflict" });
    this.name = "ConflictError";
  }
}
