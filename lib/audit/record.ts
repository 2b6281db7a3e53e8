import type { Tx } from "@/lib/db/client";

export type AuditActor = { id: string | null; label: string; requestId?: string };
export const SYSTEM_ACTOR: AuditActor = { id: null, label: "system" };

export type AuditInput = {
  action: string;
  target: { type: string; id: string };
  before?: unknown;
  after?: unknown;
};

/** Dates become ISO strings, BigInts strings, undefined is dropped: what JSONB can hold. */
function toJson(value: unknown) {
  if (value === undefined || value === null) return undefined;
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
}

/**
 * Writes one audit event. Call it with the transaction client of the change it describes, so the
 * change and its record commit (or roll back) together. The table is append-only.
 */
export async function recordAudit(tx: Tx, actor: AuditActor, event: AuditInput) {
  await tx.auditEvent.create({
    data: {
      actorId: actor.id,
      actorLabel: actor.label,
      action: event.action,
      targetType: event.target.type,
      targetId: event.target.id,
      before: toJson(event.before),
      after: toJson(event.after),
      requestId: actor.requestId ?? null,
    },
  });
}
