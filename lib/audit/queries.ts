import { z } from "zod";
import type { Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { optionalText } from "@/lib/http/schemas";

/** Reading the audit trail: filters, keyset pages (newest first) and CSV export. */

const day = (name: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) {
        ctx.addIssue({ code: "custom", message: `${name} must be a date like 2026-11-27` });
        return z.NEVER;
      }
      return v;
    });

export const auditFilterSchema = z
  .object({
    actor: optionalText,
    action: optionalText,
    targetType: optionalText,
    targetId: optionalText,
    from: day("from"),
    to: day("to"),
    /** Id of the last event of the previous page. */
    before: z
      .string()
      .regex(/^\d{1,19}$/, "before must be an event id")
      .optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "from must not be after to", path: ["to"] });

export type AuditFilter = z.infer<typeof auditFilterSchema>;

export function auditWhere(f: AuditFilter): Prisma.AuditEventWhereInput {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (f.actor) and.push({ actorLabel: { contains: f.actor, mode: "insensitive" } });
  if (f.action) and.push({ action: { startsWith: f.action } });
  if (f.targetType) and.push({ targetType: f.targetType });
  if (f.targetId) and.push({ targetId: f.targetId });
  if (f.from) and.push({ at: { gte: new Date(`${f.from}T00:00:00Z`) } });
  if (f.to) and.push({ at: { lt: new Date(new Date(`${f.to}T00:00:00Z`).getTime() + 86_400_000) } });
  if (f.before) and.push({ id: { lt: BigInt(f.before) } });
  return { AND: and };
}

const select = {
  id: true,
  at: true,
  actorLabel: true,
  action: true,
  targetType: true,
  targetId: true,
  before: true,
  after: true,
  requestId: true,
} satisfies Prisma.AuditEventSelect;

export type AuditEventDto = {
  id: string;
  at: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
};

function toDto(e: Prisma.AuditEventGetPayload<{ select: typeof select }>): AuditEventDto {
  return {
    id: e.id.toString(),
    at: e.at.toISOString(),
    actor: e.actorLabel,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    before: e.before,
    after: e.after,
    requestId: e.requestId,
  };
}

export const AUDIT_PAGE_SIZE = 50;

export async function listAuditEvents(db: Tx, f: AuditFilter, take = AUDIT_PAGE_SIZE) {
  const rows = await db.auditEvent.findMany({ where: auditWhere(f), select, orderBy: { id: "desc" }, take: take + 1 });
  const events = rows.slice(0, take).map(toDto);
  return { events, nextBefore: rows.length > take ? events.at(-1)!.id : null };
}

/** A product's history: events about the product itself and its output ports. */
export async function productHistory(db: Tx, productId: string, take = 30) {
  const ports = await db.outputPort.findMany({ where: { productId }, select: { id: true } });
  const rows = await db.auditEvent.findMany({
    where: {
      OR: [
        { targetType: "product", targetId: productId },
        ...(ports.length ? [{ targetType: "port", targetId: { in: ports.map((p) => p.id) } }] : []),
      ],
    },
    select,
    orderBy: { id: "desc" },
    take,
  });
  return rows.map(toDto);
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v);
  // Quote everything; neutralise spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
};

export function auditCsv(events: AuditEventDto[]): string {
  const header = ["id", "at", "actor", "action", "target_type", "target_id", "before", "after", "request_id"];
  const lines = events.map((e) => [e.id, e.at, e.actor, e.action, e.targetType, e.targetId, e.before, e.after, e.requestId].map(csvCell).join(","));
  return [header.join(","), ...lines].join("\r\n") + "\r\n";
}
