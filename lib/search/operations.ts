import "server-only";
import type { Operation } from "@/lib/http/operation";
import { search, suggest } from "@/lib/search/service";
import { searchInputSchema, suggestInputSchema, type SearchResponse, type Suggestion } from "@/lib/search/types";

/** The REST operations of search (app/api/v1/search/**); the web pages call the service directly. */

export const searchOperation: Operation<typeof searchInputSchema, SearchResponse> = {
  name: "searchCatalogue",
  input: searchInputSchema,
  permission: "catalog.browse",
  handler: (ctx, input) => search(ctx.db, ctx.user, input),
};

export const suggestOperation: Operation<typeof suggestInputSchema, { items: Suggestion[] }> = {
  name: "suggestSearch",
  input: suggestInputSchema,
  permission: "catalog.browse",
  handler: async (ctx, input) => ({ items: await suggest(ctx.db, ctx.user, input) }),
};
