/**
 * Contract tests: the real OPA adapter (global fetch, real HTTP) against the fake OPA server.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { UserError } from "@/lib/errors";
import { IntegrationError } from "@/lib/integrations/http";
import { createDisabledOpaClient, createOpaClient, toDecision, type OpaClientOptions, type OpaLogger } from "@/lib/integrations/opa/client";
import { startFakeOpa, type FakeOpa } from "@/test/fakes/opa/server";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
type Input = { user?: string; action?: string };

let opa: FakeOpa;

beforeEach(async () => {
  opa = await startFakeOpa({
    policies: {
      "canopy/publish/allow": (input) => (input as Input).user === "alice",
      // A rule with no default: undefined unless it matches.
      "canopy/access/allow": (input) => ((input as Input).user === "alice" ? true : undefined),
      "canopy/grant/decision": (input) => ({ allow: (input as Input).action === "read", reasons: ["read is open"] }),
      "canopy/odd/truthy": () => "true",
    },
  });
});
afterEach(() => opa.close());

function client(extra: Partial<OpaClientOptions> = {}) {
  return createOpaClient({ url: opa.url, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 }, ...extra });
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e,
  );
}

describe("OPA adapter: decisions", () => {
  it("allows when the rule is true and denies when it is false", async () => {
    const c = client();
    const yes = await c.evaluate("canopy/publish/allow", { user: "alice", product: "orders" });
    expect(yes).toMatchObject({ defined: true, allowed: true, result: true });
    expect(yes.decisionId).toMatch(UUID);
    const no = await c.evaluate("canopy/publish/allow", { user: "bob" });
    expect(no).toMatchObject({ defined: true, allowed: false, result: false });

    const req = opa.requests[0]!;
    expect(req).toMatchObject({ method: "POST", path: "/v1/data/canopy/publish/allow", body: { input: { user: "alice", product: "orders" } } });
    expect(req.headers["content-type"]).toBe("application/json");
  });

  it("treats an undefined decision (no result key) as deny", async () => {
    const c = client();
    expect(await c.evaluate("canopy/access/allow", { user: "alice" })).toMatchObject({ defined: true, allowed: true });
    expect(await c.evaluate("canopy/access/allow", { user: "mallory" })).toEqual({ defined: false, allowed: false, result: undefined });
    expect(await c.evaluate("canopy/no/such/rule", {})).toEqual({ defined: false, allowed: false, result: undefined });
  });

  it("allows an object result only when its allow is true, and returns the object", async () => {
    const c = client();
    const read = await c.evaluate("canopy/grant/decision", { action: "read" });
    expect(read).toMatchObject({ defined: true, allowed: true, result: { allow: true, reasons: ["read is open"] } });
    const write = await c.evaluate("canopy/grant/decision", { action: "write" });
    expect(write).toMatchObject({ defined: true, allowed: false, result: { allow: false } });
    // A package path: OPA gathers its rules into one object.
    const pkg = await c.evaluate("canopy/publish", { user: "alice" });
    expect(pkg).toMatchObject({ defined: true, allowed: true, result: { allow: true } });
  });

  it("does not read anything but true as allow", async () => {
    expect(await client().evaluate("canopy/odd/truthy", {})).toMatchObject({ defined: true, allowed: false, result: "true" });
    expect(toDecision({ result: 1 }).allowed).toBe(false);
    expect(toDecision({ result: { allow: "true" } }).allowed).toBe(false);
    expect(toDecision({ result: [true] }).allowed).toBe(false);
    expect(toDecision({ result: null })).toEqual({ defined: true, allowed: false, result: null });
  });

  it("refuses an invalid path before sending anything", async () => {
    const c = client();
    for (const path of ["", "/canopy/allow", "canopy/allow/", "canopy/../admin", "canopy/allow?pretty=true", "canopy//allow", "canopy/al low", "canopy/allow#x"]) {
      await expect(c.evaluate(path, {})).rejects.toBeInstanceOf(UserError);
    }
    expect(opa.requests).toHaveLength(0);
  });
});

describe("OPA adapter: errors and retries", () => {
  it("retries a 500 and then succeeds", async () => {
    opa.faults.add({ path: "/v1/data/canopy/publish/allow", kind: "status", status: 500, body: { code: "internal_error", message: "storage unavailable" } });
    const warn = vi.fn();
    const d = await client({ log: { warn, debug: vi.fn() } as unknown as OpaLogger }).evaluate("canopy/publish/allow", { user: "alice" });
    expect(d.allowed).toBe(true);
    expect(opa.requests).toHaveLength(2);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it("reports an evaluation error with OPA's code and message after the configured attempts", async () => {
    opa.setPolicy("canopy/broken/allow", () => {
      throw new Error("eval_conflict_error: complete rules must not produce multiple outputs");
    });
    const err = await failure(client().evaluate("canopy/broken/allow", {}));
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err).toMatchObject({ system: "opa", status: 500, reason: "internal_error", transient: true });
    expect((err as Error).message).toContain("complete rules must not produce multiple outputs");
    expect(opa.requests).toHaveLength(3);
  });

  it("does not retry a 400 and keeps OPA's error code", async () => {
    opa.faults.add({ path: "/v1/data/", kind: "status", status: 400, times: 5, body: { code: "invalid_parameter", message: "input is not an object" } });
    const err = await failure(client().evaluate("canopy/publish/allow", {}));
    expect(err).toMatchObject({ status: 400, reason: "invalid_parameter", transient: false });
    expect((err as Error).message).toContain("input is not an object");
    expect(opa.requests).toHaveLength(1);
  });

  it("retries a connection reset", async () => {
    opa.faults.add({ path: "/v1/data/", kind: "reset" });
    expect((await client().evaluate("canopy/publish/allow", { user: "alice" })).allowed).toBe(true);
    expect(opa.requests.length).toBeGreaterThanOrEqual(2);
  });

  it("treats a time-out as transient", async () => {
    opa.faults.add({ path: "/v1/data/", kind: "latency", ms: 1_000 });
    const err = await failure(client({ timeoutMs: 100, retry: { attempts: 1 } }).evaluate("canopy/publish/allow", {}));
    expect(err).toMatchObject({ system: "opa", transient: true, reason: "Timeout" });
  });

  it("sends a bearer token when configured and never puts it in an error", async () => {
    const token = "opa-shared-secret-123";
    opa.faults.add({ path: "/v1/data/", kind: "status", status: 401, body: { code: "unauthorized", message: `bad token ${token}` } });
    const err = await failure(client({ token }).evaluate("canopy/publish/allow", {}));
    expect(err).toMatchObject({ status: 401, reason: "unauthorized", transient: false });
    expect((err as Error).message).not.toContain(token);
    expect(opa.requests[0]!.headers.authorization).toBe(`Bearer ${token}`);
  });
});

describe("OPA adapter: health and the disabled stand-in", () => {
  it("is healthy when GET /health answers, unhealthy when OPA is down", async () => {
    const c = client();
    expect(await c.health()).toMatchObject({ system: "opa", mode: "connected", healthy: true });
    expect(opa.requests.at(-1)).toMatchObject({ method: "GET", path: "/health" });
    await opa.close();
    const down = await c.health();
    expect(down).toMatchObject({ system: "opa", mode: "connected", healthy: false });
    expect(down.error).toContain("ECONNREFUSED");
  });

  it("disabled: refuses to decide and reports itself healthy", async () => {
    const off = createDisabledOpaClient();
    expect(off.mode).toBe("disabled");
    const err = await failure(off.evaluate("canopy/publish/allow", {}));
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err).toMatchObject({ system: "opa", reason: "NotConnected" });
    expect(await off.health()).toEqual({ system: "opa", mode: "disabled", healthy: true, latencyMs: null });
  });
});
