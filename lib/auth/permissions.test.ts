import { describe, expect, it } from "vitest";
import { authorize, can, type AccessRequestRef, type Action, type Principal, type ProductRef } from "@/lib/auth/permissions";
import { ForbiddenError, NotFoundError } from "@/lib/errors";

const SALES = "d-sales";
const FINANCE = "d-finance";

const person = (id: string, extra: Partial<Principal> = {}): Principal => ({
  id,
  email: `${id}@example.test`,
  name: id,
  roles: [],
  domains: [],
  teamIds: [],
  ...extra,
});

const owner = person("owner", { domains: [{ domainId: SALES, role: "member" }] });
const teammate = person("teammate", { teamIds: ["t-sales"], domains: [{ domainId: SALES, role: "member" }] });
const otherOwner = person("other-owner", { domains: [{ domainId: FINANCE, role: "member" }] });
const salesSteward = person("sales-steward", { domains: [{ domainId: SALES, role: "steward" }] });
const financeSteward = person("finance-steward", { domains: [{ domainId: FINANCE, role: "steward" }] });
const admin = person("admin", { roles: ["platform_admin"] });
const consumer = person("consumer");
const impostor = person("impostor", { roles: ["superuser", "root", "PLATFORM_ADMIN"] });

const product = (status: ProductRef["status"], extra: Partial<ProductRef> = {}): ProductRef => ({
  id: "p1",
  domainId: SALES,
  status,
  ownerIds: ["owner"],
  ownerTeamId: "t-sales",
  ...extra,
});

const published = product("published");
const draft = product("draft");
const request = (requesterId: string, p: ProductRef = published): AccessRequestRef => ({ requesterId, status: "pending", product: p });

type Case = [who: Principal, allowed: boolean];

function matrix<A extends Action>(action: A, resource: Parameters<typeof can<A>>[2], cases: Case[]) {
  describe(action, () => {
    for (const [who, allowed] of cases) {
      it(`${allowed ? "allows" : "denies"} ${who.id}`, () => {
        expect(can(who, action, resource)).toBe(allowed);
      });
    }
  });
}

describe("permission matrix", () => {
  matrix("catalog.browse", null, [
    [consumer, true],
    [admin, true],
  ]);

  matrix("product.read", published, [
    [consumer, true],
    [otherOwner, true],
  ]);
  matrix("product.read", draft, [
    [owner, true],
    [teammate, true],
    [salesSteward, true],
    [admin, true],
    [consumer, false],
    [otherOwner, false],
    [financeSteward, false],
    [impostor, false],
  ]);

  matrix("product.create", { id: SALES }, [
    [owner, true],
    [salesSteward, true],
    [admin, true],
    [consumer, false],
    [otherOwner, false],
    [financeSteward, false],
  ]);

  for (const action of ["product.update", "product.publish", "product.deprecate"] as const) {
    matrix(action, published, [
      [owner, true],
      [teammate, true],
      [salesSteward, true],
      [admin, true],
      [consumer, false],
      [otherOwner, false],
      [financeSteward, false],
      [impostor, false],
    ]);
  }

  matrix("access.request", published, [
    [consumer, true],
    [otherOwner, true],
  ]);
  matrix("access.request", draft, [
    [consumer, false],
    [owner, false],
  ]);
  matrix("access.request", product("retired"), [[consumer, false]]);
  matrix("access.request", product("deprecated"), [[consumer, true]]);

  matrix("access.decide", request("consumer"), [
    [owner, true],
    [teammate, true],
    [salesSteward, true],
    [admin, true],
    // the requester never decides
    [consumer, false],
    // an owner of another product cannot decide on this one
    [otherOwner, false],
    // a steward decides only within their domain
    [financeSteward, false],
    [impostor, false],
  ]);
  describe("access.decide on one's own request", () => {
    it("denies the owner who requested access to their own product", () => {
      expect(can(owner, "access.decide", request("owner"))).toBe(false);
    });
    it("denies an admin deciding their own request", () => {
      expect(can(admin, "access.decide", request("admin"))).toBe(false);
    });
    it("denies a steward deciding their own request in their domain", () => {
      expect(can(salesSteward, "access.decide", request("sales-steward"))).toBe(false);
    });
  });

  matrix("access.view", request("consumer"), [
    [consumer, true],
    [owner, true],
    [salesSteward, true],
    [admin, true],
    [otherOwner, false],
    [financeSteward, false],
  ]);

  matrix("access.cancel", request("consumer"), [
    [consumer, true],
    [owner, false],
    [admin, false],
  ]);

  // The contract names approvers for the current step: they decide instead of the owners.
  const named = person("named-approver", { domains: [{ domainId: FINANCE, role: "member" }] });
  const withApprovers: AccessRequestRef = { ...request("consumer"), approverIds: ["named-approver"] };
  matrix("access.decide", withApprovers, [
    [named, true],
    [salesSteward, true],
    [admin, true],
    [owner, false],
    [teammate, false],
    [consumer, false],
    [financeSteward, false],
  ]);
  matrix("access.view", withApprovers, [
    [named, true],
    [owner, true],
    [consumer, true],
    [otherOwner, false],
  ]);
  describe("access.decide on a later step", () => {
    const step2: AccessRequestRef = { ...request("consumer"), approverIds: [], earlierApproverIds: ["owner", "admin"], followerIds: ["owner", "admin"] };
    it("denies whoever approved the earlier step, even an admin", () => {
      expect(can(owner, "access.decide", step2)).toBe(false);
      expect(can(admin, "access.decide", step2)).toBe(false);
    });
    it("allows the other owners and the steward", () => {
      expect(can(teammate, "access.decide", step2)).toBe(true);
      expect(can(salesSteward, "access.decide", step2)).toBe(true);
    });
    it("lets a named second-step approver follow the request before their step", () => {
      const waiting: AccessRequestRef = { ...request("consumer"), approverIds: ["someone"], followerIds: ["named-approver"] };
      expect(can(named, "access.view", waiting)).toBe(true);
      expect(can(named, "access.decide", waiting)).toBe(false);
    });
  });

  matrix("access.extend", request("consumer"), [
    [consumer, true],
    [owner, false],
    [salesSteward, false],
    [admin, false],
  ]);

  matrix("access.revoke", withApprovers, [
    [owner, true],
    [teammate, true],
    [salesSteward, true],
    [admin, true],
    // the requester, a named approver who does not own the product, owners and stewards elsewhere
    [consumer, false],
    [named, false],
    [otherOwner, false],
    [financeSteward, false],
    [impostor, false],
  ]);

  matrix("access.retry", request("consumer"), [
    [owner, true],
    [teammate, true],
    [admin, true],
    [salesSteward, false],
    [consumer, false],
    [otherOwner, false],
  ]);

  matrix("domain.manage", { id: SALES }, [
    [salesSteward, true],
    [admin, true],
    [financeSteward, false],
    [owner, false],
    [consumer, false],
  ]);

  matrix("product.provision", published, [
    [owner, true],
    [teammate, true],
    [admin, true],
    [salesSteward, false],
    [consumer, false],
    [otherOwner, false],
  ]);
  matrix("product.provision", product("retired"), [
    [owner, false],
    [admin, true],
  ]);

  matrix("governance.view", null, [
    [consumer, true],
    [owner, true],
    [salesSteward, true],
    [admin, true],
  ]);

  // Global policies: platform admins only.
  matrix("policy.manage", { domainId: null }, [
    [admin, true],
    [salesSteward, false],
    [financeSteward, false],
    [owner, false],
    [consumer, false],
    [impostor, false],
  ]);
  // A domain's policies: that domain's stewards and admins, not its members nor other stewards.
  matrix("policy.manage", { domainId: SALES }, [
    [salesSteward, true],
    [admin, true],
    [financeSteward, false],
    [owner, false],
    [teammate, false],
    [consumer, false],
    [impostor, false],
  ]);

  matrix("lineage.view", null, [
    [consumer, true],
    [owner, true],
    [admin, true],
  ]);
  // An edge from a Sales product's table to a table no product serves: whoever answers for the Sales product.
  matrix("lineage.edit", { from: published, to: null }, [
    [owner, true],
    [teammate, true],
    [salesSteward, true],
    [admin, true],
    [consumer, false],
    [otherOwner, false],
    [financeSteward, false],
    [impostor, false],
  ]);
  // Between a Finance product and a Sales product: either side's owners and stewards.
  const financeProduct = product("published", { id: "p2", domainId: FINANCE, ownerIds: ["other-owner"], ownerTeamId: null });
  matrix("lineage.edit", { from: financeProduct, to: published }, [
    [otherOwner, true],
    [financeSteward, true],
    [owner, true],
    [salesSteward, true],
    [consumer, false],
    [impostor, false],
  ]);
  // Between two tables no product serves: platform admins only.
  matrix("lineage.edit", { from: null, to: null }, [
    [admin, true],
    [owner, false],
    [salesSteward, false],
    [consumer, false],
    [impostor, false],
  ]);
  matrix("lineage.import", null, [
    [person("product-owner", { ownsProducts: true }), true],
    [salesSteward, true],
    [admin, true],
    [consumer, false],
    [person("member-only", { domains: [{ domainId: SALES, role: "member" }] }), false],
    [impostor, false],
  ]);

  for (const action of ["admin.view", "audit.read", "jobs.retry", "integrations.view"] as const) {
    matrix(action, null, [
      [admin, true],
      [salesSteward, false],
      [owner, false],
      [consumer, false],
      [impostor, false],
    ]);
  }
});

describe("can()", () => {
  it("denies everything to nobody", () => {
    expect(can(null, "catalog.browse", null)).toBe(false);
    expect(can(undefined, "product.read", published)).toBe(false);
  });

  it("denies an action it does not know, even to an admin", () => {
    expect(can(admin, "product.delete" as Action, published as never)).toBe(false);
    expect(can(admin, "toString" as Action, null as never)).toBe(false);
    expect(can(admin, "__proto__" as Action, null as never)).toBe(false);
  });
});

describe("token scopes for lineage", () => {
  const withScopes = (u: Principal, ...scopes: string[]): Principal => ({ ...u, tokenScopes: scopes });
  it("lineage:write records edges and imports, but changes no product", () => {
    const t = withScopes(person("importer", { ownsProducts: true, domains: [{ domainId: SALES, role: "member" }] }), "lineage:write");
    expect(can(withScopes(owner, "lineage:write"), "lineage.edit", { from: published, to: null })).toBe(true);
    expect(can(t, "lineage.import", null)).toBe(true);
    expect(can(withScopes(owner, "lineage:write"), "product.update", published)).toBe(false);
    expect(can(withScopes(owner, "catalog:read"), "lineage.view", null)).toBe(true);
    expect(can(withScopes(owner, "catalog:read"), "lineage.edit", { from: published, to: null })).toBe(false);
  });
  it("deprecating needs products:write", () => {
    expect(can(withScopes(owner, "products:write"), "product.deprecate", published)).toBe(true);
    expect(can(withScopes(owner, "lineage:write"), "product.deprecate", published)).toBe(false);
  });
});

describe("authorize()", () => {
  it("answers not found for a product the user may not read, so its existence does not leak", () => {
    expect(() => authorize(consumer, "product.read", draft)).toThrow(NotFoundError);
  });
  it("answers forbidden for other refusals", () => {
    expect(() => authorize(consumer, "product.publish", published)).toThrow(ForbiddenError);
  });
  it("returns quietly when allowed", () => {
    expect(() => authorize(owner, "product.publish", published)).not.toThrow();
  });
});
