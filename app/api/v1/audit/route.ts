import { z } from "zod";
import { auditCsv, auditFilterSchema, listAuditEvents } from "@/lib/audit/queries";
import { defineRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const CSV_LIMIT = 10_000;

/**
 * GET /api/v1/audit?actor=&action=&targetType=&targetId=&from=&to=&before=&format=json|csv —
 * the audit trail for platform admins; JSON pages newest first (`nextBefore` continues), CSV up to 10,000 rows.
 */
export const GET = defineRoute({
  name: "listAuditEvents",
  input: z.intersection(auditFilterSchema, z.object({ format: z.enum(["json", "csv"], { error: "format must be json or csv" }).default("json") })),
  permission: "audit.read",
  handler: async (ctx, f) => {
    if (f.format === "json") return listAuditEvents(ctx.db, f);
    const { events } = await listAuditEvents(ctx.db, f, CSV_LIMIT);
    return new Response(auditCsv(events), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="canopy-audit-${new Date().toISOString().slice(0, 10)}.csv"`,
        "Cache-Control": "no-store",
      },
    });
  },
});
