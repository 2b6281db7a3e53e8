import type { InboxFilter } from "@/lib/access/schemas";

/** TanStack Query keys of the access pages and the navigation count. */
export const accessKeys = {
  all: ["access"] as const,
  inboxes: ["access", "inbox"] as const,
  inbox: (f: InboxFilter) => ["access", "inbox", f.tab, f.product ?? "", f.domain ?? "", f.requester ?? "", f.minAgeDays ?? 0, f.sort ?? ""] as const,
  waitingCount: ["access", "waiting-count"] as const,
};

/** The inbox filters as a query string (empty values left out). */
export function filterQuery(f: InboxFilter): string {
  const q = new URLSearchParams();
  q.set("tab", f.tab);
  if (f.product) q.set("product", f.product);
  if (f.domain) q.set("domain", f.domain);
  if (f.requester) q.set("requester", f.requester);
  if (f.minAgeDays) q.set("minAgeDays", String(f.minAgeDays));
  if (f.sort) q.set("sort", f.sort);
  return q.toString();
}
