import { z } from "zod";
import { queryFlag } from "@/lib/http/schemas";
import type { GraphFocus } from "@/lib/lineage/graph";

/**
 * Query parameters of the lineage endpoints. A graph or an impact report is centred on exactly one
 * of: a product slug, a node id (`product:<id>`, `port:<id>`, `table:<id>`, `column:<id>`) or a table
 * or column name.
 */

const text = (max: number) => z.string().trim().min(1).max(max).optional();
const booleanParam = queryFlag(false);
const depth = (fallback: number) =>
  z.coerce.number({ error: "Use a number from 0 to 5" }).int("Use a whole number").min(0, "Use a number from 0 to 5").max(5, "Use a number from 0 to 5").default(fallback);

export const focusFields = z.object({ product: text(200), node: text(80), fqn: text(1000) });

export function focusOf(input: { product?: string; node?: string; fqn?: string }): GraphFocus {
  if (input.product) return { product: input.product };
  if (input.node) return input.node;
  return { fqn: input.fqn! };
}

const oneFocus = (v: { product?: string; node?: string; fqn?: string }) => [v.product, v.node, v.fqn].filter(Boolean).length === 1;
const oneFocusError = { message: "Give exactly one of product, node or fqn", path: ["product"] };

export const graphQuerySchema = focusFields
  .extend({
    up: depth(2),
    down: depth(2),
    columns: booleanParam,
    maxNodes: z.coerce.number().int().min(1).max(2000).optional(),
  })
  .refine(oneFocus, oneFocusError);

export const impactQuerySchema = focusFields.refine(oneFocus, oneFocusError);

export const edgeInputSchema = z.object({
  kind: z.enum(["table", "column"], { error: "kind must be table or column" }),
  from: z.string().trim().min(1, "Name the upstream table or column").max(1000),
  to: z.string().trim().min(1, "Name the downstream table or column").max(1000),
  note: z.string().trim().max(2000, "Keep the note under 2000 characters").default(""),
});
export type EdgeInput = z.infer<typeof edgeInputSchema>;

export const deprecateInputSchema = z.object({
  reason: z.string().trim().max(2000, "Keep the reason under 2000 characters").default(""),
  dryRun: z.union([z.boolean(), booleanParam]).default(false),
});
