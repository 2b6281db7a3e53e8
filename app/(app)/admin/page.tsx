import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { SystemStatus } from "@/components/admin/system-status";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { listUsers } from "@/lib/admin/queries";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { DataTable } from "@/components/ui/data-table";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  const user = await requireUser();
  if (!can(user, "admin.view", null)) notFound();
  const cfg = config();
  const users = await listUsers(await getPrisma());
  return (
    <>
      <PageHeader
        title="Admin"
        description="How this Canopy is configured, and who can do what."
        actions={
          <>
            <Link href="/admin/audit" className="btn-secondary">
              Audit trail
            </Link>
            <Link href="/admin/integrations" className="btn-secondary">
              Integrations and jobs
            </Link>
          </>
        }
      />
      <div className="mb-8 grid gap-4 md:grid-cols-3">
        <section className="card p-4" aria-labelledby="sys">
          <h2 id="sys" className="mb-2 font-semibold">System</h2>
          <SystemStatus />
        </section>
        <section className="card p-4 text-sm" aria-labelledby="db">
          <h2 id="db" className="mb-2 font-semibold">Catalogue database</h2>
          <p>{cfg.database.kind === "embedded" ? "Embedded PGlite (single process)" : "PostgreSQL"}</p>
          {cfg.database.kind === "embedded" ? <p className="mt-1 font-mono text-xs break-all text-slate-500">{cfg.database.pgliteDir}</p> : null}
        </section>
        <section className="card p-4 text-sm" aria-labelledby="signin">
          <h2 id="signin" className="mb-2 font-semibold">Sign-in</h2>
          <p>OIDC: {cfg.oidc ? cfg.oidc.issuer : "not configured"}</p>
          <p>Demo personas: {cfg.demoLogin.enabled ? "enabled" : "disabled"}</p>
          {cfg.demoLogin.warning ? <p className="mt-1 text-rose-700">{cfg.demoLogin.warning}</p> : null}
        </section>
      </div>
      <section aria-labelledby="users">
        <h2 id="users" className="mb-3 text-lg font-semibold">Users ({users.length})</h2>
        <div className="card overflow-x-auto">
          <DataTable caption="Users and their roles" columns={["Name", "Sign-in", "Roles", "Teams", "Last sign-in"]} cellClassName="px-4 py-2">
            {users.map((u) => (
              <tr key={u.id} className="border-b border-slate-100 align-top">
                <td className="px-4 py-2">
                  <div className="font-medium">{u.name}</div>
                  <div className="text-xs text-slate-500">{u.email}</div>
                </td>
                <td className="px-4 py-2">{u.provider}</td>
                <td className="px-4 py-2">
                  <div className="flex flex-wrap gap-1">
                    {u.roles.map((r) => (
                      <Badge key={r} tone="red">{r.replace("_", " ")}</Badge>
                    ))}
                    {u.domains.map((d) => (
                      <Badge key={d.domain} tone={d.role === "steward" ? "violet" : "gray"} title={`from ${d.source}`}>
                        {d.role} · {d.domain}
                      </Badge>
                    ))}
                    {!u.roles.length && !u.domains.length ? <Badge>consumer</Badge> : null}
                  </div>
                </td>
                <td className="px-4 py-2">{u.teams.join(", ") || "—"}</td>
                <td className="px-4 py-2 whitespace-nowrap">
                  {u.lastLoginAt ? new Date(u.lastLoginAt).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" }) : "never"}
                </td>
              </tr>
            ))}
          </DataTable>
        </div>
      </section>
    </>
  );
}
