import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ChangeLevelBadge, ChangeList } from "@/components/products/change-list";
import { LineDiff } from "@/components/products/line-diff";
import { FilterSelect } from "@/components/ui/filter-fields";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { productRefSelect, toProductRef } from "@/lib/catalog/queries";
import { getPrisma } from "@/lib/db/client";
import { semverSchema } from "@/lib/products/spec";
import { diffVersions, listVersions } from "@/lib/products/versions";

type Params = Promise<{ slug: string }>;
type Search = Promise<{ from?: string; to?: string }>;

export const metadata: Metadata = { title: "Version history" };

export default async function VersionsPage({ params, searchParams }: { params: Params; searchParams: Search }) {
  const { slug } = await params;
  const query = await searchParams;
  const user = await requireUser();
  const db = await getPrisma();
  const p = await db.dataProduct.findUnique({ where: { slug }, select: { ...productRefSelect, name: true, version: true } });
  if (!p || !can(user, "product.read", toProductRef(p))) notFound();
  const versions = await listVersions(db, p.id);
  const known = new Set(versions.map((v) => v.version));
  const pick = (v: string | undefined, fallback: string | undefined) => {
    const parsed = semverSchema.safeParse(v);
    return parsed.success && known.has(parsed.data) ? parsed.data : fallback;
  };
  const to = pick(query.to, versions[0]?.version);
  const from = pick(query.from, versions[1]?.version ?? versions[0]?.version);
  const invalid = (query.from && from !== query.from) || (query.to && to !== query.to);
  const diff = from && to && from !== to ? await diffVersions(db, p.id, from, to) : null;
  const when = (iso: string) => new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });

  return (
    <article aria-labelledby="versions-title" className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
        <Link href="/products" className="hover:underline">
          Catalogue
        </Link>{" "}
        /{" "}
        <Link href={`/products/${slug}`} className="hover:underline">
          {p.name}
        </Link>
      </nav>
      <h1 id="versions-title" className="text-2xl font-semibold tracking-tight">
        Version history of {p.name}
      </h1>

      <section aria-labelledby="version-list">
        <h2 id="version-list" className="mb-2 text-lg font-semibold">
          Versions
        </h2>
        {versions.length ? (
          <ol className="card divide-y divide-slate-100 text-sm">
            {versions.map((v) => (
              <li key={v.version} className="px-4 py-3">
                <div className="flex flex-wrap items-center gap-3">
                  <span className="font-mono font-semibold">{v.version}</span>
                  <ChangeLevelBadge level={v.changeLevel} />
                  {v.version === p.version ? <span className="text-xs text-emerald-800">current</span> : null}
                  <time dateTime={v.createdAt} className="text-slate-500">
                    {when(v.createdAt)}
                  </time>
                  <span className="text-slate-500">by {v.createdBy}</span>
                  <a className="ml-auto text-canopy-800 hover:underline" href={`/api/v1/products/${slug}/versions/${v.version}`}>
                    Descriptors (JSON)
                  </a>
                </div>
                {v.changelog ? <p className="mt-1 whitespace-pre-line text-slate-700">{v.changelog}</p> : null}
              </li>
            ))}
          </ol>
        ) : (
          <p className="text-sm text-slate-500">No versions recorded yet.</p>
        )}
      </section>

      {versions.length > 1 ? (
        <section aria-labelledby="compare" className="space-y-4">
          <h2 id="compare" className="text-lg font-semibold">
            Compare versions
          </h2>
          <form method="get" className="flex flex-wrap items-end gap-3">
            <FilterSelect name="from" label="From" defaultValue={from} options={versions.map((v) => ({ value: v.version, label: v.version }))} />
            <FilterSelect name="to" label="To" defaultValue={to} options={versions.map((v) => ({ value: v.version, label: v.version }))} />
            <button type="submit" className="btn btn-secondary">
              Compare
            </button>
          </form>
          {invalid ? (
            <p role="alert" className="text-sm text-rose-800">
              One of the requested versions does not exist; showing the closest comparison instead.
            </p>
          ) : null}
          {diff ? (
            <div className="space-y-4">
              <div className="card p-4">
                <h3 className="mb-2 flex items-center gap-2 text-sm font-semibold">
                  What changed from {diff.from} to {diff.to} <ChangeLevelBadge level={diff.level} />
                </h3>
                <ChangeList changes={diff.changes} empty="The two versions describe the same product." />
              </div>
              {diff.documents.map((d) => (
                <LineDiff key={d.title} title={d.title} lines={d.lines} />
              ))}
            </div>
          ) : (
            <p className="text-sm text-slate-500">Choose two different versions to compare.</p>
          )}
        </section>
      ) : null}
    </article>
  );
}
