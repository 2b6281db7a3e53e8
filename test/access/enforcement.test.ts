import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { accessGrantHandler, accessRevokeHandler, bucketSubject, GRANT_RESOURCE_SYSTEM, type EnforcementSystems } from "@/lib/access/enforcement";
import { ACCESS_GRANT_JOB, ACCESS_JOB_TARGET, ACCESS_REVOKE_JOB, grantJobKey, revokeJobKey } from "@/lib/access/jobs";
import { buildTrinoRules, evaluateTableAccess } from "@/lib/access/trino-rules";
import type { Db } from "@/lib/db/client";
import type { PrincipalType } from "@/lib/db/generated/client";
import { seedDemoMesh } from "@/lib/demo/seed";
import { createDisabledFybrikClient, createFybrikClient } from "@/lib/integrations/fybrik/client";
import { createKubernetesProvisioner } from "@/lib/integrations/kubernetes/client";
import { createEmbeddedProvisioner } from "@/lib/integrations/kubernetes/embedded";
import type { KubernetesProvisioner } from "@/lib/integrations/kubernetes/types";
import { createEmbeddedOpenMetadataClient } from "@/lib/integrations/openmetadata/client";
import type { Integrations } from "@/lib/integrations/registry";
import { enqueueJob } from "@/lib/jobs/outbox";
import { jobHandlers } from "@/lib/jobs/runtime";
import { createWorker, type ClaimedJob, type JobHandler } from "@/lib/jobs/worker";
import { logger } from "@/lib/log";
import { PROVISION_JOB, provisionProductHandler, requestProvisioning } from "@/lib/provisioning/service";
import { DAY_MS, EMAIL, NOW } from "@/test/access/helpers";
import { startFakeKubernetes, type FakeKubernetes } from "@/test/fakes/kubernetes/server";
import { describeEachDatabase } from "@/test/support/db";

const quick = { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 };
const ORDERS = { catalog: "iceberg", schema: "sales", table: "orders" };
const RITA = "rita.requester@canopy.demo";

describeEachDatabase("access enforcement: the grant and revoke jobs", (testDb) => {
  let kube: FakeKubernetes;
  let connected: EnforcementSystems;
  let ids: Record<"rita" | "olivia" | "tom" | "marcus" | "priya", string>;
  let clock: Date;

  const db = (): Db => testDb().prisma;
  const ctx = () => ({ db: db(), log: logger, signal: new AbortController().signal });

  beforeAll(async () => {
    await seedDemoMesh(db(), { now: NOW });
    // The demo's own jobs are not what these tests are about.
    await db().job.deleteMany({});
    const users = await db().user.findMany({ where: { email: { in: [EMAIL.olivia, EMAIL.tom, EMAIL.marcus, EMAIL.priya] } }, select: { id: true, email: true } });
    const byEmail = (e: string) => users.find((u) => u.email === e)!.id;
    // A newcomer without any access yet asks for all the grants here.
    const rita = await db().user.create({ data: { email: RITA, name: "Rita Requester", provider: "demo" }, select: { id: true } });
    ids = { rita: rita.id, olivia: byEmail(EMAIL.olivia), tom: byEmail(EMAIL.tom), marcus: byEmail(EMAIL.marcus), priya: byEmail(EMAIL.priya) };

    kube = await startFakeKubernetes({ bindDelayMs: 10 });
    connected = {
      kubernetes: createKubernetesProvisioner({ kubeConfig: kube.kubeConfig(), retry: quick, pollIntervalMs: 10 }),
      fybrik: createFybrikClient({ kubeConfig: kube.kubeConfig(), retry: quick }),
    };
    // Sales Orders gets its namespace and bucket claim in the cluster, as provisioning does.
    clock = new Date(Math.max(Date.now(), NOW.getTime()));
    const salesOrders = await db().dataProduct.findUniqueOrThrow({ where: { slug: "sales-orders" }, select: { id: true } });
    await db().$transaction((tx) => requestProvisioning(tx, { id: null, label: "test" }, salesOrders.id, "enforcement-test"));
    await createWorker({ db: db(), handlers: { [PROVISION_JOB]: provisionProductHandler(connected.kubernetes), "openmetadata.push-product": async () => ({}) }, now: () => clock }).drain();
    const claim = await db().provisionedResource.findFirstOrThrow({ where: { productId: salesOrders.id, kind: "ObjectBucketClaim" } });
    expect(claim).toMatchObject({ state: "applied", namespace: "dp-sales-orders", name: "orders-daily-export" });
    // A team's namespace whose workload reads through Fybrik.
    kube.store.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: "finance-jobs" } });
  });

  afterAll(async () => {
    await kube?.close();
  });

  afterEach(() => {
    kube.faults.clear();
  });

  type NewGrant = {
    product?: string;
    port: string;
    principal?: { type: PrincipalType; ref: string };
    workload?: string;
    status?: "provisioning" | "active" | "revoked" | "expired";
    expiresAt?: Date | null;
  };

  /**
   * A request as the core leaves it on final approval (status provisioning, end set), with its grant
   * job; `queued: false` for tests that call a handler directly.
   */
  async function approvedRequest(g: NewGrant, opts: { maxAttempts?: number; queued?: boolean } = {}) {
    const port = await db().outputPort.findFirstOrThrow({ where: { name: g.port, product: { slug: g.product ?? "sales-orders" } }, select: { id: true } });
    const principal = g.principal ?? { type: "user" as const, ref: ids.rita };
    return db().$transaction(async (tx) => {
      const r = await tx.accessRequest.create({
        data: {
          portId: port.id,
          requesterId: ids.rita,
          principalType: principal.type,
          principalRef: principal.ref,
          purpose: "Reconcile the quarter's orders against invoices.",
          durationDays: 90,
          status: g.status ?? "provisioning",
          decidedById: ids.olivia,
          decidedAt: NOW,
          expiresAt: g.expiresAt === undefined ? new Date(NOW.getTime() + 90 * DAY_MS) : g.expiresAt,
          termsAcceptedAt: NOW,
          workload: g.workload ?? null,
          revision: 2,
          createdAt: NOW,
          updatedAt: NOW,
        },
        select: { id: true },
      });
      if (opts.queued === false) return { id: r.id, jobId: `direct-${r.id}` };
      const job = await enqueueJob(tx, {
        kind: ACCESS_GRANT_JOB,
        payload: { requestId: r.id },
        idempotencyKey: grantJobKey(r.id, 2),
        target: { type: ACCESS_JOB_TARGET, id: r.id },
        maxAttempts: opts.maxAttempts ?? 8,
        runAt: clock,
      });
      return { id: r.id, jobId: job.id };
    });
  }

  const request = (id: string) => db().accessRequest.findUniqueOrThrow({ where: { id } });
  const audit = (id: string) =>
    db().auditEvent.findMany({ where: { targetType: ACCESS_JOB_TARGET, targetId: id }, orderBy: { id: "asc" }, select: { action: true, actorLabel: true, after: true } });
  const notes = async (id: string) =>
    (
      await db().notification.findMany({ where: { link: `/access/requests/${id}` }, orderBy: { createdAt: "asc" }, select: { kind: true, title: true, body: true, user: { select: { email: true } } } })
    ).map((n) => ({ kind: n.kind, title: n.title, body: n.body, to: n.user.email }));
  const job = (id: string) => db().job.findUniqueOrThrow({ where: { id } });
  const grantResources = (id: string) => db().provisionedResource.findMany({ where: { system: GRANT_RESOURCE_SYSTEM, details: { path: ["grantId"], equals: id } }, orderBy: { kind: "asc" } });

  function workerWith(handlers: Record<string, JobHandler>) {
    return createWorker({ db: db(), handlers, now: () => clock, backoff: { baseMs: 1_000, maxMs: 1_000 } });
  }
  const handlers = (systems: EnforcementSystems) => ({
    [ACCESS_GRANT_JOB]: accessGrantHandler(systems, { now: () => NOW }),
    [ACCESS_REVOKE_JOB]: accessRevokeHandler(systems, { now: () => NOW }),
  });
  const claimed = (jobId: string, requestId: string, kind = ACCESS_GRANT_JOB): ClaimedJob => ({ id: jobId, kind, payload: { requestId }, attempt: 1, maxAttempts: 8, idempotencyKey: "test" });

  describe("a Trino table port", () => {
    it("becomes active; the rules Canopy serves now let the consumer read the table; the requester hears of it", async () => {
      const { id, jobId } = await approvedRequest({ port: "orders" });
      const before = evaluateTableAccess(await buildTrinoRules(db(), { now: NOW }), { user: RITA }, ORDERS);
      expect(before.allowed).toBe(false);

      expect(await workerWith(handlers(connected)).drain()).toBe(1);

      expect(await request(id)).toMatchObject({ status: "active", revision: 3 });
      const after = evaluateTableAccess(await buildTrinoRules(db(), { now: NOW }), { user: RITA }, ORDERS);
      expect(after.allowed).toBe(true);
      expect(after.rule?.description).toContain(id);

      const j = await job(jobId);
      expect(j.status).toBe("succeeded");
      expect(j.result).toMatchObject({ requestId: id, status: "active", enforcement: [{ system: "trino", action: "rules" }] });
      expect(await audit(id)).toEqual([
        { action: "access.activated", actorLabel: "system", after: expect.objectContaining({ status: "active", jobId, enforcement: [expect.objectContaining({ system: "trino" })] }) },
      ]);
      expect(await notes(id)).toEqual([
        {
          kind: "access.active",
          title: "Access to Sales Orders / orders is active until 2027-03-01 10:00 UTC",
          body: expect.stringContaining("query the table in Trino"),
          to: RITA,
        },
      ]);
      // Nothing was created in the cluster for a table.
      expect(await grantResources(id)).toEqual([]);
    });

    it("does nothing on a re-run after success: no second audit event, notification or state change", async () => {
      const { id, jobId } = await approvedRequest({ port: "order-lines" }, { queued: false });
      const grant = accessGrantHandler(connected, { now: () => NOW });
      await grant(claimed(jobId, id), ctx());
      const once = { request: await request(id), audit: await audit(id), notes: await notes(id) };
      expect(once.request.status).toBe("active");

      expect(await grant(claimed(jobId, id), ctx())).toEqual({ requestId: id, skipped: "the request is active" });
      expect(await request(id)).toEqual(once.request);
      expect(await audit(id)).toEqual(once.audit);
      expect(await notes(id)).toEqual(once.notes);
    });
  });

  describe("an S3 bucket port", () => {
    it("binds the consumer to read the bucket's credentials in the product's namespace, and records the RoleBinding", async () => {
      const { id, jobId } = await approvedRequest({ port: "orders-daily-export" });
      expect(await workerWith(handlers(connected)).drain()).toBe(1);

      expect((await request(id)).status).toBe("active");
      const rb = kube.store.get("rolebindings", "dp-sales-orders", `canopy-grant-${id}`);
      expect(rb).toMatchObject({
        metadata: { labels: { "canopy.io/grant": id, "app.kubernetes.io/managed-by": "canopy" } },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "canopy-read-orders-daily-export" },
        subjects: [{ kind: "User", apiGroup: "rbac.authorization.k8s.io", name: RITA }],
      });
      // The Role reads exactly the claim's Secret and ConfigMap, nothing else.
      expect(kube.store.get("roles", "dp-sales-orders", "canopy-read-orders-daily-export")?.rules).toEqual([
        { apiGroups: [""], resources: ["secrets"], resourceNames: ["orders-daily-export"], verbs: ["get"] },
        { apiGroups: [""], resources: ["configmaps"], resourceNames: ["orders-daily-export"], verbs: ["get"] },
      ]);
      expect(await grantResources(id)).toEqual([
        expect.objectContaining({
          kind: "RoleBinding",
          namespace: "dp-sales-orders",
          name: `canopy-grant-${id}`,
          state: "applied",
          details: { grantId: id, subject: { kind: "User", name: RITA }, role: "canopy-read-orders-daily-export", claim: "orders-daily-export" },
        }),
      ]);
      expect((await job(jobId)).result).toMatchObject({
        enforcement: [{ system: "kubernetes", action: "applied", kind: "RoleBinding", namespace: "dp-sales-orders", name: `canopy-grant-${id}`, outcome: "created" }],
      });
      const [note] = await notes(id);
      expect(note).toMatchObject({ kind: "access.active", to: RITA, body: expect.stringContaining("namespace dp-sales-orders") });
      // Canopy never reads the bucket's Secret itself.
      expect(kube.requests.some((r) => r.path.includes("/secrets"))).toBe(false);
    });

    it("is idempotent when a job that already applied runs again before recording success", async () => {
      const { id, jobId } = await approvedRequest({ port: "orders-daily-export", principal: { type: "group", ref: "finance-analysts" } }, { queued: false });
      const grant = accessGrantHandler(connected, { now: () => NOW });
      await grant(claimed(jobId, id), ctx());
      const first = kube.store.get("rolebindings", "dp-sales-orders", `canopy-grant-${id}`)!;
      expect(first.subjects).toEqual([{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "finance-analysts" }]);

      // The worker died after applying but before its success was recorded: the grant is provisioning again.
      await db().accessRequest.update({ where: { id }, data: { status: "provisioning", revision: { increment: 1 } } });
      const again = (await grant(claimed(jobId, id), ctx())) as { enforcement: { outcome?: string }[] };
      expect(again.enforcement[0]?.outcome).toBe("unchanged");
      const second = kube.store.get("rolebindings", "dp-sales-orders", `canopy-grant-${id}`)!;
      expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
      expect(kube.store.list("rolebindings", "dp-sales-orders").filter((o) => (o.metadata.labels as Record<string, string>)["canopy.io/grant"] === id)).toHaveLength(1);
      expect(await grantResources(id)).toHaveLength(1);
      expect((await request(id)).status).toBe("active");
    });

    it("binds a data product's service accounts when the grant is for a product", async () => {
      expect(await bucketSubject(db(), { principalType: "product", principalRef: "management-reporting-pack" }, "dp-")).toEqual({
        kind: "Group",
        name: "system:serviceaccounts:dp-management-reporting-pack",
      });
      const { id, jobId } = await approvedRequest({ port: "orders-daily-export", principal: { type: "product", ref: "management-reporting-pack" } }, { queued: false });
      await accessGrantHandler(connected, { now: () => NOW, namespacePrefix: "dp-" })(claimed(jobId, id), ctx());
      expect(kube.store.get("rolebindings", "dp-sales-orders", `canopy-grant-${id}`)?.subjects).toEqual([
        { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "system:serviceaccounts:dp-management-reporting-pack" },
      ]);
    });

    it("keeps trying while the product's bucket is not provisioned, and fails the grant on the last attempt", async () => {
      const other = await db().outputPort.findFirstOrThrow({
        where: { type: "s3_bucket", product: { status: "published", slug: { not: "sales-orders" } } },
        select: { name: true, product: { select: { slug: true, name: true, id: true } } },
      });
      const { id, jobId } = await approvedRequest({ product: other.product.slug, port: other.name }, { maxAttempts: 2 });
      const worker = workerWith(handlers(connected));

      expect(await worker.runOnce()).toBe(1);
      expect(await job(jobId)).toMatchObject({ status: "pending", attempts: 1, lastError: expect.stringContaining("is not provisioned in the cluster yet") });
      expect((await request(id)).status).toBe("provisioning");
      expect(await notes(id)).toEqual([]);

      clock = new Date(clock.getTime() + 1_000);
      expect(await worker.runOnce()).toBe(1);
      expect(await job(jobId)).toMatchObject({ status: "failed", attempts: 2 });
      expect(await request(id)).toMatchObject({ status: "failed", revision: 3 });
      const events = await audit(id);
      expect(events.map((e) => e.action)).toEqual(["access.failed"]);
      expect(events[0]).toMatchObject({ actorLabel: "system", after: { status: "failed", attempt: 2, maxAttempts: 2, error: expect.stringContaining("not provisioned") } });
      // The requester and every owner of the product hear of it.
      const owners = await db().user.findMany({
        where: { OR: [{ ownedProducts: { some: { productId: other.product.id } } }, { teamMemberships: { some: { team: { products: { some: { id: other.product.id } } } } } }] },
        select: { email: true },
      });
      const told = await notes(id);
      expect(told.map((n) => n.to).sort()).toEqual([RITA, ...owners.map((o) => o.email)].sort());
      expect(told.every((n) => n.kind === "access.failed" && n.title === `Setting up access to ${other.product.name} / ${other.name} failed`)).toBe(true);
      expect(told[0]!.body).toMatch(/not provisioned in the cluster yet.*retry/);
      // A failed grant is not in Trino's rules and holds nothing in the cluster.
      expect(await grantResources(id)).toEqual([]);
    });

    it("fails at once on a permanent refusal from the cluster and removes nothing it should keep", async () => {
      kube.faults.add({
        method: "PATCH",
        path: "/rolebindings/canopy-grant-",
        kind: "status",
        status: 403,
        times: 5,
        body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: 'rolebindings.rbac.authorization.k8s.io is forbidden: User "canopy" cannot patch resource "rolebindings"', reason: "Forbidden", code: 403 },
      });
      const { id, jobId } = await approvedRequest({ port: "orders-daily-export" });
      expect(await workerWith(handlers(connected)).drain()).toBe(1);
      expect(await job(jobId)).toMatchObject({ status: "failed", attempts: 1, lastError: expect.stringContaining("forbidden") });
      expect((await request(id)).status).toBe("failed");
      expect((await audit(id)).map((e) => e.action)).toEqual(["access.failed"]);
      expect((await audit(id))[0]!.after).toMatchObject({ error: expect.stringContaining("cannot patch resource"), cleanup: "removed anything this grant had created" });
      expect(kube.store.get("rolebindings", "dp-sales-orders", `canopy-grant-${id}`)).toBeUndefined();
      // The product's own bindings are untouched.
      expect(kube.store.get("rolebindings", "dp-sales-orders", "canopy-owners")).toBeDefined();
    });
  });

  describe("a consumer's workload", () => {
    it("gets a FybrikApplication for the asset; revoking removes it and the RoleBinding", async () => {
      const { id, jobId } = await approvedRequest({ port: "orders-daily-export", workload: "finance-jobs/recon-notebook" });
      expect(await workerWith(handlers(connected)).drain()).toBe(1);
      expect((await job(jobId)).status).toBe("succeeded");
      const app = kube.store.get("fybrikapplications", "finance-jobs", `canopy-${id}`);
      expect(app).toMatchObject({
        metadata: { labels: { "canopy.io/grant": id, "canopy.io/product": "sales-orders", "app.kubernetes.io/managed-by": "canopy" } },
        spec: {
          selector: { workloadSelector: { matchLabels: { app: "recon-notebook" } } },
          appInfo: { intent: "Unspecified", role: "consumer" },
          data: [{ dataSetID: "s3://canopy-sales-exports/orders/daily/", flow: "read" }],
        },
      });
      expect((await grantResources(id)).map((r) => [r.kind, r.namespace, r.state])).toEqual([
        ["FybrikApplication", "finance-jobs", "applied"],
        ["RoleBinding", "dp-sales-orders", "applied"],
      ]);

      // The owner revokes (the core sets the status and enqueues the revoke job).
      await db().$transaction(async (tx) => {
        await tx.accessRequest.update({ where: { id }, data: { status: "revoked", revokedAt: NOW, revokedById: ids.olivia, revision: { increment: 1 } } });
        await enqueueJob(tx, { kind: ACCESS_REVOKE_JOB, payload: { requestId: id }, idempotencyKey: revokeJobKey(id), target: { type: ACCESS_JOB_TARGET, id }, runAt: clock });
      });
      expect(await workerWith(handlers(connected)).drain()).toBe(1);
      expect(kube.store.get("fybrikapplications", "finance-jobs", `canopy-${id}`)).toBeUndefined();
      expect(kube.store.get("rolebindings", "dp-sales-orders", `canopy-grant-${id}`)).toBeUndefined();
      expect(kube.store.get("roles", "dp-sales-orders", "canopy-read-orders-daily-export")).toBeDefined();
      expect(await grantResources(id)).toEqual([]);
      const events = await audit(id);
      expect(events.map((e) => e.action)).toEqual(["access.activated", "access.deprovisioned"]);
      expect(events[1]!.after).toMatchObject({
        status: "revoked",
        enforcement: [
          { system: "kubernetes", action: "removed", namespace: "dp-sales-orders" },
          { system: "fybrik", action: "removed", namespace: "finance-jobs", name: `canopy-${id}` },
        ],
      });
      // Running the revocation again is harmless.
      await accessRevokeHandler(connected)(claimed("again", id, ACCESS_REVOKE_JOB), ctx());
      expect((await audit(id)).map((e) => e.action)).toEqual(["access.activated", "access.deprovisioned", "access.deprovisioned"]);
    });

    it("revoking a table grant calls nothing and records that the rules dropped it", async () => {
      const { id } = await approvedRequest({ port: "orders", status: "revoked" }, { queued: false });
      const out = await accessRevokeHandler(connected)(claimed("revoke-table", id, ACCESS_REVOKE_JOB), ctx());
      expect(out).toEqual({ requestId: id, status: "revoked", enforcement: [{ system: "trino", action: "rules", detail: expect.stringContaining("no longer include") }] });
      const rules = await buildTrinoRules(db(), { now: NOW });
      expect(rules.tables.some((t) => t.description?.includes(id))).toBe(false);
    });

    it("leaves a live grant alone when a revoke job reaches it", async () => {
      const { id } = await approvedRequest({ port: "orders-daily-export", status: "active" }, { queued: false });
      expect(await accessRevokeHandler(connected)(claimed("stray", id, ACCESS_REVOKE_JOB), ctx())).toEqual({ requestId: id, skipped: "the request is active" });
    });
  });

  describe("a revocation racing the grant", () => {
    it("removes what the grant job applied when the request was revoked meanwhile", async () => {
      const { id, jobId } = await approvedRequest({ port: "orders-daily-export" }, { queued: false });
      // The owner revokes while the job is talking to the cluster.
      const racing: KubernetesProvisioner = {
        ...connected.kubernetes,
        grantBucketRead: async (input) => {
          await db().accessRequest.update({ where: { id }, data: { status: "revoked", revokedAt: NOW, revision: { increment: 1 } } });
          return connected.kubernetes.grantBucketRead(input);
        },
      };
      const out = await accessGrantHandler({ ...connected, kubernetes: racing }, { now: () => NOW })(claimed(jobId, id), ctx());
      expect(out).toMatchObject({ requestId: id, skipped: "the request became revoked meanwhile" });
      expect(kube.store.get("rolebindings", "dp-sales-orders", `canopy-grant-${id}`)).toBeUndefined();
      expect(await grantResources(id)).toEqual([]);
      expect((await request(id)).status).toBe("revoked");
      expect(await notes(id)).toEqual([]);
    });
  });

  describe("without a cluster (embedded)", () => {
    const embedded = (): Integrations =>
      ({ kubernetes: createEmbeddedProvisioner(), fybrik: createDisabledFybrikClient(), openmetadata: createEmbeddedOpenMetadataClient() }) as Integrations;

    it("records bucket grants and Fybrik applications as planned, and the grant still becomes active", async () => {
      const { id, jobId } = await approvedRequest({ port: "orders-daily-export", workload: "finance-jobs/recon-notebook" });
      // The handlers the running worker uses.
      expect(await workerWith(jobHandlers(embedded())).drain()).toBe(1);
      expect((await job(jobId)).status).toBe("succeeded");
      expect((await request(id)).status).toBe("active");
      expect((await grantResources(id)).map((r) => [r.kind, r.namespace, r.name, r.state])).toEqual([
        ["FybrikApplication", "finance-jobs", `canopy-${id}`, "planned"],
        ["RoleBinding", "dp-sales-orders", `canopy-grant-${id}`, "planned"],
      ]);
      expect(kube.store.get("rolebindings", "dp-sales-orders", `canopy-grant-${id}`)).toBeUndefined();
      expect((await job(jobId)).result).toMatchObject({
        enforcement: [
          { system: "kubernetes", action: "planned", detail: expect.stringContaining("not connected") },
          { system: "fybrik", action: "planned", detail: expect.stringContaining("not enabled") },
        ],
      });
      expect((await notes(id))[0]!.body).toContain("planned");

      // Revoking clears the plan; there is nothing to call.
      await db().accessRequest.update({ where: { id }, data: { status: "revoked", revision: { increment: 1 } } });
      const out = await accessRevokeHandler(embedded())(claimed("revoke-embedded", id, ACCESS_REVOKE_JOB), ctx());
      expect(out).toMatchObject({ enforcement: [{ system: "kubernetes", action: "nothing-to-remove" }, { system: "fybrik", action: "nothing-to-remove" }] });
      expect(await grantResources(id)).toEqual([]);
    });

    it("makes a table grant active the same way", async () => {
      const { id } = await approvedRequest({ port: "orders", expiresAt: null, principal: { type: "group", ref: "finance-analysts" } });
      await workerWith(jobHandlers(embedded())).drain();
      expect((await request(id)).status).toBe("active");
      const [note] = await notes(id);
      expect(note!.title).toBe("Access to Sales Orders / orders is active");
      const rules = await buildTrinoRules(db(), { now: NOW });
      expect(evaluateTableAccess(rules, { user: "someone@example.com", groups: ["finance-analysts"] }, ORDERS).allowed).toBe(true);
    });
  });
});
