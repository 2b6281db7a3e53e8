import type { Metadata } from "next";
import Link from "next/link";
import { AccessInbox } from "@/components/access/inbox";
import { PageHeader } from "@/components/ui/page-header";
import { listAccessInbox } from "@/lib/access/queries";
import { inboxFilterInput, type InboxFilter } from "@/lib/access/schemas";
import { requireUser } from "@/lib/auth/session";
import { listDomainsWithCounts, listProducts } from "@/lib/catalog/queries";
import { getPrisma } from "@/lib/db/client";

export const metadata: Metadata = { title: "Access requests" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AccessPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser();
  const db = await getPrisma();
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = inboxFilterInput.safeParse(raw);
  // A hand-edited URL with a bad filter shows the unfiltered tab rather than an error page.
  const filter: InboxFilter = parsed.success ? parsed.data : { tab: "waiting" };
  const [items, domains, products] = await Promise.all([
    listAccessInbox(db, user, filter),
    listDomainsWithCounts(db, user),
    listProducts(db, user, { q: undefined, tag: undefined, domain: filter.domain }),
  ]);
  return (
    <>
      <PageHeader
        title="Access requests"
        description="Decide on requests for the products you own or govern, and follow your own."
        actions={
          <Link href="/access/mine" className="btn-secondary">
            My access
          </Link>
        }
      />
      {!parsed.success ? (
        <p role="alert" className="mb-4 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          Some filters in the address were not understood and are ignored: {parsed.error.issues.map((i) => i.message).join("; ")}.
        </p>
      ) : null}
      <AccessInbox
        initial={{ filter, items }}
        domains={domains.map((d) => ({ slug: d.slug, name: d.name }))}
        products={products.map((p) => ({ slug: p.slug, name: p.name })).sort((a, b) => a.name.localeCompare(b.name))}
      />
    </>
  );
}
