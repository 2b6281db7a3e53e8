import { z } from "zod";
import { can } from "@/lib/auth/permissions";
import { productRefSelect, toProductRef } from "@/lib/catalog/queries";
import type { Tx } from "@/lib/db/client";
import { NotFoundError } from "@/lib/errors";
import type { Operation } from "@/lib/http/operation";
import { OM_MAX_DEPTH } from "@/lib/lineage/openmetadata";
import { openMetadataSyncStatus, requestOpenMetadataSync, type OmSyncStatus } from "@/lib/lineage/openmetadata-jobs";
import type { JobDto } from "@/lib/jobs/outbox";

/** The REST operations behind /api/v1/lineage/openmetadata; `configured` says whether OpenMetadata is connected. */

const slug = z.string().trim().min(1).max(200);

async function productBySlug(db: Tx, product: string) {
  const p = await db.dataProduct.findUnique({ where: { slug: product }, select: productRefSelect });
  if (!p) throw new NotFoundError(`No data product "${product}"`);
  return p;
}

const statusInput = z.object({ product: slug });
const syncInput = z.object({ product: slug, depth: z.number().int().min(1).max(OM_MAX_DEPTH).optional() });

export type OmSyncRequestResult = { queued: boolean; job: JobDto; status: OmSyncStatus };

export function openMetadataSyncOperations(configured: () => Promise<boolean>) {
  const status: Operation<typeof statusInput, OmSyncStatus> = {
    name: "getOpenMetadataLineageSync",
    input: statusInput,
    handler: async (ctx, { product }) => {
      const p = await productBySlug(ctx.db, product);
      ctx.authorize("product.read", toProductRef(p));
      return openMetadataSyncStatus(ctx.db, p.id, await configured());
    },
  };
  const sync: Operation<typeof syncInput, OmSyncRequestResult> = {
    name: "syncOpenMetadataLineage",
    input: syncInput,
    handler: async (ctx, { product, depth }) => {
      const p = await productBySlug(ctx.db, product);
      const ref = toProductRef(p);
      ctx.authorize("product.read", ref);
      // Whoever answers for the product: its owners, its domain's stewards, admins (lineage:write or products:write for tokens).
      if (!can(ctx.user, "product.update", ref)) ctx.authorize("lineage.edit", { from: ref, to: null });
      const isConfigured = await configured();
      const { job, queued } = await ctx.db.$transaction((tx) =>
        requestOpenMetadataSync(tx, ctx.actor, { id: p.id, slug: p.slug }, { configured: isConfigured, depth }),
      );
      return { queued, job, status: await openMetadataSyncStatus(ctx.db, p.id, isConfigured) };
    },
  };
  return { status, sync };
}
