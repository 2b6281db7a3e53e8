import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { listAllTokens, listTokens } from "@/lib/tokens/service";
import { CreateTokenForm } from "./create-token-form";
import { TokenTable } from "./token-table";

export const metadata: Metadata = { title: "API tokens" };
export const dynamic = "force-dynamic";

export default async function TokensPage() {
  const user = await requireUser();
  const db = await getPrisma();
  const now = new Date();
  const mine = await listTokens(db, user.id, now);
  const others = can(user, "admin.view", null) ? (await listAllTokens(db, now)).filter((t) => t.owner?.email !== user.email) : null;
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 text-sm text-slate-500">
        Settings / API tokens
      </nav>
      <PageHeader
        title="API tokens"
        description="Tokens let scripts and CI pipelines call the Canopy REST API as you, limited to the scopes you choose. They expire, and you can revoke them at any time."
        actions={
          <Link href="/api-docs" className="btn-secondary">
            API reference
          </Link>
        }
      />
      <div className="grid gap-8">
        <CreateTokenForm now={now.toISOString()} />
        <section aria-labelledby="your-tokens">
          <h2 id="your-tokens" className="mb-3 text-lg font-semibold">
            Your tokens
          </h2>
          <TokenTable
            tokens={mine}
            caption="Your API tokens"
            empty="You have no API tokens yet. Create one above to call the REST API from a script or a CI pipeline."
          />
        </section>
        {others ? (
          <section aria-labelledby="all-tokens">
            <h2 id="all-tokens" className="mb-1 text-lg font-semibold">
              Other people&apos;s tokens
            </h2>
            <p className="mb-3 text-sm text-slate-600">As a platform admin you can revoke any token, for example one that has leaked.</p>
            <TokenTable tokens={others} caption="Other people's API tokens" empty="Nobody else has an API token." showOwner />
          </section>
        ) : null}
      </div>
    </>
  );
}
