import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { AuditActor } from "@/lib/audit/record";
import { authorize, type Action, type PermissionMap, type Principal } from "@/lib/auth/permissions";
import { auditLabel } from "@/lib/auth/principal";
import type { Db } from "@/lib/db/client";
import { UnauthenticatedError, UserError } from "@/lib/errors";
import { logger, type Logger } from "@/lib/log";

/**
 * The steps every server action and API route handler goes through, in order: validate the input,
 * require a session, authorize, run, map errors. Kept free of Next.js so it is tested directly.
 */

export type OperationContext = {
  user: Principal;
  db: Db;
  requestId: string;
  log: Logger;
  /** Who to write into audit events for this operation. */
  actor: AuditActor;
  /** Throws ForbiddenError / NotFoundError unless the permission module allows it. */
  authorize<A extends Action>(action: A, resource: PermissionMap[A]): void;
};

export type OperationResult<T> =
  | { ok: true; data: T }
  | { ok: false; status: number; code: string; error: string; fieldErrors?: Record<string, string[]>; details?: Record<string, unknown> };

export type Operation<S extends z.ZodType, T> = {
  /** Verb-noun name, used in logs. */
  name: string;
  input: S;
  /** A permission checked before the handler runs, when it needs no resource. */
  permission?: { [A in Action]: PermissionMap[A] extends null ? A : never }[Action];
  handler: (ctx: OperationContext, input: z.infer<S>) => Promise<T>;
};

export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join(".") : "_";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

export async function runOperation<S extends z.ZodType, T>(
  op: Operation<S, T>,
  rawInput: unknown,
  env: { user: Principal | null; db: () => Promise<Db>; requestId?: string },
): Promise<OperationResult<T>> {
  const requestId = env.requestId ?? randomUUID();
  const log = logger.child({ requestId, op: op.name, userId: env.user?.id, tokenId: env.user?.token?.id });
  try {
    const parsed = op.input.safeParse(rawInput);
    if (!parsed.success) {
      return { ok: false, status: 400, code: "invalid_input", error: "Some fields need attention", fieldErrors: fieldErrorsOf(parsed.error) };
    }
    const user = env.user;
    if (!user) throw new UnauthenticatedError();
    const ctx: OperationContext = {
      user,
      db: await env.db(),
      requestId,
      log,
      actor: { id: user.id, label: auditLabel(user), requestId },
      authorize: (action, resource) => authorize(user, action, resource),
    };
    if (op.permission) ctx.authorize(op.permission, null as never);
    const data = await op.handler(ctx, parsed.data);
    return { ok: true, data };
  } catch (err) {
    if (err instanceof UserError) {
      return {
        ok: false,
        status: err.status,
        code: err.code,
        error: err.message,
        ...(err.fieldErrors ? { fieldErrors: err.fieldErrors } : {}),
        ...(err.details ? { details: err.details } : {}),
      };
    }
    log.error({ err }, "operation failed");
    return {
      ok: false,
      status: 500,
      code: "internal",
      error: `Something went wrong on our side. If it keeps happening, quote reference ${requestId}.`,
    };
  }
}
