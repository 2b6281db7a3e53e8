import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { DraftsList } from "@/components/wizard/drafts-list";
import { requireUser } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { DRAFT_MAX_PER_USER, WIZARD_STEPS, stepLabel } from "@/lib/drafts/schemas";
import { listDrafts } from "@/lib/drafts/service";
import { creatableDomains } from "@/lib/drafts/wizard-options";

export const metadata: Metadata = { title: "My drafts" };

export default async function DraftsPage() {
  const user = await requireUser();
  const db = await getPrisma();
  const [drafts, domains] = await Promise.all([listDrafts(db, user.id), creatableDomains(db, user)]);
  const canCreate = domains.length > 0;
  const rows = drafts.map((d) => ({
    id: d.id,
    title: d.title,
    step: d.step,
    stepLabel: stepLabel(d.step),
    stepCount: WIZARD_STEPS.length,
    updatedAt: d.updatedAt,
    updatedLabel: new Date(d.updatedAt).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" }),
  }));

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 text-sm text-slate-500">
        <Link href="/products" className="hover:underline">
          Catalogue
        </Link>{" "}
        / My drafts
      </nav>
      <PageHeader
        title="My drafts"
        description={`Data products you started in the onboarding wizard and have not submitted yet. Only you see them. You can keep up to ${DRAFT_MAX_PER_USER}.`}
        actions={
          canCreate ? (
            <Link href="/products/new" className="btn-primary">
              New data product
            </Link>
          ) : undefined
        }
      />
      <DraftsList
        drafts={rows}
        empty={
          <EmptyState
            title="No drafts"
            action={
              canCreate ? (
                <Link href="/products/new" className="btn-primary">
                  Start a new data product
                </Link>
              ) : undefined
            }
          >
            {canCreate
              ? "When you start a data product in the wizard, it is saved here as you go, so you can come back to it later."
              : "You are not a member of any domain, so you cannot create data products yet. Ask a domain steward to add you."}
          </EmptyState>
        }
      />
    </>
  );
}
