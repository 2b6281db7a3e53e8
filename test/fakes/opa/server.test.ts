/** The fake OPA's own protocol, checked with plain fetch. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeOpa, type FakeOpa } from "@/test/fakes/opa/server";

let opa: FakeOpa;
beforeEach(async () => {
  opa = await startFakeOpa({ policies: { "app/rbac/allow": (input) => (input as { admin?: boolean }).admin === true } });
});
afterEach(() => opa.close());

async function post(path: string, body: string) {
  const res = await fetch(`${opa.url}${path}`, { method: "POST", body, headers: { "Content-Type": "application/json" } });
  expect(res.headers.get("content-type")).toBe("application/json");
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe("fake OPA", () => {
  it("answers a defined rule with result and decision_id", async () => {
    const r = await post("/v1/data/app/rbac/allow", JSON.stringify({ input: { admin: true } }));
    expect(r.status).toBe(200);
    expect(r.json.result).toBe(true);
    expect(r.json.decision_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers an undefined document with 200 and no result key", async () => {
    opa.setPolicy("app/rbac/reason", () => undefined);
    expect(await post("/v1/data/app/rbac/reason", JSON.stringify({ input: {} }))).toEqual({ status: 200, json: {} });
    expect(await post("/v1/data/nowhere", JSON.stringify({ input: {} }))).toEqual({ status: 200, json: {} });
  });

  it("gathers a package's rules into an object", async () => {
    opa.setPolicy("app/rbac/reason", () => "not an admin");
    const r = await post("/v1/data/app/rbac", JSON.stringify({ input: {} }));
    expect(r.json.result).toEqual({ allow: false, reason: "not an admin" });
  });

  it("refuses malformed JSON with invalid_parameter", async () => {
    const r = await post("/v1/data/app/rbac/allow", "{input:");
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: "invalid_parameter" });
    expect(typeof r.json.message).toBe("string");
  });

  it("reports health, removes policies, records requests", async () => {
    const h = await fetch(`${opa.url}/health`);
    expect(h.status).toBe(200);
    expect(await h.json()).toEqual({});
    opa.setPolicy("app/rbac/allow", undefined);
    expect((await post("/v1/data/app/rbac/allow", JSON.stringify({ input: { admin: true } }))).json).toEqual({});
    expect(opa.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /health", "POST /v1/data/app/rbac/allow"]);
  });
});
