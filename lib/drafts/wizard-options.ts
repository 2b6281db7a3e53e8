import { can, type Principal } from "@/lib/auth/permissions";
import type { Tx } from "@/lib/db/client";

/** A domain a user may publish data products in. */
export type DomainOption = { slug: string; name: string };
export type TeamOption = { slug: string; name: string; domain: string | null };
/** Someone who can make a user a member of a domain. */
export type DomainContact = { domain: string; name: string; email: string };

/** Domains where `product.create` allows the user to start a product, by name. */
export async function creatableDomains(db: Tx, user: Principal): Promise<(DomainOption & { id: string })[]> {
  const domains = await db.domain.findMany({ select: { id: true, slug: true, name: true }, orderBy: { name: "asc" } });
  return domains.filter((d) => can(user, "product.create", { id: d.id }));
}

/**
 * What the onboarding wizard offers a user: the domains they may publish in, their teams, and —
 * when they may publish nowhere — whom to ask (each domain's stewards).
 */
export async function loadWizardOptions(
  db: Tx,
  user: Principal,
): Promise<{ domains: DomainOption[]; publishable: string[]; teams: TeamOption[]; contacts: DomainContact[] }> {
  const domains = await creatableDomains(db, user);
  // The creator becomes an owner of the new product; whether that lets them publish is the
  // permission module's call, asked about the product as it will be.
  const publishable = domains
    .filter((d) => can(user, "product.publish", { id: "", domainId: d.id, status: "draft", ownerIds: [user.id], ownerTeamId: null }))
    .map((d) => d.slug);
  const teams = user.teamIds.length
    ? await db.team.findMany({
        where: { id: { in: [...user.teamIds] } },
        select: { slug: true, name: true, domain: { select: { slug: true } } },
        orderBy: { name: "asc" },
      })
    : [];
  const contacts = domains.length
    ? []
    : (
        await db.domainMember.findMany({
          where: { role: "steward" },
          select: { domain: { select: { name: true } }, user: { select: { name: true, email: true } } },
        })
      )
        .map((m) => ({ domain: m.domain.name, name: m.user.name, email: m.user.email }))
        .sort((a, b) => a.domain.localeCompare(b.domain) || a.name.localeCompare(b.name));
  return {
    domains: domains.map((d) => ({ slug: d.slug, name: d.name })),
    publishable,
    teams: teams.map((t) => ({ slug: t.slug, name: t.name, domain: t.domain?.slug ?? null })),
    contacts,
  };
}
