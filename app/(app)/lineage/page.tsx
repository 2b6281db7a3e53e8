import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { parseLineageView } from "@/components/lineage/graph-model";
import { LineageExplorer } from "@/components/lineage/lineage-explorer";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Lineage" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * /lineage — the lineage graph around a product (?product=slug), a table or column (?fqn=) or any
 * node (?node=id); depth, level and view are in the URL too, so a view can be shared.
 */
export default async function LineagePage({ searchParams }: { searchParams: SearchParams }) {
  await requireUser();
  const raw = await searchParams;
  const initial = parseLineageView({ get: (k) => (Array.isArray(raw[k]) ? (raw[k] as string[])[0]! : ((raw[k] as string | undefined) ?? null)) });
  return (
    <>
      <PageHeader
        title="Lineage"
        description="What each data product, table and column reads from and what reads it: from whole products down to columns, with the impact of a change."
        actions={
          <Link href="/lineage/import" className="btn btn-secondary">
            Import dbt manifest
          </Link>
        }
      />
      <Suspense>
        <LineageExplorer initial={initial} syncUrl picker height={640} />
      </Suspense>
    </>
  );
}
