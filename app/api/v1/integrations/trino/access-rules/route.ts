import { timingSafeEqual } from "node:crypto";
import { NextResponse } from "next/server";
import { buildTrinoRules } from "@/lib/access/trino-rules";
import { can } from "@/lib/auth/permissions";
import { getCurrentUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { logger } from "@/lib/log";

export const dynamic = "force-dynamic";

function tokenMatches(header: string | null, expected: string | undefined): boolean {
  if (!header || !expected) return false;
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!m) return false;
  const a = Buffer.from(m[1]!);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * GET /api/v1/integrations/trino/access-rules — Trino's file-based access-control rules computed from
 * the active grants (docs/trino.md). Trino polls it with `Authorization: Bearer $TRINO_RULES_TOKEN`;
 * platform admins can read it with their session.
 */
export async function GET(req: Request) {
  const cfg = config().integrations;
  const auth = req.headers.get("authorization");
  let caller: string;
  if (auth) {
    if (!tokenMatches(auth, cfg.trinoRulesToken)) {
      logger.warn({ path: "trino/access-rules" }, "access-rules request with a wrong or unconfigured token");
      return NextResponse.json({ error: "Invalid token", code: "unauthenticated" }, { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="canopy"' } });
    }
    caller = "trino";
  } else {
    const user = await getCurrentUser();
    if (!user) return NextResponse.json({ error: "Sign in to continue", code: "unauthenticated" }, { status: 401 });
    if (!can(user, "admin.view", null)) return NextResponse.json({ error: "Not found", code: "not_found" }, { status: 404 });
    caller = user.email;
  }
  const rules = await buildTrinoRules(await getPrisma(), { userMapping: cfg.trinoUserMapping });
  logger.debug({ caller, tables: rules.tables.length }, "served Trino access rules");
  return NextResponse.json(rules, { headers: { "Cache-Control": "no-store" } });
}
