import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { ProductWizard, type WizardDraft } from "@/components/wizard/wizard";
import { requireUser } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { countDrafts, getDraft } from "@/lib/drafts/service";
import { loadWizardOptions, type DomainContact } from "@/lib/drafts/wizard-options";
import { NotFoundError } from "@/lib/errors";

export const metadata: Metadata = { title: "New data product" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function NewProductPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser();
  const db = await getPrisma();
  const raw = await searchParams;
  const requestedDomain = first(raw.domain)?.slice(0, 63);
  const draftId = first(raw.draft);
  const options = await loadWizardOptions(db, user);

  if (options.domains.length === 0) return <NotADomainMember requestedDomain={requestedDomain} contacts={options.contacts} />;

  let draft: WizardDraft | null = null;
  if (draftId) {
    try {
      const d = await getDraft(db, user.id, draftId);
      draft = { id: d.id, revision: d.revision, step: d.step, data: d.data, updatedAt: d.updatedAt };
    } catch (err) {
      if (err instanceof NotFoundError) notFound();
      throw err;
    }
  }
  const domainAllowed = !requestedDomain || options.domains.some((d) => d.slug === requestedDomain);
  const otherDrafts = (await countDrafts(db, user.id)) - (draft ? 1 : 0);
  const title = draft ? `Continue: ${typeof draft.data.name === "string" && draft.data.name.trim() ? draft.data.name.trim() : "untitled product"}` : "New data product";

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 text-sm text-slate-500">
        <Link href="/products" className="hover:underline">
          Catalogue
        </Link>{" "}
        / New data product
      </nav>
      <PageHeader
        title={title}
        description="Describe the product, its output ports and their contracts, and where its data comes from. Your work is saved as a draft as you go."
        actions={
          <Link href="/products/drafts" className="btn-secondary">
            My drafts{otherDrafts > 0 ? ` (${otherDrafts})` : ""}
          </Link>
        }
      />
      {!domainAllowed ? (
        <p role="alert" className="mb-4 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          You cannot publish data products in the domain “{requestedDomain}”. Choose one of the domains you are a member of.
        </p>
      ) : null}
      <ProductWizard
        domains={options.domains}
        teams={options.teams}
        publishableDomains={options.publishable}
        userEmail={user.email}
        draft={draft}
        initialDomain={domainAllowed && requestedDomain ? requestedDomain : options.domains.length === 1 ? options.domains[0]!.slug : ""}
      />
    </>
  );
}

function NotADomainMember({ requestedDomain, contacts }: { requestedDomain?: string; contacts: DomainContact[] }) {
  const byDomain = new Map<string, DomainContact[]>();
  for (const c of contacts) byDomain.set(c.domain, [...(byDomain.get(c.domain) ?? []), c]);
  return (
    <>
      <PageHeader title="New data product" />
      <section aria-labelledby="no-domain" className="card max-w-3xl p-6">
        <h2 id="no-domain" className="text-lg font-semibold">
          You are not a member of any domain
        </h2>
        <p className="mt-2 text-sm text-slate-700">
          Data products belong to a domain, and only the domain&apos;s members publish in it
          {requestedDomain ? <> — that includes the domain “{requestedDomain}” you asked for</> : null}. To create a data product, ask a steward of the domain
          your team works in to add you as a member. Once you are, this page opens the onboarding wizard.
        </p>
        {byDomain.size ? (
          <>
            <h3 className="mt-4 text-sm font-semibold">Domain stewards</h3>
            <ul className="mt-2 space-y-1 text-sm">
              {[...byDomain.entries()].map(([domain, people]) => (
                <li key={domain}>
                  <span className="font-medium">{domain}:</span>{" "}
                  {people.map((p, i) => (
                    <span key={p.email}>
                      {i > 0 ? ", " : ""}
                      <a href={`mailto:${p.email}`} className="text-canopy-800 hover:underline">
                        {p.name}
                      </a>
                    </span>
                  ))}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p className="mt-2 text-sm text-slate-700">No domain has a steward yet: ask your platform administrators.</p>
        )}
        <p className="mt-4 text-sm text-slate-700">Meanwhile you can browse the catalogue and request access to other teams&apos; data.</p>
        <Link href="/products" className="btn-primary mt-4">
          Browse the catalogue
        </Link>
      </section>
    </>
  );
}
