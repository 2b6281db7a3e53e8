import { z } from "zod";
import type { Operation } from "@/lib/http/operation";
import { deprecateProduct } from "@/lib/lineage/deprecate";
import { addManualEdge, removeManualEdge } from "@/lib/lineage/edges";
import { lineageGraph } from "@/lib/lineage/graph";
import { impactReport } from "@/lib/lineage/impact";
import { deprecateInputSchema, edgeInputSchema, focusOf, graphQuerySchema, impactQuerySchema } from "@/lib/lineage/schemas";

/** The lineage REST operations, free of Next.js so they are tested directly (the routes wrap them). */

export const graphOperation = {
  name: "getLineageGraph",
  input: graphQuerySchema,
  permission: "lineage.view",
  handler: async (ctx, q) => lineageGraph(ctx.db, ctx.user, { focus: focusOf(q), up: q.up, down: q.down, columns: q.columns, maxNodes: q.maxNodes }),
} satisfies Operation<typeof graphQuerySchema, unknown>;

export const impactOperation = {
  name: "getLineageImpact",
  input: impactQuerySchema,
  permission: "lineage.view",
  handler: async (ctx, q) => impactReport(ctx.db, ctx.user, focusOf(q)),
} satisfies Operation<typeof impactQuerySchema, unknown>;

export const addEdgeOperation = {
  name: "addLineageEdge",
  input: edgeInputSchema,
  permission: "lineage.view",
  handler: async (ctx, input) => addManualEdge(ctx.db, ctx, input),
} satisfies Operation<typeof edgeInputSchema, unknown>;

const edgeIdInput = z.object({ id: z.uuid({ error: "Not an edge id" }) });
export const removeEdgeOperation = {
  name: "removeLineageEdge",
  input: edgeIdInput,
  permission: "lineage.view",
  handler: async (ctx, { id }) => removeManualEdge(ctx.db, ctx, id),
} satisfies Operation<typeof edgeIdInput, unknown>;

const deprecateInput = deprecateInputSchema.extend({ slug: z.string().min(1).max(200) });
export const deprecateOperation = {
  name: "deprecateProduct",
  input: deprecateInput,
  handler: async (ctx, { slug, reason, dryRun }) => deprecateProduct(ctx.db, ctx, slug, { reason, dryRun }),
} satisfies Operation<typeof deprecateInput, unknown>;
