/**
 * Errors are recognised by a brand as well as by prototype: a production server can load more than
 * one copy of this module (route bundles and the instrumentation bundle), and an error thrown by a
 * process-wide object built in one copy must still be `instanceof UserError` in another.
 */
const KINDS = Symbol.for("canopy.error.kinds");

export function brandError(err: Error, kinds: readonly string[]) {
  Object.defineProperty(err, KINDS, { value: kinds, enumerable: false });
}

export function hasErrorKind(value: unknown, kind: string): boolean {
  const kinds = value && typeof value === "object" ? (value as { [KINDS]?: unknown })[KINDS] : undefined;
  return Array.isArray(kinds) && kinds.includes(kind);
}

/** An error whose message is written for the user and may be shown as it is. */
export class UserError extends Error {
  /** The class's brand; subclasses set their own. */
  static readonly kind: string = "UserError";
  static [Symbol.hasInstance](value: unknown): boolean {
    // A subclass without its own kind is recognised by prototype only.
    return Function.prototype[Symbol.hasInstance].call(this, value) || (Object.hasOwn(this, "kind") && hasErrorKind(value, this.kind));
  }
  readonly status: number;
  readonly code: string;
  readonly fieldErrors?: Record<string, string[]>;
  /** Structured facts the caller can act on (e.g. the failing policies), returned beside the message. */
  readonly details?: Record<string, unknown>;
  constructor(
    message: string,
    opts: { status?: number; code?: string; fieldErrors?: Record<string, string[]>; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = "UserError";
    this.status = opts.status ?? 400;
    this.code = opts.code ?? "bad_request";
    this.fieldErrors = opts.fieldErrors;
    this.details = opts.details;
    const kinds: string[] = [];
    for (let c = new.target as { kind?: string } | null; c && c.kind; c = Object.getPrototypeOf(c)) {
      if (Object.hasOwn(c, "kind") && !kinds.includes(c.kind)) kinds.push(c.kind);
    }
    brandError(this, kinds);
  }
}

/** Also used for resources the user may not read: they must not learn that the resource exists. */
export class NotFoundError extends UserError {
  static readonly kind: string = "NotFoundError";
  constructor(what = "Not found") {
    super(what, { status: 404, code: "not_found" });
    this.name = "NotFoundError";
  }
}

export class ForbiddenError extends UserError {
  static readonly kind: string = "ForbiddenError";
  constructor(message = "You are not allowed to do this") {
    super(message, { status: 403, code: "forbidden" });
    this.name = "ForbiddenError";
  }
}

export class UnauthenticatedError extends UserError {
  static readonly kind: string = "UnauthenticatedError";
  constructor() {
    super("Sign in to continue", { status: 401, code: "unauthenticated" });
    this.name = "UnauthenticatedError";
  }
}

export class ConflictError extends UserError {
  static readonly kind: string = "ConflictError";
  constructor(message: string) {
    super(message, { status: 409, code: "conflict" });
    this.name = "ConflictError";
  }
}
