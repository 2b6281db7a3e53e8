import type { PolicyOrigin } from "@/lib/governance/types";

/**
 * A policy's page: /governance/policies/<key>, with `?domain=<slug>` for a domain's own policy or
 * its tightening of the global policy of that key.
 */
export function policyHref(p: { key: string; origin: PolicyOrigin }): string {
  const base = `/governance/policies/${encodeURIComponent(p.key)}`;
  return p.origin.kind === "domain" ? `${base}?domain=${encodeURIComponent(p.origin.domainSlug)}` : base;
}
