import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PolicyForm, type PolicyFormValues } from "@/components/governance/policy-form";
import { policyHref } from "@/components/governance/policy-links";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { getPolicy } from "@/lib/governance/policies";
import type { Severity } from "@/lib/governance/types";
import { updatePolicyAction } from "../../actions";
import { policyFormOptions } from "../../form-options";
import { policyByKey } from "../../lookup";

type Params = Promise<{ key: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Edit policy ${(await params).key}` };
}

const str = (v: unknown) => (typeof v === "string" ? v : "");

export default async function EditPolicyPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const user = await requireUser();
  const { key } = await params;
  const raw = await searchParams;
  const domain = (Array.isArray(raw.domain) ? raw.domain[0] : raw.domain) || undefined;
  const db = await getPrisma();
  const { policy: found } = await policyByKey(db, user, key, domain);
  if (!found) notFound();
  const policy = await getPolicy(db, user, found.id);
  // Only those who may change it see the form; for others the policy does not have one.
  if (!can(user, "policy.manage", { domainId: policy.domainId })) notFound();
  const { globals } = await policyFormOptions(db, user);
  const d = (policy.definition ?? {}) as Record<string, unknown>;
  const refinement = Boolean(policy.refines);
  const initial: PolicyFormValues = {
    kind: refinement ? "refinement" : "policy",
    domain: policy.origin.kind === "domain" ? policy.origin.domainSlug : "",
    key: policy.key,
    title: str(d.title),
    rationale: str(d.rationale),
    remediation: str(d.remediation),
    severity: (str(d.severity) as Severity) || (refinement ? "" : "warning"),
    appliesTo: policy.appliesTo,
    engine: d.engine === "opa" ? "opa" : "rules",
    rulesJson: JSON.stringify({ params: d.params ?? {}, rules: d.rules ?? [] }, null, 2),
    opaPath: str(d.opaPath),
    paramsJson: JSON.stringify(d.params ?? {}, null, 2),
    enabled: policy.enabled,
    reason: "",
  };
  const back = policyHref(policy);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 text-sm text-slate-500">
        <Link href="/governance/policies" className="hover:underline">
          Policies
        </Link>{" "}
        /{" "}
        <Link href={back} className="hover:underline">
          {policy.key}
        </Link>{" "}
        / Edit
      </nav>
      <PageHeader
        title={`Edit: ${policy.title}`}
        description={`Saving records version ${policy.version + 1} with who changed it and why, and re-evaluates the products in scope.`}
      />
      <div className="max-w-3xl">
        <PolicyForm
          mode="edit"
          policyId={policy.id}
          initial={initial}
          scopes={[]}
          globals={globals}
          opaAvailable={config().integrations.opa.mode === "connected"}
          action={updatePolicyAction}
          cancelHref={back}
        />
      </div>
    </>
  );
}
