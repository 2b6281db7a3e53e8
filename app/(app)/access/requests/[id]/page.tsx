import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { RequestDetailView } from "@/components/access/request-detail";
import { getRequestDetail } from "@/lib/access/queries";
import { requireUser } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";

type Params = Promise<{ id: string }>;

const load = cache(async (id: string) => getRequestDetail(await getPrisma(), await requireUser(), id));

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const r = await load((await params).id);
  return { title: r ? `Access to ${r.product.name} / ${r.port}` : "Access request not found" };
}

export default async function AccessRequestPage({ params }: { params: Params }) {
  const request = await load((await params).id);
  // Requests the user may not see are "not found", like ones that do not exist.
  if (!request) notFound();
  return <RequestDetailView request={request} />;
}
