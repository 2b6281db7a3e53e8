import { z } from "zod";
import { recordAudit } from "@/lib/audit/record";
import type { RoleMapping } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import type { DemoPersona } from "@/lib/demo/personas";
import { UserError } from "@/lib/errors";

/** Users are created or refreshed at every sign-in; roles from the identity provider are re-applied each time. */

export const oidcClaimsSchema = z.object({
  sub: z.string().min(1),
  email: z.email(),
  name: z.string().optional(),
  preferred_username: z.string().optional(),
  email_verified: z.boolean().optional(),
});

export type OidcSignIn = z.infer<typeof oidcClaimsSchema> & { groups: string[] };

/** Reads the groups claim, which providers send as an array, a single string, or not at all. */
export function readGroupsClaim(claims: Record<string, unknown>, claim: string): string[] {
  const raw = claim.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), claims);
  const list = Array.isArray(raw) ? raw : typeof raw === "string" ? raw.split(/[,\s]+/) : [];
  // Keycloak sends group paths ("/canopy-admins"); compare on the name.
  return [...new Set(list.filter((g): g is string => typeof g === "string" && g.length > 0).map((g) => g.replace(/^\//, "")))];
}

export function rolesFromGroups(groups: string[], mapping: RoleMapping[]) {
  const globalRoles = new Set<"platform_admin">();
  const domainRoles = new Map<string, "steward" | "member">();
  for (const m of mapping) {
    if (!groups.includes(m.group)) continue;
    if (m.kind === "global") globalRoles.add(m.role);
    else if (m.role === "steward" || !domainRoles.has(m.domain)) domainRoles.set(m.domain, m.role);
  }
  return { globalRoles: [...globalRoles], domainRoles };
}

export async function upsertOidcUser(
  db: Db,
  input: OidcSignIn,
  mapping: RoleMapping[],
  log?: (msg: string, extra: Record<string, unknown>) => void,
): Promise<{ id: string }> {
  if (input.email_verified === false) throw new UserError("Your identity provider has not verified your email address");
  const { globalRoles, domainRoles } = rolesFromGroups(input.groups, mapping);
  const name = input.name || input.preferred_username || input.email;
  return db.$transaction(async (tx) => {
    const existing =
      (await tx.user.findUnique({ where: { subject: input.sub } })) ??
      (await tx.user.findFirst({ where: { email: input.email, subject: null } }));
    const data = {
      email: input.email,
      name,
      provider: "oidc",
      subject: input.sub,
      groups: input.groups,
      roles: globalRoles,
      lastLoginAt: new Date(),
    };
    const user = existing
      ? await tx.user.update({ where: { id: existing.id }, data })
      : await tx.user.create({ data });

    const domains = domainRoles.size
      ? await tx.domain.findMany({ where: { slug: { in: [...domainRoles.keys()] } }, select: { id: true, slug: true } })
      : [];
    for (const slug of domainRoles.keys()) {
      if (!domains.some((d) => d.slug === slug)) log?.("role mapping names an unknown domain", { domain: slug });
    }
    const before = await tx.domainMember.findMany({ where: { userId: user.id }, select: { domainId: true, role: true, source: true } });
    // Memberships granted in Canopy stay; those derived from groups follow the groups.
    await tx.domainMember.deleteMany({ where: { userId: user.id, source: "oidc" } });
    for (const d of domains) {
      const role = domainRoles.get(d.slug)!;
      const manual = before.find((m) => m.domainId === d.id && m.source !== "oidc");
      if (manual) continue;
      await tx.domainMember.create({ data: { domainId: d.id, userId: user.id, role, source: "oidc" } });
    }

    await recordAudit(
      tx,
      { id: user.id, label: user.email },
      {
        action: existing ? "auth.sign_in" : "user.create",
        target: { type: "user", id: user.id },
        before: existing ? { roles: existing.roles, groups: existing.groups } : undefined,
        after: { provider: "oidc", roles: globalRoles, groups: input.groups, domains: Object.fromEntries(domainRoles) },
      },
    );
    return { id: user.id };
  });
}

/** Signs in as a demo persona, creating the account when the demo mesh was not seeded. */
export async function upsertDemoUser(db: Db, persona: DemoPersona): Promise<{ id: string }> {
  return db.$transaction(async (tx) => {
    let user = await tx.user.findUnique({ where: { email: persona.email } });
    const created = !user;
    if (!user) {
      user = await tx.user.create({
        data: { email: persona.email, name: persona.name, provider: "demo", roles: [...persona.globalRoles] },
      });
      const slugs = [...new Set([...persona.stewardOf, ...persona.memberOf])];
      const domains = await tx.domain.findMany({ where: { slug: { in: slugs } }, select: { id: true, slug: true } });
      for (const d of domains) {
        await tx.domainMember.create({
          data: { domainId: d.id, userId: user.id, role: persona.stewardOf.includes(d.slug) ? "steward" : "member" },
        });
      }
    } else {
      await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
    }
    await recordAudit(
      tx,
      { id: user.id, label: user.email },
      { action: created ? "user.create" : "auth.sign_in", target: { type: "user", id: user.id }, after: { provider: "demo", persona: persona.key } },
    );
    return { id: user.id };
  });
}
