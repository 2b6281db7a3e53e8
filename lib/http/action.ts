import "server-only";
import type { z } from "zod";
import { getCurrentUser, requestId } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { runOperation, type Operation, type OperationResult } from "@/lib/http/operation";

/**
 * Builds a server action from an operation. Use from a `"use server"` module:
 *   export const publishProduct = defineAction({ name: "publishProduct", input, handler });
 * The action returns `{ ok: true, data } | { ok: false, error, fieldErrors }` and never throws at the user.
 */
export function defineAction<S extends z.ZodType, T>(op: Operation<S, T>) {
  return async (input: z.input<S>): Promise<OperationResult<T>> =>
    runOperation(op, input, { user: await getCurrentUser(), db: getPrisma, requestId: await requestId() });
}
