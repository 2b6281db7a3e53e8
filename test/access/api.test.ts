import { beforeAll, expect, it } from "vitest";
import type { ZodType } from "zod";
import {
  countWaitingOperation,
  decideAccessOperation,
  decideManyOperation,
  getAccessRequestOperation,
  listAccessRequestsOperation,
  requestAccessOperation,
} from "@/lib/access/operations";
import type { Principal } from "@/lib/auth/permissions";
import { seedDemoMesh } from "@/lib/demo/seed";
import { runOperation, type Operation } from "@/lib/http/operation";
import { describeEachDatabase } from "@/test/support/db";
import { ask, loadPeople, NOW, type People } from "@/test/access/helpers";

type Answer = { status: number; body: Record<string, unknown>; headers?: Headers };

describeEachDatabase("access REST operations", (testDb) => {
  let p: People;

  beforeAll(async () => {
    const db = testDb().prisma;
    await seedDemoMesh(db, { now: NOW });
    p = await loadPeople(db);
  });

  async function call<S extends ZodType>(op: Operation<S, unknown>, input: Record<string, unknown>, user: Principal | null): Promise<Answer> {
    const result = await runOperation(op, input, { user, db: async () => testDb().prisma, requestId: "req-access-test" });
    if (!result.ok) {
      const { ok: _ok, status, ...body } = result;
      return { status, body };
    }
    if (result.data instanceof Response) return { status: result.data.status, body: (await result.data.json()) as Record<string, unknown>, headers: result.data.headers };
    return { status: 200, body: result.data as Record<string, unknown> };
  }

  const withToken = (u: Principal, ...scopes: string[]): Principal => ({ ...u, tokenScopes: scopes, token: { id: "t1", name: "ci", kind: "service" } });

  it("creates a request with 201 and its address, and lists it in both inboxes", async () => {
    const created = await call(requestAccessOperation, ask("sales-pipeline", "opportunities"), p.carlos.user);
    expect(created.status).toBe(201);
    expect(created.headers?.get("location")).toBe(`/api/v1/access/requests/${created.body.id}`);
    expect(created.body).toMatchObject({ status: "pending", port: "opportunities" });

    const mine = await call(listAccessRequestsOperation, { tab: "mine" }, p.carlos.user);
    expect((mine.body.items as { id: string }[]).some((i) => i.id === created.body.id)).toBe(true);
    const waiting = await call(listAccessRequestsOperation, {}, p.olivia.user);
    expect((waiting.body.items as { id: string }[]).map((i) => i.id)).toContain(created.body.id);
    const count = await call(countWaitingOperation, {}, p.olivia.user);
    expect(count.body).toEqual({ waiting: (waiting.body.items as unknown[]).length });
  });

  it("answers 400 with field errors, 409 for a duplicate, 401 without a session", async () => {
    const invalid = await call(requestAccessOperation, { ...ask("sales-pipeline", "stage-history"), purpose: "short", acceptTerms: "yes" }, p.carlos.user);
    expect(invalid.status).toBe(400);
    expect(Object.keys(invalid.body.fieldErrors as object).sort()).toEqual(["acceptTerms", "purpose"]);
    const duplicate = await call(requestAccessOperation, ask("sales-orders", "orders"), p.carlos.user);
    expect(duplicate).toMatchObject({ status: 409, body: { code: "duplicate_request", error: expect.stringMatching(/\/access\/requests\/[0-9a-f-]{36}$/) } });
    expect((await call(listAccessRequestsOperation, {}, null)).status).toBe(401);
    const badTab = await call(listAccessRequestsOperation, { tab: "everything" }, p.carlos.user);
    expect(badTab.body.fieldErrors).toEqual({ tab: ["tab must be waiting, mine or decided"] });
  });

  it("decides by address, and tells the second decider who came first", async () => {
    const created = await call(requestAccessOperation, ask("sales-pipeline", "stage-history"), p.elena.user);
    const id = created.body.id as string;
    const first = await call(decideAccessOperation, { id, decision: "approve", revision: created.body.revision }, p.priya.user);
    expect(first).toMatchObject({ status: 200, body: { status: "provisioning" } });
    const second = await call(decideAccessOperation, { id, decision: "reject", revision: created.body.revision }, p.olivia.user);
    expect(second).toMatchObject({ status: 409, body: { code: "conflict", error: "Already decided by Priya Nair a moment ago (approved)" } });
    expect((await call(getAccessRequestOperation, { id }, p.tom.user)).status).toBe(404);
    expect((await call(getAccessRequestOperation, { id }, p.elena.user)).body).toMatchObject({ id, status: "provisioning" });
    const bulk = await call(decideManyOperation, { requestIds: [id], decision: "approve" }, p.olivia.user);
    expect(bulk.body).toEqual({ decided: [], failed: [{ id, error: expect.stringMatching(/^Already decided by Priya Nair/) }] });
  });

  it("holds API tokens to their scopes", async () => {
    const reader = withToken(p.olivia.user, "access:read");
    expect((await call(listAccessRequestsOperation, {}, reader)).status).toBe(200);
    const waiting = (await call(listAccessRequestsOperation, {}, reader)).body.items as { id: string }[];
    expect(waiting.length).toBeGreaterThan(0);
    const refused = await call(decideAccessOperation, { id: waiting[0]!.id, decision: "approve" }, reader);
    expect(refused).toMatchObject({ status: 403, body: { code: "insufficient_scope" } });

    const catalogOnly = withToken(p.olivia.user, "catalog:read");
    expect(await call(listAccessRequestsOperation, {}, catalogOnly)).toMatchObject({ status: 403, body: { code: "insufficient_scope", error: expect.stringContaining("access:read or access:write") } });
    expect((await call(countWaitingOperation, {}, catalogOnly)).status).toBe(403);
    expect((await call(getAccessRequestOperation, { id: waiting[0]!.id }, catalogOnly)).status).toBe(403);
    expect(await call(decideAccessOperation, { id: waiting[0]!.id, decision: "approve" }, catalogOnly)).toMatchObject({ status: 403, body: { code: "insufficient_scope" } });
    expect((await call(requestAccessOperation, ask("shipments", "shipments"), withToken(p.carlos.user, "catalog:read"))).body).toMatchObject({ code: "insufficient_scope" });

    // access:write is enough to request access, without catalog:read.
    const writer = withToken(p.carlos.user, "access:write");
    expect((await call(requestAccessOperation, ask("shipments", "shipments"), writer)).status).toBe(201);
  });
});
