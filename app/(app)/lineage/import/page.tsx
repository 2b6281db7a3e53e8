import type { Metadata } from "next";
import Link from "next/link";
import { DbtImport } from "@/components/lineage/dbt-import";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { recentDbtImports } from "@/lib/lineage/dbt/import";
import type { DbtImportReport } from "@/lib/lineage/dbt/report";

export const metadata: Metadata = { title: "Import a dbt manifest" };

const count = (n: number, one: string) => `${n} ${n === 1 ? one : `${one}s`}`;

/**
 * /lineage/import — upload a dbt manifest.json: table lineage from its models, seeds, snapshots and
 * sources, column docs and quality rules on the ports serving those tables. Below: the latest
 * imports (one's own; admins see everyone's) and the same import as an API call for CI.
 */
export default async function DbtImportPage() {
  const user = await requireUser();
  const title = "Import a dbt manifest";
  if (!can(user, "lineage.import", null))
    return (
      <>
        <PageHeader title={title} />
        <div role="alert" className="card p-6 text-sm text-slate-800">
          <p className="font-semibold">Only product owners, domain stewards and admins import lineage.</p>
          <p className="mt-1">Ask the owner of the product your dbt project builds to import its manifest, or browse the lineage that is there.</p>
          <Link href="/lineage" className="mt-3 inline-block text-canopy-700 underline">
            Back to lineage
          </Link>
        </div>
      </>
    );
  const imports = (await recentDbtImports(await getPrisma(), user, 5)).map((r) => {
    const s = r.status === "succeeded" ? (r.summary as unknown as DbtImportReport) : null;
    return {
      id: r.id,
      actor: r.actor,
      status: r.status,
      error: r.error,
      at: r.createdAt.toISOString(),
      line: s
        ? `${s.project}: ${count(s.edges.added, "edge")} added, ${s.edges.removed} removed; ${count(s.docs.updated.length, "column description")} written; ${count(s.rules.added.length, "quality rule")} added, ${s.rules.removed.length} removed; ${count(s.ports.skipped.length + s.ports.restricted, "port")} skipped`
        : null,
    };
  });
  const origin = (config().auth.url ?? "https://canopy.example.com").replace(/\/+$/, "");
  return (
    <>
      <PageHeader
        title={title}
        description="Models, seeds, snapshots and sources become table lineage; column descriptions and generic tests become column docs and quality rules on the output ports that serve those tables. Check what would change before importing."
        actions={
          <Link href="/lineage" className="btn-secondary">
            Lineage graph
          </Link>
        }
      />
      <DbtImport />
      <section aria-labelledby="dbt-history" className="mt-8 max-w-3xl">
        <h2 id="dbt-history" className="text-base font-semibold text-slate-900">
          Latest imports
        </h2>
        {imports.length === 0 ? (
          <p className="mt-1 text-sm text-slate-600">No imports yet. Upload a manifest above, or send one from CI as shown below.</p>
        ) : (
          <ul className="mt-2 space-y-2 text-sm">
            {imports.map((i) => (
              <li key={i.id} className="card p-3">
                <div className="flex flex-wrap items-center gap-2">
                  <Badge tone={i.status === "succeeded" ? "green" : "red"}>{i.status}</Badge>
                  <time dateTime={i.at} className="text-slate-600">
                    {new Date(i.at).toUTCString()}
                  </time>
                  <span className="text-slate-600">by {i.actor}</span>
                </div>
                <p className="mt-1 text-slate-800">{i.line ?? i.error}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="dbt-ci" className="mt-8 max-w-3xl text-sm text-slate-700">
        <h2 id="dbt-ci" className="text-base font-semibold text-slate-900">
          Import from CI
        </h2>
        <p className="mt-1">
          After <code className="font-mono">dbt build</code>, send the manifest with an API token with the <code className="font-mono">lineage:write</code> scope (add{" "}
          <code className="font-mono">products:write</code> so it may change docs and quality rules of your ports). Add{" "}
          <code className="font-mono">?dryRun=true</code> to see the report without changing anything.
        </p>
        <pre className="mt-2 overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100">
          {`curl -X POST --fail-with-body \\
  -H "Authorization: Bearer $CANOPY_TOKEN" \\
  -H "Content-Type: application/json" \\
  --data-binary @target/manifest.json \\
  "${origin}/api/v1/lineage/dbt"`}
        </pre>
      </section>
    </>
  );
}
