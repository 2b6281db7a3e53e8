import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DescriptorImport } from "@/components/descriptors/descriptor-import";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { productRefSelect, toProductRef } from "@/lib/catalog/queries";
import { config } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { slugSchema } from "@/lib/products/spec";

export const metadata: Metadata = { title: "Import a descriptor" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * /products/import[?product=<slug>] — create or change a product from its ODPS descriptor and ODCS
 * contracts, with a preview of what changes. With `product` (the product page's "Update from
 * descriptor"; `slug` is read too), the import goes into that product.
 */
export default async function ImportDescriptorPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser();
  const params = await searchParams;
  const raw = params.product ?? params.slug;
  let target: { slug: string; name: string } | null = null;
  if (raw !== undefined) {
    const slug = slugSchema.safeParse(Array.isArray(raw) ? raw[0] : raw);
    if (!slug.success) notFound();
    const product = await (await getPrisma()).dataProduct.findUnique({ where: { slug: slug.data }, select: productRefSelect });
    if (!product || !can(user, "product.read", toProductRef(product))) notFound();
    if (!can(user, "product.update", toProductRef(product)))
      return (
        <>
          <PageHeader title="Import a descriptor" />
          <div role="alert" className="card p-6 text-sm text-slate-800">
            <p className="font-semibold">You cannot change {product.name}.</p>
            <p className="mt-1">Only its owners and the stewards of its domain may import descriptors into it.</p>
            <Link href={`/products/${product.slug}`} className="mt-3 inline-block text-canopy-700 underline">
              Back to {product.name}
            </Link>
          </div>
        </>
      );
    target = { slug: product.slug, name: product.name };
  }
  const origin = (config().auth.url ?? "https://canopy.example.com").replace(/\/+$/, "");
  return (
    <>
      <PageHeader
        title={target ? `Import a descriptor into ${target.name}` : "Import a descriptor"}
        description="Create or change a data product from its ODPS descriptor and the ODCS contracts of its output ports. You see what Canopy reads and what would change before anything is saved."
      />
      <DescriptorImport target={target} />
      <section aria-labelledby="import-as-code" className="mt-8 max-w-3xl text-sm text-slate-700">
        <h2 id="import-as-code" className="text-base font-semibold text-slate-900">
          Keep descriptors in git
        </h2>
        <p className="mt-1">
          The same import is an API call, so a CI pipeline can push the descriptor on every change. Use an API token with the{" "}
          <code className="font-mono">products:write</code> scope; add <code className="font-mono">dryRun=true</code> to check a change in a pull request.
        </p>
        <pre className="mt-2 overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100">
          {`curl -X PUT --fail-with-body \\
  -H "Authorization: Bearer $CANOPY_TOKEN" \\
  -H "Content-Type: application/yaml" \\
  --data-binary @descriptor.yaml \\
  "${origin}/api/v1/products/${target?.slug ?? "<slug>"}/descriptor?changelog=From%20CI"`}
        </pre>
        <p className="mt-2">
          Export the current descriptor with <code className="font-mono">GET /api/v1/products/{target?.slug ?? "<slug>"}/descriptor?bundle=1</code>.
        </p>
      </section>
    </>
  );
}
