"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { searchUpstreamProducts, slugAvailability } from "@/lib/drafts/catalogue";
import { saveDraftInput } from "@/lib/drafts/schemas";
import { discardDraft, saveDraft } from "@/lib/drafts/service";
import { defineAction } from "@/lib/http/action";
import { renderMarkdown } from "@/lib/markdown";
import { slugSchema } from "@/lib/products/spec";

/** Autosave of the onboarding wizard: creates the draft on the first save, then saves over it. */
export const saveProductDraft = defineAction({
  name: "saveProductDraft",
  input: saveDraftInput,
  handler: (ctx, input) => saveDraft(ctx.db, ctx, input),
});

export const discardProductDraft = defineAction({
  name: "discardProductDraft",
  input: z.object({ id: z.uuid("Not a draft id") }),
  handler: async (ctx, { id }) => {
    const result = await discardDraft(ctx.db, ctx, id);
    revalidatePath("/products/drafts");
    return result;
  },
});

/** The description as the product page will show it: rendered and sanitized on the server. */
export const previewDescription = defineAction({
  name: "previewDescription",
  input: z.object({ source: z.string().max(20_000, "A description is at most 20000 characters") }),
  permission: "catalog.browse",
  handler: async (_ctx, { source }) => ({ html: renderMarkdown(source) }),
});

export const checkSlugAvailability = defineAction({
  name: "checkSlugAvailability",
  input: z.object({ slug: slugSchema }),
  permission: "catalog.browse",
  handler: (ctx, { slug }) => slugAvailability(ctx.db, slug),
});

/** Published and deprecated products the user sees, with their output ports, for the Inputs step. */
export const searchUpstreamPorts = defineAction({
  name: "searchUpstreamPorts",
  input: z.object({ q: z.string().trim().max(100, "Search for at most 100 characters").default("") }),
  permission: "catalog.browse",
  handler: (ctx, { q }) => searchUpstreamProducts(ctx.db, ctx.user, q),
});
