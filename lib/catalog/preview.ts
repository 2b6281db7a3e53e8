import { buildTrinoRules, evaluateTableAccess, trinoUserName, type TrinoUserMapping } from "@/lib/access/trino-rules";
import type { Principal } from "@/lib/auth/permissions";
import { can } from "@/lib/auth/permissions";
import { productRefSelect, toProductRef } from "@/lib/catalog/queries";
import type { Tx } from "@/lib/db/client";
import { ForbiddenError, NotFoundError, UserError } from "@/lib/errors";
import { IntegrationError } from "@/lib/integrations/http";
import { parseTableRef } from "@/lib/integrations/trino/identifiers";
import type { PreviewResult, TrinoQueryEngine } from "@/lib/integrations/trino/types";

export const PREVIEW_MAX_ROWS = 100;

export type PortPreview = PreviewResult & { masked: string[]; mode: "connected" | "embedded" };

/**
 * A few rows of a table port, read as the signed-in user. Connected, Trino's own rules (served by
 * Canopy) decide; embedded, the same rules are evaluated here, so what a user sees does not depend on
 * where the data comes from: no grant, no rows; classified columns masked unless the user owns the product.
 */
export async function previewPort(
  db: Tx,
  trino: TrinoQueryEngine,
  user: Principal,
  input: { slug: string; port: string; limit: number; userMapping: TrinoUserMapping; signal?: AbortSignal },
): Promise<PortPreview> {
  const product = await db.dataProduct.findUnique({
    where: { slug: input.slug },
    select: {
      ...productRefSelect,
      outputPorts: { where: { name: input.port }, select: { type: true, location: true } },
    },
  });
  if (!product || !can(user, "product.read", toProductRef(product))) throw new NotFoundError("No such data product");
  const port = product.outputPorts[0];
  if (!port) throw new NotFoundError(`No output port "${input.port}"`);
  if (port.type !== "trino_table") throw new UserError("Only table ports can be previewed");
  const table = parseTableRef(port.location);
  const trinoUser = trinoUserName(user.email, input.userMapping);
  const limit = Math.max(1, Math.min(PREVIEW_MAX_ROWS, Math.floor(input.limit)));

  if (trino.mode === "embedded") {
    const rules = await buildTrinoRules(db, { userMapping: input.userMapping, location: port.location });
    const decision = evaluateTableAccess(rules, { user: trinoUser }, table);
    if (!decision.allowed) throw new ForbiddenError("You do not have access to this table yet. Request access to read its data.");
    const result = await trino.previewRows(trinoUser, table, { limit, signal: input.signal });
    const maskedIdx = result.columns.map((c, i) => (decision.masked.includes(c.name) ? i : -1)).filter((i) => i >= 0);
    const rows = result.rows.map((r) => r.map((v, i) => (maskedIdx.includes(i) ? (typeof v === "string" ? "***" : null) : v)));
    return { ...result, rows, masked: decision.masked, mode: "embedded" };
  }

  try {
    const result = await trino.previewRows(trinoUser, table, { limit, timeoutMs: 20_000, signal: input.signal });
    return { ...result, masked: [], mode: "connected" };
  } catch (err) {
    if (err instanceof IntegrationError && err.reason === "PERMISSION_DENIED") {
      throw new ForbiddenError("Trino refused: you do not have access to this table yet. Request access to read its data.");
    }
    if (err instanceof IntegrationError) {
      throw new UserError(`Trino could not run the preview: ${err.message}`, { status: 502, code: "upstream" });
    }
    throw err;
  }
}
