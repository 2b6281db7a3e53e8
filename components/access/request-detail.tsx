import Link from "next/link";
import { AutoRefresh } from "@/components/access/auto-refresh";
import { classificationSummary, dateTime, day, STATUS_LABEL, STATUS_TONE } from "@/components/access/format";
import { RequestActions } from "@/components/access/request-actions";
import { Badge, ClassificationBadge } from "@/components/ui/badge";
import type { AccessRequestDetail } from "@/lib/access/queries";
import { DataTable } from "@/components/ui/data-table";

const principalKind: Record<string, string> = { user: "person", group: "team or group", product: "data product" };
const names = (people: { name: string }[]) => people.map((p) => p.name).join(", ");

/** An access request as its page shows it: state, steps, details, terms, timeline and actions. */
export function RequestDetailView({ request: r }: { request: AccessRequestDetail }) {
  const termsAcceptedAt = r.termsAcceptedAt;
  const hasTerms = Boolean(r.terms.purpose.trim() || r.terms.limitations.trim() || r.terms.usage.trim());
  const inProgress = r.status === "approved" || r.status === "provisioning";
  return (
    <article aria-labelledby="request-title">
      <nav aria-label="Breadcrumb" className="mb-3 text-sm text-slate-500">
        <Link href="/access" className="hover:underline">
          Access requests
        </Link>{" "}
        / request
      </nav>
      <header className="mb-6">
        <div className="flex flex-wrap items-center gap-3">
          <h1 id="request-title" className="text-2xl font-semibold tracking-tight">
            Access to {r.product.name} / <span className="font-mono text-xl">{r.port}</span>
          </h1>
          <Badge tone={STATUS_TONE[r.status] ?? "gray"}>{STATUS_LABEL[r.status] ?? r.status}</Badge>
        </div>
        <p className="mt-1 text-sm text-slate-600">
          Requested by {r.requester.name} ({r.requester.email}) on {dateTime(r.createdAt)} for {r.principal.type === "user" && r.principal.label === r.requester.name ? "themself" : `${principalKind[r.principal.type]} ${r.principal.label}`}.
        </p>
      </header>

      <div className="grid gap-6 lg:grid-cols-[1fr_18rem]">
        <div className="space-y-8">
          <StatusSummary r={r} />
          {inProgress ? <AutoRefresh label="This page updates itself while access is being set up." /> : null}

          <section aria-labelledby="steps">
            <h2 id="steps" className="mb-2 text-lg font-semibold">
              Approval {r.levels > 1 ? `steps (${r.levels})` : "step"}
            </h2>
            <ol className="card divide-y divide-slate-100 text-sm">
              {Array.from({ length: r.levels }, (_, i) => i + 1).map((level) => {
                const decisions = r.approvals.filter((a) => a.level === level);
                const isCurrent = r.status === "pending" && r.level === level;
                const later = r.status === "pending" && level > r.level;
                return (
                  <li key={level} className="px-4 py-3" aria-current={isCurrent ? "step" : undefined}>
                    <div className="flex flex-wrap items-center gap-2">
                      <span className="font-medium">
                        Step {level} of {r.levels}
                      </span>
                      {decisions.length ? (
                        decisions.map((d, i) => (
                          <Badge key={i} tone={d.decision === "approved" ? "green" : "red"}>
                            {d.decision}
                          </Badge>
                        ))
                      ) : isCurrent ? (
                        <Badge tone="blue">waiting for a decision</Badge>
                      ) : later ? (
                        <Badge tone="gray">after step {level - 1}</Badge>
                      ) : (
                        <Badge tone="gray">not reached</Badge>
                      )}
                    </div>
                    {isCurrent ? (
                      <p className="mt-1 text-slate-700">
                        Who may decide: {r.approvers.current.length ? names(r.approvers.current) : "the product's owners"}
                        {r.approvers.currentAreOwners && r.approvers.current.length ? " (the product's owners)" : ""}, the domain&apos;s stewards and platform admins.
                      </p>
                    ) : later && r.approvers.next.length ? (
                      <p className="mt-1 text-slate-700">Who decides: {names(r.approvers.next)}, the domain&apos;s stewards and platform admins.</p>
                    ) : null}
                    {decisions.map((d, i) => (
                      <div key={i} className="mt-1 text-slate-700">
                        {d.decision === "approved" ? "Approved" : "Rejected"} {d.rule ? `automatically (rule ${d.rule})` : `by ${d.decider?.name ?? "a former user"}`} on {dateTime(d.at)}
                        {d.note ? <blockquote className="mt-1 border-l-4 border-slate-200 pl-3 text-slate-600">{d.note}</blockquote> : null}
                      </div>
                    ))}
                  </li>
                );
              })}
            </ol>
            {r.approvals.some((a) => a.level === 0) ? (
              <ul className="mt-2 space-y-1 text-sm text-slate-700" aria-label="Extension decisions">
                {r.approvals
                  .filter((a) => a.level === 0)
                  .map((d, i) => (
                    <li key={i}>
                      Extension {d.decision} by {d.decider?.name ?? "a former user"} on {dateTime(d.at)}
                      {d.note ? `: ${d.note}` : ""}
                    </li>
                  ))}
              </ul>
            ) : null}
          </section>

          <section aria-labelledby="details">
            <h2 id="details" className="mb-2 text-lg font-semibold">
              Request
            </h2>
            <dl className="card grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 p-4 text-sm">
              <dt className="text-slate-500">Purpose</dt>
              <dd className="whitespace-pre-line">{r.purpose}</dd>
              <dt className="text-slate-500">Category</dt>
              <dd>{r.purposeCategoryLabel ?? "none"}</dd>
              <dt className="text-slate-500">For</dt>
              <dd>
                {r.principal.label} <span className="text-slate-500">({principalKind[r.principal.type]})</span>
              </dd>
              <dt className="text-slate-500">Duration</dt>
              <dd>
                {r.requestedUntil ? `until ${day(r.requestedUntil)} (${r.durationDays} days)` : `${r.durationDays} days`}
              </dd>
              <dt className="text-slate-500">Expires</dt>
              <dd>{r.expiresAt ? dateTime(r.expiresAt) : r.status === "pending" ? "set when approved" : "—"}</dd>
              {r.extensionDays ? (
                <>
                  <dt className="text-slate-500">Extension</dt>
                  <dd>{r.extensionDays} more days asked for, waiting for a decision</dd>
                </>
              ) : null}
              <dt className="text-slate-500">Terms accepted</dt>
              <dd>{dateTime(termsAcceptedAt)}</dd>
              {r.workload ? (
                <>
                  <dt className="text-slate-500">Fybrik workload</dt>
                  <dd className="font-mono text-xs">{r.workload}</dd>
                </>
              ) : null}
              <dt className="text-slate-500">Port</dt>
              <dd>
                <Link href={`/products/${r.product.slug}`} className="text-canopy-800 underline">
                  {r.product.name}
                </Link>{" "}
                / <span className="font-mono text-xs">{r.portDetail.name}</span> <ClassificationBadge value={r.portDetail.classification} />
                <div className="font-mono text-xs break-all text-slate-500">{r.portDetail.location}</div>
              </dd>
              <dt className="text-slate-500">Columns</dt>
              <dd>
                {classificationSummary(r.columns)}
                {r.columns.pii ? <span className="text-slate-600"> · personal data {r.piiUnmasked ? "unmasked for this purpose" : "masked"}</span> : null}
              </dd>
            </dl>
            {r.portDetail.columns.length ? (
              <details className="mt-2 text-sm">
                <summary className="cursor-pointer font-medium text-slate-700">Columns and what is masked</summary>
                <div className="card mt-2 overflow-x-auto">
                  <DataTable caption={<>Columns of {r.port}</>} columns={["Column", "Type", "Classification", "Shown"]} cellClassName="px-4 py-2">
                    {r.portDetail.columns.map((c) => (
                      <tr key={c.name} className="border-b border-slate-100">
                        <th scope="row" className="px-4 py-1 font-mono text-xs font-medium">
                          {c.name}
                        </th>
                        <td className="px-4 py-1 font-mono text-xs text-slate-600">{c.type}</td>
                        <td className="px-4 py-1">
                          <ClassificationBadge value={c.classification} /> {c.pii ? <Badge tone="red">PII</Badge> : null}
                        </td>
                        <td className="px-4 py-1">{c.masked ? "masked" : "as is"}</td>
                      </tr>
                    ))}
                  </DataTable>
                </div>
              </details>
            ) : null}
          </section>

          <section aria-labelledby="terms">
            <h2 id="terms" className="mb-2 text-lg font-semibold">
              Terms of use
            </h2>
            <div className="card p-4 text-sm text-slate-700">
              {hasTerms ? (
                <dl className="space-y-2">
                  {(["purpose", "limitations", "usage"] as const)
                    .filter((k) => r.terms[k].trim())
                    .map((k) => (
                      <div key={k}>
                        <dt className="font-medium">{k === "purpose" ? "Intended purpose" : k === "limitations" ? "Limitations" : "Usage"}</dt>
                        <dd className="whitespace-pre-line">{r.terms[k]}</dd>
                      </div>
                    ))}
                </dl>
              ) : (
                <p>The port&apos;s contract sets no terms of its own.</p>
              )}
            </div>
          </section>

          <section aria-labelledby="timeline">
            <h2 id="timeline" className="mb-2 text-lg font-semibold">
              Timeline
            </h2>
            {r.timeline.length ? (
              <ol className="card divide-y divide-slate-100 text-sm">
                {r.timeline.map((e, i) => (
                  <li key={`${e.at}-${i}`} className="px-4 py-2">
                    <div className="flex flex-wrap gap-x-3">
                      <time dateTime={e.at} className="text-slate-500">
                        {dateTime(e.at)}
                      </time>
                      <span className="font-medium">{e.summary}</span>
                      <span className="text-slate-600">by {e.actor.startsWith("rule:") ? `rule ${e.actor.slice(5)}` : e.actor}</span>
                    </div>
                    {e.note ? <blockquote className="mt-1 border-l-4 border-slate-200 pl-3 text-slate-600">{e.note}</blockquote> : null}
                  </li>
                ))}
              </ol>
            ) : (
              <p className="text-sm text-slate-500">No events recorded.</p>
            )}
          </section>
        </div>

        <aside aria-label="Actions" className="space-y-4">
          <RequestActions request={r} />
          {r.job ? (
            <div className="card p-4 text-sm">
              <h2 className="mb-1 font-semibold">Latest job</h2>
              <p>
                {r.job.kind === "access.grant" ? "Set up access" : r.job.kind === "access.revoke" ? "Remove access" : r.job.kind}: {r.job.status} (attempt {r.job.attempts}/{r.job.maxAttempts})
              </p>
              {r.job.lastError ? <p className="mt-1 text-rose-800">{r.job.lastError}</p> : null}
            </div>
          ) : null}
        </aside>
      </div>
    </article>
  );
}

function StatusSummary({ r }: { r: AccessRequestDetail }) {
  const box = (tone: string, children: React.ReactNode) => (
    <div role="note" aria-label="Status" className={`rounded-md p-3 text-sm ${tone}`}>
      {children}
    </div>
  );
  switch (r.status) {
    case "pending":
      return box(
        "bg-sky-50 text-sky-900",
        <>
          Waiting for {r.levels > 1 ? `step ${r.level} of ${r.levels}` : "a decision"}
          {r.approvers.current.length ? ` from ${names(r.approvers.current)}` : ""}.
        </>,
      );
    case "approved":
    case "provisioning":
      return box("bg-sky-50 text-sky-900", <>Approved — access is being set up.</>);
    case "active":
      return box(
        "bg-emerald-50 text-emerald-900",
        <>
          Access is active{r.expiresAt ? ` until ${dateTime(r.expiresAt)}` : ""}.{r.extensionDays ? ` An extension of ${r.extensionDays} days waits for a decision.` : ""}
        </>,
      );
    case "rejected":
      return box(
        "bg-rose-50 text-rose-900",
        <>
          Rejected{r.decidedBy ? ` by ${r.decidedBy}` : ""}
          {r.decidedAt ? ` on ${dateTime(r.decidedAt)}` : ""}.
          {r.decisionNote ? (
            <>
              {" "}
              Note: <q>{r.decisionNote}</q>
            </>
          ) : null}
        </>,
      );
    case "failed":
      return box("bg-rose-50 text-rose-900", <>Setting up access failed{r.job?.lastError ? `: ${r.job.lastError}` : ""}. The product&apos;s owners can retry.</>);
    case "revoked":
      return box(
        "bg-amber-50 text-amber-950",
        <>
          Access was revoked{r.revokedBy ? ` by ${r.revokedBy}` : ""}
          {r.revokedAt ? ` on ${dateTime(r.revokedAt)}` : ""}.
        </>,
      );
    case "expired":
      return box("bg-slate-100 text-slate-800", <>Access expired{r.expiresAt ? ` on ${dateTime(r.expiresAt)}` : ""}. Request it again if you still need it.</>);
    case "cancelled":
      return box("bg-slate-100 text-slate-800", <>The requester cancelled this request.</>);
    default:
      return null;
  }
}
