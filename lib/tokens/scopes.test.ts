import { describe, expect, it } from "vitest";
import { authorize, can, type Principal, type ProductRef } from "@/lib/auth/permissions";
import { UserError } from "@/lib/errors";
import { createTokenInput } from "@/lib/tokens/schemas";
import { scopesAllow, scopesFor, TOKEN_SCOPE_NAMES } from "@/lib/tokens/scopes";

const owner: Principal = { id: "u-owner", email: "owner@example.test", name: "Owner", roles: [], domains: [{ domainId: "d1", role: "member" }], teamIds: [] };
const admin: Principal = { id: "u-admin", email: "admin@example.test", name: "Admin", roles: ["platform_admin"], domains: [], teamIds: [] };
const product: ProductRef = { id: "p1", domainId: "d1", status: "published", ownerIds: ["u-owner"], ownerTeamId: null };
const draft: ProductRef = { ...product, id: "p2", status: "draft" };
const withScopes = (u: Principal, ...scopes: string[]): Principal => ({ ...u, tokenScopes: scopes, token: { id: "t", name: "t", kind: "personal" } });

function refusal(fn: () => void): UserError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

describe("token scopes in the permission module", () => {
  it("leave a session alone: no tokenScopes means the rules decide", () => {
    expect(can(owner, "product.update", product)).toBe(true);
    expect(can(owner, "product.create", { id: "d1" })).toBe(true);
  });

  it("deny every action outside the token's scopes, even when the user could", () => {
    const reader = withScopes(owner, "catalog:read");
    expect(can(reader, "catalog.browse", null)).toBe(true);
    expect(can(reader, "product.read", draft)).toBe(true);
    for (const action of ["product.update", "product.publish", "product.provision"] as const) expect(can(reader, action, product), action).toBe(false);
    expect(can(reader, "product.create", { id: "d1" })).toBe(false);
    expect(can(reader, "access.request", product)).toBe(false);
    const none = withScopes(owner);
    expect(can(none, "catalog.browse", null)).toBe(false);
  });

  it("never grant more than the user has", () => {
    const writer = withScopes(owner, "products:write", "admin", "audit:read");
    expect(can(writer, "product.update", product)).toBe(true);
    expect(can(writer, "product.update", { ...product, ownerIds: ["someone-else"] })).toBe(false);
    expect(can(writer, "product.create", { id: "d2" })).toBe(false);
    expect(can(writer, "admin.view", null)).toBe(false);
    expect(can(writer, "audit.read", null)).toBe(false);
    expect(can(withScopes(admin, "catalog:read"), "admin.view", null)).toBe(false);
    expect(can(withScopes(admin, "admin"), "admin.view", null)).toBe(true);
    expect(can(withScopes(admin, "audit:read"), "audit.read", null)).toBe(true);
  });

  it("ignore scope names they do not know", () => {
    expect(can(withScopes(admin, "*", "all", "products:*"), "product.update", product)).toBe(false);
    expect(scopesAllow(["catalog:read "], "catalog.browse")).toBe(false);
  });

  it("say which scope is missing when only the token is in the way, and otherwise refuse as before", () => {
    const reader = withScopes(owner, "catalog:read");
    expect(refusal(() => authorize(reader, "product.update", product))).toMatchObject({ status: 403, code: "insufficient_scope" });
    expect(refusal(() => authorize(reader, "product.update", product)).message).toContain("products:write");
    // A resource the user may not read stays "not found", token or not.
    const stranger = withScopes({ ...owner, id: "u-stranger", domains: [] }, "access:read");
    expect(refusal(() => authorize(stranger, "product.read", { ...draft, ownerIds: [] }))).toMatchObject({ status: 404, code: "not_found" });
    const writer = withScopes(owner, "products:write");
    expect(refusal(() => authorize(writer, "product.update", { ...product, ownerIds: [] }))).toMatchObject({ status: 403, code: "forbidden" });
  });

  it("let writing imply the reads it needs", () => {
    expect(scopesFor("product.read")).toEqual(["catalog:read", "products:write", "lineage:write"]);
    expect(scopesFor("lineage.edit")).toEqual(["lineage:write"]);
    expect(scopesFor("access.view")).toEqual(["access:read", "access:write"]);
    expect(scopesFor("audit.read")).toEqual(["audit:read"]);
  });
});

describe("the create-token input", () => {
  const valid = { name: "ci-pipeline", scopes: ["products:write"] };

  it("defaults to a personal token for 90 days and orders the scopes", () => {
    expect(createTokenInput.parse({ ...valid, scopes: ["products:write", "catalog:read", "catalog:read"] })).toEqual({
      name: "ci-pipeline",
      kind: "personal",
      scopes: ["catalog:read", "products:write"],
      expiresInDays: 90,
    });
    expect(createTokenInput.parse({ ...valid, kind: "service", expiresInDays: "365" }).expiresInDays).toBe(365);
  });

  it("refuses tokens that never expire or last longer than a year", () => {
    for (const expiresInDays of [0, -1, 366, 1.5, "never", null]) {
      const r = createTokenInput.safeParse({ ...valid, expiresInDays });
      expect(r.success, String(expiresInDays)).toBe(false);
      expect(r.error!.issues[0]!.path).toEqual(["expiresInDays"]);
    }
  });

  it("explains what is wrong with the name, kind and scopes", () => {
    const issues = (input: unknown) => createTokenInput.safeParse(input).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];
    expect(issues({ ...valid, name: "  " })).toEqual(["name: Give the token a name"]);
    expect(issues({ ...valid, name: "x".repeat(65) })).toEqual(["name: A token name is at most 64 characters"]);
    expect(issues({ ...valid, name: "ci (prod)\nfake" })[0]).toMatch(/^name: Use letters, digits/);
    expect(issues({ ...valid, kind: "robot" })).toEqual(["kind: kind must be personal or service"]);
    expect(issues({ ...valid, scopes: [] })).toEqual(["scopes: Choose at least one scope"]);
    expect(issues({ ...valid, scopes: ["root"] })).toEqual([`scopes.0: Unknown scope; the scopes are ${TOKEN_SCOPE_NAMES.join(", ")}`]);
    expect(issues({ name: "x" })[0]).toMatch(/^scopes: scopes must be a list/);
  });
});
