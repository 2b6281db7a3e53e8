import { ForbiddenError, NotFoundError, UserError } from "@/lib/errors";
import { scopesAllow, scopesFor } from "@/lib/tokens/scopes";

/**
 * The one permission module. Every server action, route handler and page asks `can()` (or
 * `authorize()`, which throws); the UI asks the same function only to hide buttons.
 *
 * Roles: platform admin (global), domain steward and domain member (per domain), product owner
 * (per product, directly or through the owning team), consumer (everyone signed in).
 * Anything not granted below is denied, including unknown actions and unknown roles.
 */

export type Principal = {
  id: string;
  email: string;
  name: string;
  /** Global roles; only "platform_admin" is meaningful, anything else is ignored. */
  roles: readonly string[];
  domains: readonly { domainId: string; role: string }[];
  teamIds: readonly string[];
  /** Owns at least one product, directly or through a team (for display; rules check ownership per product). */
  ownsProducts?: boolean;
  /**
   * Set when the request authenticated with an API token: the token's scopes. `can()` denies every
   * action outside them, on top of the rules below (a token never grants more than its user has).
   */
  tokenScopes?: readonly string[];
  /** The API token the request authenticated with (for audit labels and logs). */
  token?: { id: string; name: string; kind: string };
};

export type ProductRef = {
  id: string;
  domainId: string;
  status: "draft" | "published" | "deprecated" | "retired";
  ownerIds: readonly string[];
  ownerTeamId: string | null;
};

export type DomainRef = { id: string };

/**
 * An asset-level lineage edge, by the products serving its two ends (null for an end no product
 * serves, such as a dbt source or a table only OpenMetadata knows).
 */
export type LineageEdgeRef = { from: ProductRef | null; to: ProductRef | null };

export type AccessRequestRef = {
  requesterId: string;
  status: string;
  product: ProductRef;
  /** Who may decide the request's current step, named by the port's contract; empty: the product's owners. */
  approverIds?: readonly string[];
  /** People who follow the request without deciding its current step: named for a later step, or who decided an earlier one. */
  followerIds?: readonly string[];
  /** Who approved an earlier step of a pending request: the next step needs someone else. */
  earlierApproverIds?: readonly string[];
};

/** Named permissions and the resource each one is checked against. */
export type PermissionMap = {
  "catalog.browse": null;
  "product.read": ProductRef;
  "product.create": DomainRef;
  "product.update": ProductRef;
  "product.publish": ProductRef;
  "product.provision": ProductRef;
  /** Marking a published product deprecated (after seeing who depends on it). */
  "product.deprecate": ProductRef;
  "access.request": ProductRef;
  "access.view": AccessRequestRef;
  "access.decide": AccessRequestRef;
  "access.cancel": AccessRequestRef;
  "access.extend": AccessRequestRef;
  "access.revoke": AccessRequestRef;
  "access.retry": AccessRequestRef;
  "domain.manage": DomainRef;
  "admin.view": null;
  "audit.read": null;
  "jobs.retry": null;
  "integrations.view": null;
  /** Reading policies, evaluations and scorecards. */
  "governance.view": null;
  /** Creating, changing and disabling policies: `domainId` null for a global policy. */
  "policy.manage": { domainId: string | null };
  /** Reading the lineage graph and impact reports (each product on them still needs `product.read` to be named). */
  "lineage.view": null;
  /** Adding and removing manual asset-level edges. */
  "lineage.edit": LineageEdgeRef;
  /** Importing lineage (dbt manifests) and starting an OpenMetadata sync. */
  "lineage.import": null;
};

export type Action = keyof PermissionMap;

export const isPlatformAdmin = (u: Principal) => u.roles.includes("platform_admin");
export const isSteward = (u: Principal, domainId: string) =>
  u.domains.some((d) => d.domainId === domainId && d.role === "steward");
const isDomainMember = (u: Principal, domainId: string) =>
  u.domains.some((d) => d.domainId === domainId && (d.role === "steward" || d.role === "member"));
export const ownsProduct = (u: Principal, p: ProductRef) =>
  p.ownerIds.includes(u.id) || (p.ownerTeamId !== null && u.teamIds.includes(p.ownerTeamId));
const isListed = (p: ProductRef) => p.status !== "draft";
const answersFor = (u: Principal, p: ProductRef | null) => p !== null && (ownsProduct(u, p) || isSteward(u, p.domainId));
/** Named approvers decide the current step when the contract names any; otherwise the product's owners do. */
const decidesStep = (u: Principal, r: AccessRequestRef) =>
  r.approverIds?.length ? r.approverIds.includes(u.id) : ownsProduct(u, r.product);

const rules: { [A in Action]: (u: Principal, r: PermissionMap[A]) => boolean } = {
  "catalog.browse": () => true,
  // Drafts are visible to the people working on them and to those who govern the domain.
  "product.read": (u, p) => isListed(p) || ownsProduct(u, p) || isSteward(u, p.domainId) || isPlatformAdmin(u),
  "product.create": (u, d) => isDomainMember(u, d.id) || isPlatformAdmin(u),
  "product.update": (u, p) => ownsProduct(u, p) || isSteward(u, p.domainId) || isPlatformAdmin(u),
  "product.publish": (u, p) => ownsProduct(u, p) || isSteward(u, p.domainId) || isPlatformAdmin(u),
  // Provisioning makes a namespace and buckets: owners and admins, not stewards (they govern, not run).
  "product.provision": (u, p) => (ownsProduct(u, p) && p.status !== "retired") || isPlatformAdmin(u),
  "access.request": (u, p) =>
    (p.status === "published" || p.status === "deprecated") && rules["product.read"](u, p),
  "access.view": (u, r) =>
    r.requesterId === u.id ||
    ownsProduct(u, r.product) ||
    isSteward(u, r.product.domainId) ||
    isPlatformAdmin(u) ||
    (r.approverIds ?? []).includes(u.id) ||
    (r.followerIds ?? []).includes(u.id),
  // Nobody decides their own request, not even an admin, and a step after the first needs someone
  // other than who approved the earlier one. Otherwise: the approvers the contract names for the
  // current step (or, when it names none, the product's owners), stewards of its domain, and admins.
  "access.decide": (u, r) =>
    r.requesterId !== u.id &&
    !(r.earlierApproverIds ?? []).includes(u.id) &&
    (decidesStep(u, r) || isSteward(u, r.product.domainId) || isPlatformAdmin(u)),
  "access.cancel": (u, r) => r.requesterId === u.id,
  // Asking for more time is the requester's; deciding on it is "access.decide".
  "access.extend": (u, r) => r.requesterId === u.id,
  // Ending a grant early: whoever answers for the product (not a named approver alone).
  "access.revoke": (u, r) => ownsProduct(u, r.product) || isSteward(u, r.product.domainId) || isPlatformAdmin(u),
  // Provisioning again after a failure: like provisioning the product, owners and admins.
  "access.retry": (u, r) => ownsProduct(u, r.product) || isPlatformAdmin(u),
  "domain.manage": (u, d) => isSteward(u, d.id) || isPlatformAdmin(u),
  "admin.view": (u) => isPlatformAdmin(u),
  "audit.read": (u) => isPlatformAdmin(u),
  "jobs.retry": (u) => isPlatformAdmin(u),
  "integrations.view": (u) => isPlatformAdmin(u),
  "governance.view": () => true,
  // Global policies are the platform's; a domain's own policies (and tightenings) are its stewards'.
  "policy.manage": (u, r) => isPlatformAdmin(u) || (r.domainId !== null && isSteward(u, r.domainId)),
  // Deprecating is a lifecycle step like publishing: the same people (the service checks the status).
  "product.deprecate": (u, p) => ownsProduct(u, p) || isSteward(u, p.domainId) || isPlatformAdmin(u),
  "lineage.view": () => true,
  // An edge says something about the products at its ends: whoever answers for either of them may
  // record or remove it. Edges between tables no product serves are the platform admins'.
  "lineage.edit": (u, e) => answersFor(u, e.from) || answersFor(u, e.to) || isPlatformAdmin(u),
  // Importing needs someone who answers for at least one product; what an import changes on a port
  // (docs, quality rules) is still checked per product with product.update.
  "lineage.import": (u) => u.ownsProducts === true || u.domains.some((d) => d.role === "steward") || isPlatformAdmin(u),
};

export function can<A extends Action>(user: Principal | null | undefined, action: A, resource: PermissionMap[A]): boolean {
  if (!user) return false;
  const rule = Object.prototype.hasOwnProperty.call(rules, action) ? rules[action] : undefined;
  if (!rule) return false;
  if (user.tokenScopes && !scopesAllow(user.tokenScopes, action)) return false;
  return rule(user, resource);
}

/**
 * Throws when `can()` says no. Reads answer "not found" so that a refusal does not reveal that
 * the resource exists; other actions answer "forbidden".
 */
export function authorize<A extends Action>(user: Principal, action: A, resource: PermissionMap[A]): void {
  if (can(user, action, resource)) return;
  // The user may do this, but the API token in use was not given a scope for it: say which one is missing.
  if (user.tokenScopes && can({ ...user, tokenScopes: undefined }, action, resource)) {
    const needed = scopesFor(action);
    throw new UserError(`This API token does not have the scope this needs (${needed.join(" or ")})`, { status: 403, code: "insufficient_scope" });
  }
  if (action === "product.read" || action === "access.view") throw new NotFoundError();
  throw new ForbiddenError();
}
