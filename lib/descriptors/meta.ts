import { config } from "@/lib/config";
import type { Tx } from "@/lib/db/client";
import type { DescriptorMeta } from "@/lib/descriptors/build";
import type { ProductSpec } from "@/lib/products/spec";

/**
 * What a product's descriptors need from the catalogue beyond the product itself: the owning
 * team's display name, the versions of the upstream products it reads, and the Trino endpoint
 * table ports are served from. Used for exports and worth using for version snapshots, so both
 * say the same.
 */

/** The Trino endpoint written into table ports' ODCS servers. */
function trinoEndpoint(): DescriptorMeta["trino"] {
  const t = config().integrations.trino;
  if (t.mode !== "connected") return undefined;
  try {
    const url = new URL(t.url);
    return { host: url.hostname, port: url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 8080 };
  } catch {
    return undefined;
  }
}

/** What the catalogue knows beyond the product service's meta: the team's name, upstream versions, Trino. */
export async function descriptorMeta(db: Tx, loaded: { spec: ProductSpec; meta: DescriptorMeta }): Promise<DescriptorMeta> {
  const { spec, meta } = loaded;
  const [team, upstream] = await Promise.all([
    spec.team ? db.team.findUnique({ where: { slug: spec.team }, select: { name: true } }) : Promise.resolve(null),
    spec.inputs.length
      ? db.dataProduct.findMany({ where: { slug: { in: spec.inputs.map((i) => i.product) } }, select: { slug: true, version: true } })
      : Promise.resolve([]),
  ]);
  const versions = new Map(upstream.map((p) => [p.slug, p.version]));
  const inputVersions: Record<string, string> = {};
  for (const i of spec.inputs) {
    const v = versions.get(i.product);
    if (v) inputVersions[`${i.product}/${i.port}`] = v;
  }
  const trino = trinoEndpoint();
  return { ...meta, ...(team ? { teamName: team.name } : {}), inputVersions, ...(trino ? { trino } : {}) };
}
