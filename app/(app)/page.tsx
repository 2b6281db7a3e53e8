import { redirect } from "next/navigation";
import { searchHref } from "@/components/search/search-url";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The home page is the catalogue; a text query (`/?q=…`, e.g. from a browser's search shortcut) goes to search. */
export default async function Home({ searchParams }: { searchParams: SearchParams }) {
  const q = (await searchParams).q;
  const text = (Array.isArray(q) ? q[0] : q)?.trim();
  redirect(text ? searchHref({ q: text.slice(0, 200) }) : "/products");
}
