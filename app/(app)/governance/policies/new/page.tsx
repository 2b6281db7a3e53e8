import type { Metadata } from "next";
import Link from "next/link";
import { EXAMPLE_RULES, PolicyForm, type PolicyFormValues } from "@/components/governance/policy-form";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { createPolicyAction } from "../actions";
import { policyFormOptions } from "../form-options";

export const metadata: Metadata = { title: "Add a policy" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function NewPolicyPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser();
  const raw = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const { scopes, globals } = await policyFormOptions(await getPrisma(), user);
  const refines = first(raw.refines);
  const wantedDomain = first(raw.domain);
  const domainScopes = scopes.filter((s) => s.value);
  const domain = scopes.find((s) => s.value === wantedDomain)?.value ?? (scopes.some((s) => s.value === "") ? "" : (domainScopes[0]?.value ?? ""));
  const refinement = refines && globals.some((g) => g.key === refines) && domainScopes.length ? refines : null;
  const initial: PolicyFormValues = {
    kind: refinement ? "refinement" : "policy",
    domain: refinement && !domain ? domainScopes[0]!.value : domain,
    key: refinement ?? "",
    title: "",
    rationale: "",
    remediation: "",
    severity: refinement ? "" : "warning",
    appliesTo: "product",
    engine: "rules",
    rulesJson: EXAMPLE_RULES,
    opaPath: "",
    paramsJson: "{}",
    enabled: true,
    reason: "",
  };
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 text-sm text-slate-500">
        <Link href="/governance" className="hover:underline">
          Governance
        </Link>{" "}
        /{" "}
        <Link href="/governance/policies" className="hover:underline">
          Policies
        </Link>{" "}
        / Add
      </nav>
      <PageHeader
        title="Add a policy"
        description="Platform admins add global policies; a domain's stewards add the domain's own policies and tighten global ones for their domain. Products in scope are re-evaluated once it is saved."
      />
      {scopes.length ? (
        <div className="max-w-3xl">
          <PolicyForm
            mode="create"
            initial={initial}
            scopes={scopes}
            globals={globals}
            opaAvailable={config().integrations.opa.mode === "connected"}
            action={createPolicyAction}
            cancelHref="/governance/policies"
          />
        </div>
      ) : (
        <EmptyState title="You cannot add policies" action={<Link href="/governance/policies" className="btn-secondary">Back to the policies</Link>}>
          Global policies are added by platform admins, a domain&apos;s policies by its stewards. Ask your domain&apos;s steward.
        </EmptyState>
      )}
    </>
  );
}
