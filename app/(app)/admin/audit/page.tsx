import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { auditFilterSchema, listAuditEvents, type AuditFilter } from "@/lib/audit/queries";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { DataTable } from "@/components/ui/data-table";

export const metadata: Metadata = { title: "Audit trail" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const FIELDS = ["actor", "action", "targetType", "targetId", "from", "to"] as const;

function summary(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 160)}…` : s;
}

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser();
  if (!can(user, "audit.read", null)) notFound();
  const raw = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const parsed = auditFilterSchema.safeParse(Object.fromEntries([...FIELDS, "before"].map((k) => [k, first(raw[k]) || undefined])));
  const filter: AuditFilter = parsed.success ? parsed.data : ({} as AuditFilter);
  const { events, nextBefore } = await listAuditEvents(await getPrisma(), filter);
  const qs = (extra: Record<string, string | undefined>) => {
    const p = new URLSearchParams();
    for (const k of FIELDS) if (filter[k]) p.set(k, filter[k]!);
    for (const [k, v] of Object.entries(extra)) if (v) p.set(k, v);
    return p.toString();
  };
  const labels: Record<(typeof FIELDS)[number], string> = {
    actor: "Actor",
    action: "Action (prefix)",
    targetType: "Target type",
    targetId: "Target id",
    from: "From",
    to: "To",
  };
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 text-sm text-slate-500">
        <Link href="/admin" className="hover:underline">Admin</Link> / Audit trail
      </nav>
      <PageHeader
        title="Audit trail"
        description="Every change in Canopy, who made it, and what it was before and after. The trail is append-only."
        actions={
          <a className="btn-secondary" href={`/api/v1/audit?${qs({ format: "csv" })}`}>
            Export CSV
          </a>
        }
      />
      <form method="get" action="/admin/audit" role="search" aria-label="Filter the audit trail" className="card mb-6 grid gap-3 p-4 md:grid-cols-7" key={JSON.stringify(filter)}>
        {FIELDS.map((k) => (
          <div key={k}>
            <label htmlFor={`a-${k}`} className="mb-1 block text-xs font-medium text-slate-600">
              {labels[k]}
            </label>
            <input id={`a-${k}`} name={k} type={k === "from" || k === "to" ? "date" : "text"} defaultValue={filter[k] ?? ""} className="input" />
          </div>
        ))}
        <div className="flex items-end gap-2">
          <button type="submit" className="btn-primary">Apply</button>
          <Link href="/admin/audit" className="btn-secondary">Clear</Link>
        </div>
      </form>
      {!parsed.success ? (
        <p role="alert" className="mb-4 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          {parsed.error.issues.map((i) => i.message).join("; ")}
        </p>
      ) : null}
      {events.length ? (
        <div className="card overflow-x-auto">
          <DataTable caption="Audit events, newest first" columns={["When", "Actor", "Action", "Target", "Change"]} cellClassName="px-3 py-2">
            {events.map((e) => (
              <tr key={e.id} className="border-b border-slate-100 align-top">
                <td className="px-3 py-2 whitespace-nowrap">{new Date(e.at).toLocaleString("en-GB", { dateStyle: "short", timeStyle: "medium" })}</td>
                <td className="px-3 py-2">{e.actor}</td>
                <td className="px-3 py-2 font-mono text-xs">{e.action}</td>
                <td className="px-3 py-2 font-mono text-xs">
                  {e.targetType} {e.targetId.slice(0, 12)}
                </td>
                <td className="max-w-md px-3 py-2 font-mono text-xs break-all text-slate-600">
                  {e.before !== null && e.before !== undefined ? <div>before: {summary(e.before)}</div> : null}
                  {e.after !== null && e.after !== undefined ? <div>after: {summary(e.after)}</div> : null}
                </td>
              </tr>
            ))}
          </DataTable>
        </div>
      ) : (
        <EmptyState title="No audit events match">Widen the dates or clear the filters.</EmptyState>
      )}
      {nextBefore ? (
        <p className="mt-4">
          <Link className="btn-secondary" href={`/admin/audit?${qs({ before: nextBefore })}`}>
            Older events
          </Link>
        </p>
      ) : null}
    </>
  );
}
