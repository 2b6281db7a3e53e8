import type { Action } from "@/lib/auth/permissions";

/**
 * What an API token may be used for. A scope names a group of permission-module actions; a token
 * carries one or more scopes and `can()` denies every action outside them. Scopes only ever narrow:
 * the token's user must still be allowed the action on the resource.
 *
 * Writing implies reading what the write needs (updating a product reads it first), so
 * `products:write` includes the catalogue reads (and the policy results that gate publishing) and
 * `access:write` includes `access.view`.
 * Client-safe: the token form lists these with their descriptions.
 */
export const TOKEN_SCOPES = {
  "catalog:read": {
    label: "Read the catalogue",
    description: "List and read data products, their descriptors, contracts, versions, data previews and lineage you can see.",
    actions: ["catalog.browse", "product.read", "governance.view", "lineage.view"],
  },
  "products:write": {
    label: "Create and change products",
    description: "Create products, import descriptors, publish versions, deprecate products and request provisioning — where you own the product or may publish in its domain.",
    actions: ["catalog.browse", "product.read", "product.create", "product.update", "product.publish", "product.provision", "product.deprecate", "lineage.view", "governance.view"],
  },
  "governance:write": {
    label: "Manage policies",
    description: "Create, change and disable governance policies — global ones as a platform admin, a domain's as its steward.",
    actions: ["governance.view", "policy.manage"],
  },
  "lineage:write": {
    label: "Record lineage",
    description: "Add and remove manual lineage edges, import dbt manifests and start OpenMetadata syncs — for products you own or steward. Changing a port's docs or quality rules from an import also needs products:write.",
    actions: ["catalog.browse", "product.read", "lineage.view", "lineage.edit", "lineage.import"],
  },
  "access:read": {
    label: "Read access requests",
    description: "See your access requests and the ones you may decide on.",
    actions: ["access.view"],
  },
  "access:write": {
    label: "Request and decide access",
    description: "Request access, cancel your requests, ask for extensions, approve or reject requests you may decide on, revoke grants and retry failed ones.",
    actions: ["access.view", "access.request", "access.cancel", "access.decide", "access.extend", "access.revoke", "access.retry"],
  },
  "audit:read": {
    label: "Read the audit trail",
    description: "Read and export the audit trail (platform admins only).",
    actions: ["audit.read"],
  },
  admin: {
    label: "Administration",
    description: "Platform status, integrations, job retries and domain management (for the roles you hold).",
    actions: ["admin.view", "integrations.view", "jobs.retry", "domain.manage"],
  },
} as const satisfies Record<string, { label: string; description: string; actions: readonly Action[] }>;

export type TokenScope = keyof typeof TOKEN_SCOPES;

export const TOKEN_SCOPE_NAMES = Object.keys(TOKEN_SCOPES) as TokenScope[];

export const isTokenScope = (s: string): s is TokenScope => Object.prototype.hasOwnProperty.call(TOKEN_SCOPES, s);

/** Whether any of `scopes` covers `action`. Unknown scope names grant nothing. */
export function scopesAllow(scopes: readonly string[], action: string): boolean {
  return scopes.some((s) => isTokenScope(s) && (TOKEN_SCOPES[s].actions as readonly string[]).includes(action));
}

/** The scopes that would allow `action`, for error messages ("needs catalog:read"). */
export function scopesFor(action: string): TokenScope[] {
  return TOKEN_SCOPE_NAMES.filter((s) => (TOKEN_SCOPES[s].actions as readonly string[]).includes(action));
}

/** Token kinds. Both act as the user who created them; "service" marks tokens used by automation. */
export const TOKEN_KINDS = {
  personal: { label: "Personal", description: "For your own scripts and tools." },
  service: { label: "Service", description: "For a CI pipeline or another system. Acts as you, and is labelled as a service in lists and the audit trail." },
} as const;

export type TokenKind = keyof typeof TOKEN_KINDS;

export const TOKEN_MIN_DAYS = 1;
export const TOKEN_MAX_DAYS = 365;
export const TOKEN_DEFAULT_DAYS = 90;
