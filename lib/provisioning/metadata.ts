import type { Tx } from "@/lib/db/client";
import { NotFoundError } from "@/lib/errors";
import type { OpenMetadataClient } from "@/lib/integrations/openmetadata/types";
import type { JobHandler } from "@/lib/jobs/worker";

/** Shares a product with OpenMetadata: its domain, the data product, and its tables with classification tags. */

export const PUSH_METADATA_JOB = "openmetadata.push-product";

/** The OpenMetadata database service trino_table ports are shared under: `trino.<catalog>.<schema>.<table>`. */
export const OM_TRINO_SERVICE = "trino";

/**
 * OpenMetadata tags for a column. Only tags every OpenMetadata ships (its PII classification) are
 * used: a tag that does not exist there makes the whole table upsert fail.
 */
export function columnTags(field: { pii: boolean }): string[] {
  return field.pii ? ["PII.Sensitive"] : [];
}

async function loadForMetadata(db: Tx, productId: string) {
  const p = await db.dataProduct.findUnique({
    where: { id: productId },
    select: {
      slug: true,
      name: true,
      summary: true,
      domain: { select: { name: true, description: true } },
      outputPorts: {
        where: { type: "trino_table" },
        select: {
          location: true,
          description: true,
          fields: { orderBy: { position: "asc" }, select: { name: true, type: true, description: true, pii: true, classification: true } },
        },
      },
    },
  });
  if (!p) throw new NotFoundError("No such product");
  return p;
}

export function pushProductMetadataHandler(om: OpenMetadataClient): JobHandler {
  return async (job, { db }) => {
    const { productId } = job.payload as { productId: string };
    const p = await loadForMetadata(db, productId);
    if (om.mode === "embedded") return { pushed: false, reason: "OpenMetadata is not configured" };
    await om.upsertDomain({ name: p.domain.name, description: p.domain.description });
    const product = await om.upsertDataProduct({ name: p.slug, domain: p.domain.name, description: p.summary });
    const tables = [];
    for (const port of p.outputPorts) {
      const [catalog, schema, table] = port.location.split(".");
      if (!catalog || !schema || !table) continue;
      const ref = await om.upsertTable({
        databaseSchema: `${OM_TRINO_SERVICE}.${catalog}.${schema}`,
        name: table,
        description: port.description,
        domain: p.domain.name,
        dataProducts: [`${p.domain.name}.${p.slug}`],
        columns: port.fields.map((f) => ({ name: f.name, dataType: f.type, description: f.description, tags: columnTags(f) })),
      });
      tables.push(ref.fullyQualifiedName ?? ref.id);
    }
    return { pushed: true, dataProduct: product.fullyQualifiedName ?? product.id, tables };
  };
}
