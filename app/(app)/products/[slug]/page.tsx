import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { DependencyList } from "@/components/catalog/dependency-list";
import { PortCard } from "@/components/catalog/port-schema";
import { ProductGovernance } from "@/components/governance/product-governance";
import { DEFAULT_DEPTH } from "@/components/lineage/graph-model";
import { LineageExplorer } from "@/components/lineage/lineage-explorer";
import { OpenMetadataSync } from "@/components/lineage/openmetadata-sync";
import { ChangeLevelBadge } from "@/components/products/change-list";
import { DeprecateProduct } from "@/components/products/deprecate-product";
import { PublishButton } from "@/components/products/publish-button";
import { ProvisioningPanel } from "@/components/provisioning/provisioning-panel";
import { ClassificationBadge, StatusBadge, Tag } from "@/components/ui/badge";
import { requireUser } from "@/lib/auth/session";
import { productHistory } from "@/lib/audit/queries";
import { getProductDetail } from "@/lib/catalog/queries";
import { config } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { latestEvaluations } from "@/lib/governance/service";
import { AccessSections } from "./access-sections";
import { renderMarkdown } from "@/lib/markdown";
import { listVersions } from "@/lib/products/versions";

type Params = Promise<{ slug: string }>;

const load = cache(async (slug: string) => {
  const user = await requireUser();
  return getProductDetail(await getPrisma(), user, slug);
});

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const product = await load((await params).slug);
  return { title: product?.name ?? "Product not found" };
}

export default async function ProductPage({ params }: { params: Params }) {
  const product = await load((await params).slug);
  if (!product) notFound();
  const html = renderMarkdown(product.description);
  // The change history is for the people who work on the product.
  const history = product.permissions.update ? await productHistory(await getPrisma(), product.ref.id) : null;
  const versions = await listVersions(await getPrisma(), product.ref.id);
  const [evaluation] = await latestEvaluations(await getPrisma(), await requireUser(), { products: [product.slug] });
  const date = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString("en-GB", { dateStyle: "medium" }) : "—");

  return (
    <article aria-labelledby="product-name">
      <nav aria-label="Breadcrumb" className="mb-3 text-sm text-slate-500">
        <Link href="/products" className="hover:underline">
          Catalogue
        </Link>{" "}
        /{" "}
        <Link href={`/products?domain=${product.domain.slug}`} className="hover:underline">
          {product.domain.name}
        </Link>
      </nav>
      <header className="mb-6">
        <div className="flex flex-wrap items-center gap-3">
          <h1 id="product-name" className="text-2xl font-semibold tracking-tight">
            {product.name}
          </h1>
          <StatusBadge status={product.status} />
          <ClassificationBadge value={product.classification} />
          <span className="text-sm text-slate-500">v{product.version}</span>
        </div>
        {product.summary ? <p className="mt-2 max-w-3xl text-slate-700">{product.summary}</p> : null}
        {product.tags.length ? (
          <div className="mt-3 flex flex-wrap gap-1" aria-label="Tags">
            {product.tags.map((t) => (
              <Link key={t} href={`/products?tag=${encodeURIComponent(t)}`}>
                <Tag>{t}</Tag>
              </Link>
            ))}
          </div>
        ) : null}
        {product.status === "deprecated" ? (
          <p role="note" className="mt-3 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
            This product is deprecated: it still serves data but will be retired. Plan a move to its successor.
          </p>
        ) : product.status === "retired" ? (
          <p role="note" className="mt-3 rounded-md bg-slate-100 p-3 text-sm text-slate-700">
            This product is retired and no longer serves data. It stays in the catalogue for reference.
          </p>
        ) : product.status === "draft" ? (
          <div role="note" className="mt-3 flex flex-wrap items-center justify-between gap-3 rounded-md bg-sky-50 p-3 text-sm text-sky-900">
            <p>Draft: visible only to its owners and the domain&apos;s stewards until it is published.</p>
            {product.permissions.publish ? <PublishButton slug={product.slug} /> : null}
          </div>
        ) : null}
        <div className="mt-4 flex flex-wrap gap-2 text-sm">
          <Link href={`/products/${product.slug}/versions`} className="btn btn-secondary">
            Version history
          </Link>
          <a href={`/api/v1/products/${product.slug}/descriptor?bundle=1`} className="btn btn-secondary" download={`${product.slug}.bundle.yaml`}>
            Download descriptor
          </a>
          {product.permissions.update && product.status !== "retired" ? (
            <Link href={`/products/import?product=${product.slug}`} className="btn btn-secondary">
              Update from descriptor
            </Link>
          ) : null}
          <a href="#lineage" className="btn btn-secondary">
            Lineage
          </a>
          {product.permissions.publish && product.status === "published" ? <DeprecateProduct slug={product.slug} productName={product.name} /> : null}
        </div>
      </header>

      <div className="grid gap-6 lg:grid-cols-[1fr_18rem]">
        <div className="space-y-8">
          <section aria-labelledby="overview">
            <h2 id="overview" className="mb-2 text-lg font-semibold">
              Overview
            </h2>
            <div className="card p-4">
              {product.description ? (
                <div className="prose-canopy" dangerouslySetInnerHTML={{ __html: html }} />
              ) : (
                <p className="text-sm text-slate-500">No description yet.</p>
              )}
            </div>
          </section>

          <section aria-labelledby="ports">
            <h2 id="ports" className="mb-2 text-lg font-semibold">
              Output ports and schema
            </h2>
            {product.ports.length ? (
              <div className="space-y-4">
                {product.ports.map((port) => (
                  <PortCard key={port.name} port={port} productSlug={product.slug} />
                ))}
              </div>
            ) : (
              <p className="text-sm text-slate-500">This product has no output ports yet.</p>
            )}
          </section>

          {/* Access: the user's access per port or a request form; for owners, who has access. */}
          <AccessSections product={product} />

          <ProductGovernance evaluation={evaluation ?? null} status={product.status} canEdit={product.permissions.update} slug={product.slug} />

          <section aria-labelledby="dependencies">
            <h2 id="dependencies" className="mb-2 text-lg font-semibold">
              Dependencies
            </h2>
            <div className="grid gap-4 md:grid-cols-2">
              <div className="card p-4">
                <h3 className="mb-2 text-sm font-semibold text-slate-700">Upstream — this product reads</h3>
                <DependencyList items={product.upstream} direction="upstream" empty="No upstream products: this is a source-aligned product." />
              </div>
              <div className="card p-4">
                <h3 className="mb-2 text-sm font-semibold text-slate-700">Downstream — read by</h3>
                <DependencyList items={product.downstream} direction="downstream" empty="No product reads this one yet." />
              </div>
            </div>
          </section>

          <section aria-labelledby="lineage">
            <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
              <h2 id="lineage" className="text-lg font-semibold">
                Lineage
              </h2>
              <Link href={`/lineage?product=${product.slug}`} className="text-sm text-canopy-800 hover:underline">
                Open in the lineage explorer
              </Link>
            </div>
            <LineageExplorer initial={{ product: product.slug, fqn: null, node: null, up: DEFAULT_DEPTH, down: DEFAULT_DEPTH, columns: false, view: "graph" }} height={480} compact />
            <div className="mt-4">
              <OpenMetadataSync slug={product.slug} canSync={product.permissions.update} />
            </div>
          </section>

          <section aria-labelledby="versions">
            <h2 id="versions" className="mb-2 text-lg font-semibold">
              Versions
            </h2>
            {versions.length ? (
              <ol className="card divide-y divide-slate-100 text-sm">
                {versions.slice(0, 5).map((v) => (
                  <li key={v.version} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2">
                    <span className="font-mono font-semibold">{v.version}</span>
                    <ChangeLevelBadge level={v.changeLevel} />
                    <time dateTime={v.createdAt} className="text-slate-500">
                      {date(v.createdAt)}
                    </time>
                    <span className="min-w-0 flex-1 truncate text-slate-700">{v.changelog.split("\n")[0]}</span>
                  </li>
                ))}
              </ol>
            ) : (
              <p className="text-sm text-slate-500">No versions recorded yet.</p>
            )}
            <p className="mt-2 text-sm">
              <Link href={`/products/${product.slug}/versions`} className="text-canopy-800 hover:underline">
                All versions and differences
              </Link>
            </p>
          </section>

          {history ? (
            <section aria-labelledby="history">
              <h2 id="history" className="mb-2 text-lg font-semibold">
                History
              </h2>
              {history.length ? (
                <ol className="card divide-y divide-slate-100 text-sm">
                  {history.map((e) => (
                    <li key={e.id} className="flex flex-wrap gap-x-3 px-4 py-2">
                      <time dateTime={e.at} className="text-slate-500">
                        {new Date(e.at).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" })}
                      </time>
                      <span className="font-mono text-xs leading-5">{e.action}</span>
                      <span>by {e.actor}</span>
                    </li>
                  ))}
                </ol>
              ) : (
                <p className="text-sm text-slate-500">No changes recorded yet.</p>
              )}
            </section>
          ) : null}
          {product.permissions.update ? (
            <ProvisioningPanel
              slug={product.slug}
              canProvision={product.permissions.provision}
              connected={config().integrations.kubernetes.mode !== "embedded"}
            />
          ) : null}
        </div>

        <aside aria-label="About this product" className="space-y-4">
          <div className="card p-4 text-sm">
            <h2 className="mb-2 font-semibold">Owners</h2>
            {product.ownerTeam ? <p className="mb-2 text-slate-700">Team {product.ownerTeam.name}</p> : null}
            <ul className="space-y-1">
              {product.owners.map((o) => (
                <li key={o.email}>
                  <a href={`mailto:${o.email}`} className="text-canopy-800 hover:underline">
                    {o.name}
                  </a>
                </li>
              ))}
              {!product.owners.length ? <li className="text-slate-500">No owner recorded</li> : null}
            </ul>
          </div>
          <div className="card p-4 text-sm">
            <h2 className="mb-2 font-semibold">Details</h2>
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
              <dt className="text-slate-500">Domain</dt>
              <dd>{product.domain.name}</dd>
              <dt className="text-slate-500">Version</dt>
              <dd>{product.version}</dd>
              <dt className="text-slate-500">Published</dt>
              <dd>{date(product.publishedAt)}</dd>
              <dt className="text-slate-500">Updated</dt>
              <dd>{date(product.updatedAt)}</dd>
            </dl>
          </div>
        </aside>
      </div>
    </article>
  );
}
