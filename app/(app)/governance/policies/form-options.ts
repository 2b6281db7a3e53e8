import "server-only";
import type { GlobalPolicyOption } from "@/components/governance/policy-form";
import { can, type Principal } from "@/lib/auth/permissions";
import type { Tx } from "@/lib/db/client";
import { listPolicies } from "@/lib/governance/policies";
import { parseDefinition } from "@/lib/governance/rules";

/** Where the user may add policies ("" = global) and the global policies a steward may tighten. */
export async function policyFormOptions(db: Tx, user: Principal) {
  const domains = await db.domain.findMany({ orderBy: { name: "asc" }, select: { id: true, slug: true, name: true } });
  const scopes = [
    ...(can(user, "policy.manage", { domainId: null }) ? [{ value: "", label: "Global — the whole mesh" }] : []),
    ...domains.filter((d) => can(user, "policy.manage", { domainId: d.id })).map((d) => ({ value: d.slug, label: `Domain ${d.name}` })),
  ];
  const globalsList = (await listPolicies(db, user, { includeDisabled: false })).filter((p) => p.origin.kind === "global");
  const definitions = await db.policy.findMany({
    where: { id: { in: globalsList.map((g) => g.id) } },
    select: { id: true, versions: { orderBy: { version: "desc" }, take: 1, select: { definition: true } } },
  });
  const byId = new Map(definitions.map((d) => [d.id, d.versions[0]?.definition]));
  const globals: GlobalPolicyOption[] = globalsList.map((g) => {
    const parsed = parseDefinition(byId.get(g.id));
    const params = parsed.ok && parsed.definition.engine === "rules" ? parsed.definition.params : {};
    return {
      key: g.key,
      title: g.title,
      severity: g.severity,
      params: Object.entries(params).map(([name, p]) => ({ name, label: p.label ?? name, value: p.value, direction: p.direction })),
    };
  });
  return { scopes, globals };
}
