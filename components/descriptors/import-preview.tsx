import { ChangeLevelBadge, ChangeList } from "@/components/products/change-list";
import { Badge } from "@/components/ui/badge";
import type { PreviewAnswer } from "@/components/descriptors/import-api";
import type { DescriptorWarning } from "@/lib/descriptors/import";
import type { Affected } from "@/lib/products/affected";

const PORT_TYPE_LABEL: Record<string, string> = { trino_table: "Trino table", s3_bucket: "S3 bucket", api: "API" };

/** Notes the import made: where Canopy reads the document differently from what it says. */
export function WarningList({ warnings }: { warnings: DescriptorWarning[] }) {
  if (!warnings.length) return null;
  return (
    <section aria-labelledby="import-warnings" className="rounded-md border border-amber-300 bg-amber-50 p-4">
      <h3 id="import-warnings" className="text-sm font-semibold text-amber-900">
        {warnings.length === 1 ? "1 note" : `${warnings.length} notes`} on how Canopy reads this descriptor
      </h3>
      <ul className="mt-2 space-y-1 text-sm text-amber-950">
        {warnings.map((w, i) => (
          <li key={`${w.path}-${i}`}>
            <code className="rounded bg-white/70 px-1 font-mono text-xs">{w.path === "_" ? "document" : w.path}</code>
            {w.line ? <span className="ml-1 text-xs text-amber-800">(line {w.line})</span> : null} {w.message}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Consumers with access to, and products reading from, the ports a breaking change touches. */
export function AffectedList({ affected }: { affected: Affected }) {
  const { consumers, downstream } = affected;
  if (!consumers.length && !downstream.length) return <p className="text-sm text-slate-600">No consumer or downstream product reads the changed ports.</p>;
  return (
    <div className="space-y-3 text-sm">
      {consumers.length ? (
        <div>
          <h4 className="font-medium text-slate-900">Consumers with access ({consumers.length})</h4>
          <ul className="mt-1 list-disc space-y-0.5 pl-5">
            {consumers.map((c, i) => (
              <li key={`${c.port}-${c.principal}-${i}`}>
                {c.principal} <span className="text-slate-500">— port {c.port}{c.expiresAt ? `, until ${new Date(c.expiresAt).toLocaleDateString("en-GB", { dateStyle: "medium" })}` : ""}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {downstream.length ? (
        <div>
          <h4 className="font-medium text-slate-900">Downstream products ({downstream.length})</h4>
          <ul className="mt-1 list-disc space-y-0.5 pl-5">
            {downstream.map((d, i) => (
              <li key={`${d.port}-${d.product?.slug ?? "hidden"}-${i}`}>
                {d.product ? (
                  <a className="text-canopy-700 underline" href={`/products/${encodeURIComponent(d.product.slug)}`}>
                    {d.product.name}
                  </a>
                ) : (
                  "A product you cannot see"
                )}{" "}
                <span className="text-slate-500">— reads port {d.port}{d.owners.length ? `; owners ${d.owners.join(", ")}` : ""}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

function outcome(p: PreviewAnswer): string {
  if (!p.exists) return `A new product “${p.slug}” will be created at version ${p.version}, ${p.publish ? "published" : "as a draft"}.`;
  if (p.unchanged) return `The descriptor matches “${p.slug}” as it is: importing it would change nothing.`;
  if (p.plan.status === "draft") return `The draft “${p.slug}” will be updated in place (version ${p.version}).`;
  return `“${p.slug}” is at version ${p.plan.currentVersion}; this change makes version ${p.version}.`;
}

/** What an import would do: what Canopy read, the classified changes, who is affected, the checks. */
export function ImportPreview({ preview }: { preview: PreviewAnswer }) {
  const { plan, spec } = preview;
  const breaking = plan.level === "major" && preview.exists;
  return (
    <div className="space-y-5">
      <p className="flex flex-wrap items-center gap-2 text-sm text-slate-800">
        <ChangeLevelBadge level={plan.level} /> {outcome(preview)}
      </p>

      <WarningList warnings={preview.warnings} />

      <section aria-labelledby="import-read">
        <h3 id="import-read" className="text-sm font-semibold text-slate-900">
          What Canopy read
        </h3>
        <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-slate-500">Name</dt>
          <dd>{spec.name}</dd>
          <dt className="text-slate-500">Domain</dt>
          <dd>{spec.domain}</dd>
          <dt className="text-slate-500">Owners</dt>
          <dd>{[spec.team ? `team ${spec.team}` : null, ...spec.owners].filter(Boolean).join(", ") || "you"}</dd>
          <dt className="text-slate-500">Inputs</dt>
          <dd>{spec.inputs.length ? spec.inputs.map((i) => `${i.product}/${i.port}`).join(", ") : "none"}</dd>
        </dl>
        <table className="mt-3 w-full text-left text-sm">
          <caption className="sr-only">Output ports</caption>
          <thead className="border-b border-slate-200 text-xs text-slate-500">
            <tr>
              <th scope="col" className="py-1 pr-3 font-medium">Port</th>
              <th scope="col" className="py-1 pr-3 font-medium">Served as</th>
              <th scope="col" className="py-1 pr-3 font-medium">Columns</th>
              <th scope="col" className="py-1 pr-3 font-medium">Checks</th>
              <th scope="col" className="py-1 font-medium">SLA</th>
            </tr>
          </thead>
          <tbody>
            {spec.outputPorts.map((p) => (
              <tr key={p.name} className="border-b border-slate-100 align-top">
                <th scope="row" className="py-1 pr-3 font-medium">{p.name}</th>
                <td className="py-1 pr-3">
                  {PORT_TYPE_LABEL[p.type] ?? p.type} <code className="font-mono text-xs break-all">{p.location}</code>
                </td>
                <td className="py-1 pr-3">{p.columns.length}</td>
                <td className="py-1 pr-3">{p.contract.quality.length}</td>
                <td className="py-1">{p.contract.sla.map((s) => `${s.property} ${s.value}${s.unit}`).join(", ") || "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {preview.exists ? (
        <section aria-labelledby="import-changes">
          <h3 id="import-changes" className="text-sm font-semibold text-slate-900">
            Changes ({plan.changes.length})
          </h3>
          <div className="mt-2">
            <ChangeList changes={plan.changes} empty="No changes to what Canopy models." />
          </div>
        </section>
      ) : null}

      {breaking ? (
        <section aria-labelledby="import-affected" className="rounded-md border border-rose-300 bg-rose-50 p-4">
          <h3 id="import-affected" className="text-sm font-semibold text-rose-900">
            Who this breaking change affects
          </h3>
          <div className="mt-2">
            <AffectedList affected={plan.affected} />
          </div>
        </section>
      ) : null}

      {plan.checks.length ? (
        <section aria-labelledby="import-checks">
          <h3 id="import-checks" className="text-sm font-semibold text-slate-900">
            Checks
          </h3>
          <ul className="mt-2 space-y-1 text-sm">
            {plan.checks.map((c) => (
              <li key={`${c.id}-${c.path}`} className="flex items-start gap-2">
                <Badge tone={c.severity === "error" ? "red" : "amber"}>{c.severity}</Badge>
                <span>
                  <code className="mr-1 font-mono text-xs text-slate-600">{c.documentPath}</code>
                  {c.message}
                  {c.fix ? <span className="block text-xs text-slate-600">{c.fix}</span> : null}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
