import "server-only";
import type { Principal } from "@/lib/auth/permissions";
import type { Tx } from "@/lib/db/client";
import { listPolicies } from "@/lib/governance/policies";
import type { PolicySummary } from "@/lib/governance/types";

/**
 * The policy a /governance/policies/<key>?domain=<slug> address names — a domain's own policy or
 * tightening when `domain` is given, else the global policy of that key (or the only policy with
 * it) — and the other policies sharing the key (the global one and each domain's tightening).
 */
export async function policyByKey(db: Tx, user: Principal, key: string, domain: string | undefined): Promise<{ policy: PolicySummary | null; related: PolicySummary[] }> {
  const all = (await listPolicies(db, user, { includeDisabled: true })).filter((p) => p.key === key);
  const policy = domain
    ? all.find((p) => p.origin.kind === "domain" && p.origin.domainSlug === domain)
    : (all.find((p) => p.origin.kind === "global") ?? (all.length === 1 ? all[0] : undefined));
  // Several domains may each have their own policy with this key: the page lists them.
  if (!policy) return { policy: null, related: all };
  return { policy, related: all.filter((p) => p.id !== policy.id) };
}
