import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { lineageEdges } from "@/lib/catalog/governance";
import { getPrisma } from "@/lib/db/client";
import { DataTable } from "@/components/ui/data-table";

export const metadata: Metadata = { title: "Lineage" };

export default async function LineagePage() {
  const user = await requireUser();
  const edges = await lineageEdges(await getPrisma(), user);
  const name = (p: { slug: string; name: string } | null) =>
    p ? (
      <Link href={`/products/${p.slug}`} className="font-medium text-canopy-800 hover:underline">
        {p.name}
      </Link>
    ) : (
      <span className="text-slate-500 italic">Restricted product</span>
    );
  return (
    <>
      <PageHeader title="Lineage" description="Which data products read which: each row is an output port consumed by another product's input port." />
      {edges.length ? (
        <div className="card overflow-x-auto">
          <DataTable caption="Product-level lineage" columns={["Upstream product", "Output port", "Downstream product", "Input"]} cellClassName="px-4 py-2">
            {edges.map((e, i) => (
              <tr key={i} className="border-b border-slate-100">
                <td className="px-4 py-2">{name(e.from)}</td>
                <td className="px-4 py-2 font-mono text-xs">{e.from ? e.port : "—"}</td>
                <td className="px-4 py-2">{name(e.to)}</td>
                <td className="px-4 py-2 font-mono text-xs">{e.to ? e.inputName : "—"}</td>
              </tr>
            ))}
          </DataTable>
        </div>
      ) : (
        <EmptyState title="No lineage recorded yet">Lineage appears when a product declares another product&apos;s output port as an input.</EmptyState>
      )}
    </>
  );
}
