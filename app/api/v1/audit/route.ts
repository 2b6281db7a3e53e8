import { NextResponse } from "next/server";
import { z } from "zod";
import { auditCsv, auditFilterSchema, listAuditEvents } from "@/lib/audit/queries";
import { getCurrentUser, requestId } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { runOperation } from "@/lib/http/operation";

export const dynamic = "force-dynamic";

const CSV_LIMIT = 10_000;

const input = z.intersection(auditFilterSchema, z.object({ format: z.enum(["json", "csv"], { error: "format must be json or csv" }).default("json") }));

/**
 * GET /api/v1/audit?actor=&action=&targetType=&targetId=&from=&to=&before=&format=json|csv —
 * the audit trail for platform admins; JSON pages newest first (`nextBefore` continues), CSV up to 10,000 rows.
 */
export async function GET(req: Request) {
  const query = Object.fromEntries(new URL(req.url).searchParams);
  const result = await runOperation(
    {
      name: "listAuditEvents",
      input,
      permission: "audit.read",
      handler: async (ctx, f) => {
        const page = await listAuditEvents(ctx.db, f, f.format === "csv" ? CSV_LIMIT : undefined);
        return { ...page, format: f.format };
      },
    },
    query,
    { user: await getCurrentUser(), db: getPrisma, requestId: await requestId() },
  );
  if (!result.ok) {
    const { status, ...body } = result;
    delete (body as { ok?: boolean }).ok;
    return NextResponse.json(body, { status });
  }
  if (result.data.format === "csv") {
    return new Response(auditCsv(result.data.events), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="canopy-audit-${new Date().toISOString().slice(0, 10)}.csv"`,
        "Cache-Control": "no-store",
      },
    });
  }
  return NextResponse.json({ events: result.data.events, nextBefore: result.data.nextBefore });
}
