import type { Metadata } from "next";
import { RequestTable } from "@/components/access/request-table";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { listMyRequests, listWaitingOnMe } from "@/lib/access/queries";
import { requireUser } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";

export const metadata: Metadata = { title: "Access" };

export default async function AccessPage() {
  const user = await requireUser();
  const db = await getPrisma();
  const [waiting, mine] = await Promise.all([listWaitingOnMe(db, user), listMyRequests(db, user)]);
  return (
    <>
      <PageHeader title="Access" description="Requests for access to data products: the ones waiting on your decision and your own." />
      <section aria-labelledby="waiting" className="mb-10">
        <h2 id="waiting" className="mb-3 text-lg font-semibold">
          Waiting on me <span className="text-sm font-normal text-slate-500">({waiting.length})</span>
        </h2>
        {waiting.length ? (
          <RequestTable items={waiting} caption="Requests waiting on your decision" showRequester />
        ) : (
          <EmptyState title="Nothing waiting on you">Requests for products you own or govern appear here.</EmptyState>
        )}
      </section>
      <section aria-labelledby="mine">
        <h2 id="mine" className="mb-3 text-lg font-semibold">
          My requests <span className="text-sm font-normal text-slate-500">({mine.length})</span>
        </h2>
        {mine.length ? (
          <RequestTable items={mine} caption="Your access requests" />
        ) : (
          <EmptyState title="You have not requested access yet">Find a product in the catalogue and request access from its page.</EmptyState>
        )}
      </section>
    </>
  );
}
