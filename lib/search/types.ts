import { z } from "zod";
// client-safe: no server imports in this file
export const SEARCH_FACETS = ["domain", "team", "tag", "classification", "status", "portType", "access"] as const;
export type FacetName = (typeof SEARCH_FACETS)[number];
const list = z.preprocess((v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : String(v).split(",")), z.array(z.string().trim().min(1).max(100)).max(20));
export const searchInputSchema = z.object({
  q: z.string().trim().max(200).default(""),
  domain: list, team: list, tag: list,
  classification: list, status: list, portType: list,
  access: z.enum(["any", "mine"]).default("any"),   // "mine": only products I have access to (owner, team, active grant)
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type SearchInput = z.infer<typeof searchInputSchema>;
export type Highlight = { text: string; match: boolean }[];   // fragments; match=true renders <mark>
export type ProductHit = {
  kind: "product";
  slug: string; name: Highlight; summary: Highlight;     // summary empty when restricted
  status: "draft" | "published" | "deprecated" | "retired";
  classification: "public" | "internal" | "confidential" | "restricted";
  domain: { slug: string; name: string }; ownerTeam: { slug: string; name: string } | null;
  tags: string[]; portTypes: string[];
  restricted: boolean;        // shown without details (no summary, no column/port reasons)
  hasAccess: boolean;
  reasons: string[];          // e.g. "matched column customer_email", "matched tag pii"
  score: number;
};
export type EntityHit = { kind: "port" | "column" | "domain" | "owner" | "tag"; label: Highlight; detail: string; href: string };
export type FacetCount = { value: string; label: string; count: number };
export type SearchResponse = {
  q: string;
  correctedQuery: string | null;   // the query actually run when typos were corrected
  didYouMean: string | null;        // suggestion when few/no hits
  total: number; totalIsEstimate: boolean;   // e.g. capped counts shown as "10,000+"
  products: ProductHit[];
  others: { port: EntityHit[]; column: EntityHit[]; domain: EntityHit[]; owner: EntityHit[]; tag: EntityHit[] };  // first page only, ≤5 each
  facets: Record<FacetName, FacetCount[]>;
  nextCursor: string | null;
  popularTags: { tag: string; count: number }[];   // for empty states
};
export type Suggestion = { kind: "product" | "domain" | "tag" | "column" | "owner" | "port"; label: string; detail: string; href: string };
export const suggestInputSchema = z.object({ q: z.string().trim().min(2).max(100), limit: z.coerce.number().int().min(1).max(10).default(8) });
