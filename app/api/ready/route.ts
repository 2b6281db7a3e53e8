import { NextResponse } from "next/server";
import { getDatabase } from "@/lib/db/client";
import { pendingMigrations } from "@/lib/db/migrate";
import { logger } from "@/lib/log";

export const dynamic = "force-dynamic";

/** Readiness: the database answers and every migration is applied. */
export async function GET() {
  try {
    const db = await getDatabase();
    await db.raw.query("SELECT 1");
    const pending = await pendingMigrations(db.raw);
    if (pending.length) {
      return NextResponse.json({ status: "not_ready", database: "ok", pendingMigrations: pending }, { status: 503 });
    }
    return NextResponse.json({ status: "ready", database: db.kind, migrations: "applied" });
  } catch (err) {
    logger.warn({ err }, "readiness check failed");
    return NextResponse.json({ status: "not_ready", database: "unreachable" }, { status: 503 });
  }
}
