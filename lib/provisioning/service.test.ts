import { CoreV1Api, NetworkingV1Api, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { seedDemoMesh } from "@/lib/demo/seed";
import { createKubernetesProvisioner } from "@/lib/integrations/kubernetes/client";
import { createEmbeddedProvisioner } from "@/lib/integrations/kubernetes/embedded";
import { createEmbeddedOpenMetadataClient, createOpenMetadataClient } from "@/lib/integrations/openmetadata/client";
import { jobHandlers } from "@/lib/jobs/runtime";
import { createWorker } from "@/lib/jobs/worker";
import { provisioningStatus, reconcileKubernetes, requestProvisioning } from "@/lib/provisioning/service";
import type { Integrations } from "@/lib/integrations/registry";
import { startFakeKubernetes, type FakeKubernetes } from "@/test/fakes/kubernetes/server";
import { startFakeOpenMetadata, type FakeOpenMetadata } from "@/test/fakes/openmetadata/server";
import { describeEachDatabase } from "@/test/support/db";

const actor = { id: null, label: "olivia.owner@canopy.demo" };
const quick = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 };

describeEachDatabase("provisioning through the outbox", (testDb) => {
  let kube: FakeKubernetes;
  let om: FakeOpenMetadata;
  let productId: string;

  beforeAll(async () => {
    await seedDemoMesh(testDb().prisma);
    kube = await startFakeKubernetes({ bindDelayMs: 20 });
    om = await startFakeOpenMetadata({ token: "om-test-token" });
    // A product with a Trino table and an S3 bucket port.
    const p = await testDb().prisma.dataProduct.findFirstOrThrow({
      where: { status: "published", AND: [{ outputPorts: { some: { type: "s3_bucket" } } }, { outputPorts: { some: { type: "trino_table" } } }] },
      select: { id: true },
    });
    productId = p.id;
  });
  afterAll(async () => {
    await kube?.close();
    await om?.close();
  });

  const connected = (): Integrations =>
    ({
      kubernetes: createKubernetesProvisioner({ kubeConfig: kube.kubeConfig(), retry: quick, pollIntervalMs: 10 }),
      openmetadata: createOpenMetadataClient({ baseUrl: om.url, token: "om-test-token", retry: quick }),
    }) as Integrations;

  it("records the plan without applying it when Kubernetes is not connected", async () => {
    const db = testDb().prisma;
    const integrations = { kubernetes: createEmbeddedProvisioner(), openmetadata: createEmbeddedOpenMetadataClient() } as Integrations;
    await db.$transaction((tx) => requestProvisioning(tx, actor, productId, "embedded-test"));
    await createWorker({ db, handlers: jobHandlers(integrations) }).drain();
    const status = await provisioningStatus(db, productId);
    expect(status.resources.length).toBeGreaterThanOrEqual(5);
    expect(status.resources.every((r) => r.state === "planned")).toBe(true);
    expect(status.jobs.every((j) => j.status === "succeeded")).toBe(true);
    expect(kube.store.all()).toEqual([]);
    expect(await db.auditEvent.count({ where: { action: "product.provision_planned", targetId: productId } })).toBe(1);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "product.provision_requested", targetId: productId } });
    expect(audit.actorLabel).toBe("olivia.owner@canopy.demo");
  });

  it("applies namespace, quota, RoleBinding, NetworkPolicy and bucket claims, and records the bound bucket", async () => {
    const db = testDb().prisma;
    await db.$transaction((tx) => requestProvisioning(tx, actor, productId, "connected-test"));
    const ran = await createWorker({ db, handlers: jobHandlers(connected()) }).drain();
    expect(ran).toBe(2);
    const status = await provisioningStatus(db, productId);
    expect(status.jobs.filter((j) => j.status !== "succeeded")).toEqual([]);
    const kinds = status.resources.map((r) => r.kind).sort();
    expect(kinds).toEqual(expect.arrayContaining(["Namespace", "ResourceQuota", "RoleBinding", "NetworkPolicy", "ObjectBucketClaim"]));
    expect(status.resources.every((r) => r.state === "applied")).toBe(true);
    const claim = status.resources.find((r) => r.kind === "ObjectBucketClaim")!;
    expect(claim.details).toMatchObject({ phase: expect.stringMatching(/bound/i), bucketName: expect.any(String), endpoint: expect.stringMatching(/^https?:\/\//) });
    // The bucket's credentials never leave the cluster.
    expect(kube.requests.some((r) => r.path.includes("/secrets"))).toBe(false);
    expect(JSON.stringify(await db.provisionedResource.findMany())).not.toMatch(/AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID/);
    // The outcome is in the audit trail, as the system's doing.
    const applied = await db.auditEvent.findFirstOrThrow({ where: { action: "product.provisioned", targetId: productId } });
    expect(applied.actorLabel).toBe("system");
    // Field manager and server-side apply.
    expect(kube.requests.some((r) => r.contentType?.includes("apply-patch") && r.query.fieldManager === "canopy")).toBe(true);
    // The metadata went to OpenMetadata, with PII tags on columns.
    expect(om.requests.some((r) => r.method === "PUT" && r.path.endsWith("/v1/tables"))).toBe(true);
  });

  it("is idempotent: provisioning again changes nothing in the cluster and creates nothing twice", async () => {
    const db = testDb().prisma;
    const before = kube.store.all().map((o) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`).sort();
    const versions = Object.fromEntries(kube.store.all().map((o) => [`${o.kind}/${o.metadata.name}`, (o.metadata as { resourceVersion?: string }).resourceVersion]));
    await db.$transaction((tx) => requestProvisioning(tx, actor, productId, "again"));
    await createWorker({ db, handlers: jobHandlers(connected()) }).drain();
    const after = kube.store.all();
    expect(after.map((o) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`).sort()).toEqual(before);
    for (const o of after.filter((x) => x.kind !== "ObjectBucketClaim" && x.kind !== "ConfigMap" && x.kind !== "Secret")) {
      expect((o.metadata as { resourceVersion?: string }).resourceVersion, `${o.kind}/${o.metadata.name}`).toBe(versions[`${o.kind}/${o.metadata.name}`]);
    }
  });

  it("retries a transient cluster failure to success", async () => {
    const db = testDb().prisma;
    kube.faults.add({ method: "PATCH", path: "/namespaces/", kind: "status", status: 503, times: 2 });
    await db.$transaction((tx) => requestProvisioning(tx, actor, productId, "flaky"));
    await createWorker({ db, handlers: jobHandlers(connected()) }).drain();
    const status = await provisioningStatus(db, productId);
    expect(status.jobs[0]!.status).toBe("succeeded");
    kube.faults.clear();
  });

  it("reports a permanent refusal on the job, without retrying it", async () => {
    const db = testDb().prisma;
    kube.faults.add({
      method: "PATCH",
      path: "/namespaces/",
      kind: "status",
      status: 403,
      times: 50,
      body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: 'namespaces is forbidden: User "canopy" cannot patch resource "namespaces"', reason: "Forbidden", code: 403 },
    });
    await db.$transaction((tx) => requestProvisioning(tx, actor, productId, "forbidden"));
    await createWorker({ db, handlers: jobHandlers(connected()) }).drain();
    const job = await db.job.findFirstOrThrow({ where: { idempotencyKey: { startsWith: "provision:" }, targetId: productId }, orderBy: { createdAt: "desc" } });
    expect(job).toMatchObject({ status: "failed", attempts: 1 });
    expect(job.lastError).toContain("cannot patch resource");
    kube.faults.clear();
  });

  it("finds drift: a resource deleted by hand is missing, changed labels are drifted", async () => {
    const db = testDb().prisma;
    const ns = (await db.provisionedResource.findFirstOrThrow({ where: { productId, kind: "NetworkPolicy" } })).namespace;
    await kube.kubeConfig().makeApiClient(NetworkingV1Api).deleteNamespacedNetworkPolicy({ name: "canopy-default", namespace: ns });
    // Someone relabels the namespace with kubectl.
    await kube
      .kubeConfig()
      .makeApiClient(CoreV1Api)
      .patchNamespace({ name: ns, body: { metadata: { labels: { "canopy.io/domain": "hijacked" } } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
    const result = await reconcileKubernetes(db, connected().kubernetes);
    expect(result.drifted).toBe(2);
    const rows = await db.provisionedResource.findMany({ where: { productId, state: { not: "applied" } }, select: { kind: true, state: true, driftReason: true } });
    expect(rows).toEqual(
      expect.arrayContaining([
        { kind: "NetworkPolicy", state: "missing", driftReason: expect.stringContaining("missing") },
        { kind: "Namespace", state: "drifted", driftReason: expect.stringContaining("canopy.io/domain") },
      ]),
    );
  });
});
