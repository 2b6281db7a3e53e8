import type { AuditActor } from "@/lib/audit/record";
import type { Principal } from "@/lib/auth/permissions";
import { UserError } from "@/lib/errors";

/** The audit actor an operation of `user` writes. */
export const actorOf = (u: Principal): AuditActor => ({ id: u.id, label: u.email });

/** The user-facing error a call is refused with; fails the test when it succeeds or fails otherwise. */
export async function refusal(p: Promise<unknown>): Promise<UserError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}
