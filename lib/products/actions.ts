"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/http/action";
import { getIntegrations } from "@/lib/integrations/registry";
import { previewSubmission } from "@/lib/products/preview";
import { planProductChange, publishDraft, saveProduct } from "@/lib/products/service";
import { semverSchema } from "@/lib/products/spec";

/** The wizard's Review step: descriptors, provisioning dry run, checks and (for an existing product) the change plan. */
export const previewProductSubmission = defineAction({
  name: "previewProductSubmission",
  input: z.object({ spec: z.unknown() }),
  handler: async (ctx, { spec }) => previewSubmission(ctx.db, ctx.user, (await getIntegrations()).kubernetes, spec),
});

export const planProductChangeAction = defineAction({
  name: "planProductChange",
  input: z.object({ spec: z.unknown() }),
  handler: async (ctx, { spec }) => planProductChange(ctx.db, ctx.user, spec),
});

/** Creates the product from the wizard (v1.0.0, draft or published) and removes the wizard's draft. */
export const submitProduct = defineAction({
  name: "submitProduct",
  input: z.object({ spec: z.unknown(), publish: z.boolean().default(false), draftId: z.uuid().optional() }),
  handler: async (ctx, { spec, publish, draftId }) => {
    // The pages read the catalogue on every request, so there is nothing to revalidate; doing so
    // would re-render the wizard whose draft was just removed.
    const result = await saveProduct(ctx.db, ctx, spec, { publish, createOnly: true, draftId, via: "wizard" });
    return { slug: result.slug, version: result.version, status: result.status, created: result.created };
  },
});

/** Publishes a change to an existing product as a new version (or rewrites a draft). */
export const saveProductChange = defineAction({
  name: "saveProductChange",
  input: z.object({
    spec: z.unknown(),
    version: semverSchema.optional(),
    changelog: z.string().trim().max(5000, "Keep the changelog under 5000 characters").optional(),
    acknowledgeBreaking: z.boolean().default(false),
    draftId: z.uuid().optional(),
  }),
  handler: async (ctx, { spec, version, changelog, acknowledgeBreaking, draftId }) => {
    const result = await saveProduct(ctx.db, ctx, spec, { version, changelog, acknowledgeBreaking, draftId });
    revalidatePath(`/products/${result.slug}`);
    return { slug: result.slug, version: result.version, status: result.status, changeLevel: result.changeLevel };
  },
});

export const publishProduct = defineAction({
  name: "publishProduct",
  input: z.object({ slug: z.string().min(1).max(200) }),
  handler: async (ctx, { slug }) => {
    const result = await publishDraft(ctx.db, ctx, slug);
    revalidatePath(`/products/${slug}`);
    revalidatePath("/products");
    return result;
  },
});
