import { ApiException } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IntegrationError } from "@/lib/integrations/http";
import { createKubernetesProvisioner, kubeConfigFrom, parseKubeStatus, toIntegrationError } from "@/lib/integrations/kubernetes/client";
import type { KubernetesProvisioner, ProductInfra } from "@/lib/integrations/kubernetes/types";
import { startFakeKubernetes, type FakeKubernetes } from "@/test/fakes/kubernetes/server";

const infra: ProductInfra = {
  product: { slug: "sales-orders", domain: "sales", version: "1.2.0" },
  ownerGroups: ["sales-data"],
  ownerUsers: ["alice@example.com"],
  quota: { cpu: "4", memory: "16Gi", storage: "100Gi", buckets: 2 },
  buckets: [
    { port: "raw", generateName: "sales-orders-raw", maxSize: "2G", maxObjects: "1000" },
    { port: "curated", generateName: "sales-orders-curated" },
  ],
};

const fastRetry = { baseDelayMs: 1, maxDelayMs: 5 };

let fake: FakeKubernetes;
let k8s: KubernetesProvisioner;

function provisioner(extra: Partial<Parameters<typeof createKubernetesProvisioner>[0]> = {}) {
  return createKubernetesProvisioner({ kubeConfig: fake.kubeConfig(), retry: fastRetry, pollIntervalMs: 10, timeoutMs: 5_000, ...extra });
}

beforeEach(async () => {
  fake = await startFakeKubernetes({ bindDelayMs: 30, failBucket: (name) => name.startsWith("broken") });
  k8s = provisioner();
});

afterEach(async () => {
  await fake.close();
});

const writes = () => fake.requests.filter((r) => r.method !== "GET");

describe("plan", () => {
  it("dry-runs against an empty cluster, stores nothing and lists every object as create", async () => {
    const objects = k8s.desiredObjects(infra);
    const plan = await k8s.plan(objects);
    expect(plan.map((p) => [p.object.kind, p.object.metadata.name, p.action])).toEqual([
      ["Namespace", "dp-sales-orders", "create"],
      ["ResourceQuota", "canopy-quota", "create"],
      ["RoleBinding", "canopy-owners", "create"],
      ["NetworkPolicy", "canopy-default", "create"],
      ["ObjectBucketClaim", "raw", "create"],
      ["ObjectBucketClaim", "curated", "create"],
    ]);
    expect(fake.store.all()).toEqual([]);
    // Every write was a dry run.
    expect(writes().length).toBeGreaterThan(0);
    for (const w of writes()) expect(w.query.dryRun).toBe("All");
  });

  it("reports unchanged after apply, and update when something differs", async () => {
    const objects = k8s.desiredObjects(infra);
    await k8s.apply(objects);
    await k8s.waitForBucket("dp-sales-orders", "raw");
    await k8s.waitForBucket("dp-sales-orders", "curated");
    const before = fake.store.all().map((o) => [o.kind, o.metadata.name, o.metadata.resourceVersion]);

    const plan = await k8s.plan(objects);
    expect(plan.map((p) => `${p.object.kind}/${p.object.metadata.name} ${p.action}`)).toEqual(objects.map((o) => `${o.kind}/${o.metadata.name} unchanged`));

    const bigger = k8s.desiredObjects({ ...infra, quota: { ...infra.quota, cpu: "8" } });
    const plan2 = await k8s.plan(bigger);
    expect(plan2.filter((p) => p.action === "update").map((p) => p.object.kind)).toEqual(["ResourceQuota"]);
    // Dry runs changed nothing.
    expect(fake.store.all().map((o) => [o.kind, o.metadata.name, o.metadata.resourceVersion])).toEqual(before);
    expect(fake.store.get("resourcequotas", "dp-sales-orders", "canopy-quota")?.spec).toMatchObject({ hard: { "requests.cpu": "4" } });
  });

  it("surfaces validation errors from the server's dry run", async () => {
    await k8s.apply(k8s.desiredObjects(infra));
    const bad = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "Not_Valid", namespace: "dp-sales-orders" }, data: { a: "b" } };
    const err = await k8s.plan([bad]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err).toMatchObject({ status: 422, reason: "Invalid", transient: false });
  });
});

describe("apply", () => {
  it("creates every object by server-side apply with field manager canopy", async () => {
    const results = await k8s.apply(k8s.desiredObjects(infra));
    expect(results.map((r) => r.action)).toEqual(["created", "created", "created", "created", "created", "created"]);
    for (const r of results) {
      expect(r.uid).toMatch(/[0-9a-f-]{36}/);
      expect(r.resourceVersion).toMatch(/^\d+$/);
    }
    const patches = fake.requests.filter((r) => r.method === "PATCH");
    expect(patches).toHaveLength(6);
    for (const p of patches) {
      expect(p.contentType).toBe("application/apply-patch+yaml");
      expect(p.query).toMatchObject({ fieldManager: "canopy", force: "true" });
      expect(p.query.dryRun).toBeUndefined();
    }
    // No other kind of write.
    expect(writes().every((w) => w.method === "PATCH")).toBe(true);

    const ns = fake.store.get("namespaces", undefined, "dp-sales-orders");
    expect(ns?.metadata.labels).toMatchObject({
      "app.kubernetes.io/managed-by": "canopy",
      "canopy.io/product": "sales-orders",
      "canopy.io/domain": "sales",
      "canopy.io/version": "1.2.0",
    });
    expect(ns?.status).toEqual({ phase: "Active" });
    const rb = fake.store.get("rolebindings", "dp-sales-orders", "canopy-owners");
    expect(rb?.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" });
    expect(rb?.subjects).toEqual([
      { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "sales-data" },
      { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "alice@example.com" },
    ]);
    // NetworkPolicy `from` survives the client's model classes (which call it `_from`).
    const np = fake.store.get("networkpolicies", "dp-sales-orders", "canopy-default");
    expect(np?.spec).toMatchObject({ ingress: [{ from: [{ namespaceSelector: { matchLabels: { "app.kubernetes.io/managed-by": "canopy" } } }, { podSelector: {} }] }] });
    const obc = fake.store.get("objectbucketclaims", "dp-sales-orders", "raw");
    expect(obc?.spec).toMatchObject({ generateBucketName: "sales-orders-raw", storageClassName: "rook-ceph-bucket", additionalConfig: { maxSize: "2G", maxObjects: "1000" } });
    expect((obc?.metadata.managedFields as { manager: string }[]).map((m) => m.manager)).toContain("canopy");
  });

  it("is idempotent: a second apply is unchanged and creates nothing twice", async () => {
    const objects = k8s.desiredObjects(infra);
    await k8s.apply(objects);
    await k8s.waitForBucket("dp-sales-orders", "raw");
    await k8s.waitForBucket("dp-sales-orders", "curated");
    const snapshot = fake.store.all().map((o) => [o.kind, o.metadata.namespace, o.metadata.name, o.metadata.resourceVersion]);

    const again = await k8s.apply(objects);
    expect(again.map((r) => r.action)).toEqual(Array(6).fill("unchanged"));
    // Same objects, same resource versions: nothing was written.
    expect(fake.store.all().map((o) => [o.kind, o.metadata.namespace, o.metadata.name, o.metadata.resourceVersion])).toEqual(snapshot);
  });

  it("reports updated when the desired state changed", async () => {
    await k8s.apply(k8s.desiredObjects(infra));
    const results = await k8s.apply(k8s.desiredObjects({ ...infra, ownerUsers: ["alice@example.com", "bob@example.com"] }));
    expect(results.map((r) => [r.object.kind, r.action])).toEqual([
      ["Namespace", "unchanged"],
      ["ResourceQuota", "unchanged"],
      ["RoleBinding", "updated"],
      ["NetworkPolicy", "unchanged"],
      ["ObjectBucketClaim", "unchanged"],
      ["ObjectBucketClaim", "unchanged"],
    ]);
    expect(fake.store.get("rolebindings", "dp-sales-orders", "canopy-owners")?.subjects).toHaveLength(3);
  });

  it("recovers after a crash half-way: re-running creates the rest and each object exists once", async () => {
    const objects = k8s.desiredObjects(infra);
    // The connection drops on the NetworkPolicy for longer than the retries last.
    fake.faults.add({ method: "PATCH", path: "/networkpolicies/", kind: "reset", times: 10 });
    const err = await k8s.apply(objects).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err).toMatchObject({ transient: true, reason: "NetworkError" });
    expect((err as Error).message).toContain("NetworkPolicy dp-sales-orders/canopy-default");
    expect(fake.store.all().map((o) => o.kind)).toEqual(["Namespace", "ResourceQuota", "RoleBinding"]);

    fake.faults.clear();
    const results = await k8s.apply(objects);
    expect(results.map((r) => r.action)).toEqual(["unchanged", "unchanged", "unchanged", "created", "created", "created"]);
    const keys = fake.store.all().filter((o) => o.kind !== "ConfigMap" && o.kind !== "Secret").map((o) => `${o.kind}/${o.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(6);
  });

  it("takes over fields another manager set (force=true)", async () => {
    const [ns, quota] = k8s.desiredObjects(infra);
    await k8s.apply([ns!]);
    fake.store.put({ ...quota!, spec: { hard: { "requests.cpu": "1" } } }, "kubectl");
    const [res] = await k8s.apply([quota!]);
    expect(res?.action).toBe("updated");
    expect(fake.store.get("resourcequotas", "dp-sales-orders", "canopy-quota")?.spec).toMatchObject({ hard: { "requests.cpu": "4" } });
  });
});

describe("transient failures are retried", () => {
  it("retries a 409 Conflict once and succeeds", async () => {
    fake.faults.add({ method: "PATCH", path: "/resourcequotas/canopy-quota", kind: "conflict", times: 1 });
    const retries: number[] = [];
    k8s = provisioner({ retry: { ...fastRetry, onRetry: (_e, attempt) => retries.push(attempt) } });
    const results = await k8s.apply(k8s.desiredObjects(infra));
    expect(results.every((r) => r.action === "created")).toBe(true);
    expect(fake.faults.hits("/resourcequotas/canopy-quota")).toBe(1);
    expect(retries).toEqual([1]);
    expect(fake.requests.filter((r) => r.method === "PATCH" && r.path.endsWith("/resourcequotas/canopy-quota"))).toHaveLength(2);
  });

  it("retries 503 twice and succeeds", async () => {
    fake.faults.add({ method: "PATCH", path: "/rolebindings/canopy-owners", kind: "status", status: 503, times: 2 });
    const results = await k8s.apply(k8s.desiredObjects(infra));
    expect(results.find((r) => r.object.kind === "RoleBinding")?.action).toBe("created");
    expect(fake.faults.hits("/rolebindings/canopy-owners")).toBe(2);
  });

  it("retries a connection reset", async () => {
    fake.faults.add({ path: "/api/v1/namespaces/dp-sales-orders", kind: "reset", times: 1 });
    const results = await k8s.apply(k8s.desiredObjects(infra));
    expect(results).toHaveLength(6);
    expect(fake.faults.hits("/api/v1/namespaces/dp-sales-orders")).toBe(1);
  });

  it("gives up after the configured attempts with a transient error", async () => {
    fake.faults.add({ path: "/api/v1/namespaces/dp-sales-orders", kind: "status", status: 503, times: -1 });
    k8s = provisioner({ retry: { ...fastRetry, attempts: 3 } });
    const err = await k8s.apply(k8s.desiredObjects(infra)).catch((e: unknown) => e);
    expect(err).toMatchObject({ system: "kubernetes", status: 503, transient: true });
    expect(fake.faults.hits("/api/v1/namespaces/dp-sales-orders")).toBe(3);
  });

  it("times out a call that hangs, as a transient error", async () => {
    fake.faults.add({ path: "/api/v1/namespaces/dp-sales-orders", kind: "latency", ms: 400, times: -1 });
    k8s = provisioner({ timeoutMs: 100, retry: { ...fastRetry, attempts: 2 } });
    const err = await k8s.apply(k8s.desiredObjects(infra).slice(0, 1)).catch((e: unknown) => e);
    expect(err).toMatchObject({ transient: true, reason: "Timeout" });
  });
});

describe("permanent failures carry Kubernetes' message and reason", () => {
  it("403 Forbidden is not retried", async () => {
    const message =
      'rolebindings.rbac.authorization.k8s.io "canopy-owners" is forbidden: User "system:serviceaccount:canopy:portal" cannot patch resource "rolebindings" in API group "rbac.authorization.k8s.io" in the namespace "dp-sales-orders"';
    fake.faults.add({
      method: "PATCH",
      path: "/rolebindings/canopy-owners",
      kind: "status",
      status: 403,
      times: -1,
      body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason: "Forbidden", details: { name: "canopy-owners", group: "rbac.authorization.k8s.io", kind: "rolebindings" }, code: 403 },
    });
    const err = await k8s.apply(k8s.desiredObjects(infra)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err).toMatchObject({ system: "kubernetes", status: 403, reason: "Forbidden", transient: false });
    expect((err as Error).message).toContain(message);
    expect(fake.faults.hits("/rolebindings/canopy-owners")).toBe(1);
  });

  it("422 Invalid from the server's own validation", async () => {
    await k8s.apply(k8s.desiredObjects(infra).slice(0, 1));
    const bad = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "x", namespace: "dp-sales-orders" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Thing", name: "edit" }, subjects: [] };
    const err = await k8s.apply([bad]).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 422, reason: "Invalid", transient: false });
    expect((err as Error).message).toContain('RoleBinding.rbac.authorization.k8s.io "x" is invalid: roleRef.kind');
    expect(fake.requests.filter((r) => r.method === "PATCH" && r.path.endsWith("/rolebindings/x"))).toHaveLength(1);
  });

  it("401 without a body becomes a clear Unauthorized error", async () => {
    k8s = createKubernetesProvisioner({ kubeConfig: fake.kubeConfig({ token: "wrong" }), retry: fastRetry });
    const err = await k8s.apply(k8s.desiredObjects(infra)).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 401, reason: "Unauthorized", transient: false });
    expect((err as Error).message).toMatch(/rejected the credentials/);
    const health = await k8s.health();
    expect(health).toMatchObject({ system: "kubernetes", mode: "connected", healthy: false });
    expect(health.error).toMatch(/401/);
  });
});

describe("buckets", () => {
  it("waits for the claim to bind and reads the ConfigMap, never the Secret", async () => {
    await k8s.apply(k8s.desiredObjects(infra));
    const info = await k8s.waitForBucket("dp-sales-orders", "raw", { timeoutMs: 5_000 });
    expect(info).toMatchObject({ claim: "raw", namespace: "dp-sales-orders", phase: "Bound", region: "us-east-1", endpoint: "https://rook-ceph-rgw-my-store.rook-ceph.svc:443" });
    expect(info.bucketName).toMatch(/^sales-orders-raw-/);
    expect(info.bucketName).toBe(fake.store.get("configmaps", "dp-sales-orders", "raw")?.data && (fake.store.get("configmaps", "dp-sales-orders", "raw")!.data as Record<string, string>).BUCKET_NAME);
    // The Secret exists but was never requested.
    expect(fake.store.get("secrets", "dp-sales-orders", "raw")).toBeDefined();
    expect(fake.requests.some((r) => r.path.includes("/secrets"))).toBe(false);
    expect(fake.requests.some((r) => r.path === "/api/v1/namespaces/dp-sales-orders/configmaps/raw")).toBe(true);
  });

  it("uses http for port 80", async () => {
    await fake.close();
    fake = await startFakeKubernetes({ bindDelayMs: 5, bucketHost: "s3.local", bucketPort: "80" });
    k8s = provisioner();
    await k8s.apply(k8s.desiredObjects(infra));
    expect((await k8s.waitForBucket("dp-sales-orders", "curated")).endpoint).toBe("http://s3.local:80");
  });

  it("reports a failed claim clearly", async () => {
    await k8s.apply(k8s.desiredObjects({ ...infra, buckets: [{ port: "broken", generateName: "x" }] }));
    const err = await k8s.waitForBucket("dp-sales-orders", "broken").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err).toMatchObject({ reason: "BucketFailed", transient: false });
    expect((err as Error).message).toContain("ObjectBucketClaim dp-sales-orders/broken failed");
  });

  it("times out as a transient error when the claim stays pending", async () => {
    await fake.close();
    fake = await startFakeKubernetes({ bindDelayMs: 60_000 });
    k8s = provisioner();
    await k8s.apply(k8s.desiredObjects(infra));
    const err = await k8s.waitForBucket("dp-sales-orders", "raw", { timeoutMs: 150 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: "Timeout", transient: true });
    expect((err as Error).message).toContain("phase: Pending");
  });

  it("can be cancelled", async () => {
    await fake.close();
    fake = await startFakeKubernetes({ bindDelayMs: 60_000 });
    k8s = provisioner();
    await k8s.apply(k8s.desiredObjects(infra));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const err = await k8s.waitForBucket("dp-sales-orders", "raw", { timeoutMs: 5_000, signal: controller.signal }).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: "Aborted" });
  });
});

describe("bucket read grants", () => {
  it("grants with a Role on the claim's Secret and ConfigMap and a labelled RoleBinding, and revokes by label", async () => {
    await k8s.apply(k8s.desiredObjects(infra));
    const res = await k8s.grantBucketRead({ namespace: "dp-sales-orders", claim: "raw", subject: { kind: "Group", name: "analysts" }, grantId: "clx1grant0001" });
    expect(res).toMatchObject({ action: "created", object: { kind: "RoleBinding", metadata: { name: "canopy-grant-clx1grant0001" } } });
    const role = fake.store.get("roles", "dp-sales-orders", "canopy-read-raw");
    expect(role?.rules).toEqual([
      { apiGroups: [""], resources: ["secrets"], resourceNames: ["raw"], verbs: ["get"] },
      { apiGroups: [""], resources: ["configmaps"], resourceNames: ["raw"], verbs: ["get"] },
    ]);
    const rb = fake.store.get("rolebindings", "dp-sales-orders", "canopy-grant-clx1grant0001");
    expect(rb?.metadata.labels).toMatchObject({ "canopy.io/grant": "clx1grant0001" });
    expect(rb?.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "canopy-read-raw" });

    // Granting again is a no-op.
    expect((await k8s.grantBucketRead({ namespace: "dp-sales-orders", claim: "raw", subject: { kind: "Group", name: "analysts" }, grantId: "clx1grant0001" })).action).toBe("unchanged");
    await k8s.grantBucketRead({ namespace: "dp-sales-orders", claim: "raw", subject: { kind: "User", name: "bob" }, grantId: "clx1grant0002" });

    await k8s.revokeBucketRead({ namespace: "dp-sales-orders", grantId: "clx1grant0001" });
    expect(fake.store.get("rolebindings", "dp-sales-orders", "canopy-grant-clx1grant0001")).toBeUndefined();
    expect(fake.store.get("rolebindings", "dp-sales-orders", "canopy-grant-clx1grant0002")).toBeDefined();
    expect(fake.store.get("rolebindings", "dp-sales-orders", "canopy-owners")).toBeDefined();
    const list = fake.requests.find((r) => r.method === "GET" && r.path.endsWith("/rolebindings"));
    expect(list?.query.labelSelector).toBe("canopy.io/grant=clx1grant0001");

    // Revoking what is gone (or a namespace that is gone) is fine.
    await k8s.revokeBucketRead({ namespace: "dp-sales-orders", grantId: "clx1grant0001" });
    await k8s.revokeBucketRead({ namespace: "dp-nothing", grantId: "clx1grant0001" });
  });
});

describe("read and health", () => {
  it("reads back live objects as plain JSON; missing ones are absent", async () => {
    const objects = k8s.desiredObjects(infra);
    expect(await k8s.read(objects)).toEqual([]);
    await k8s.apply(objects.slice(0, 4));
    const live = await k8s.read(objects);
    expect(live.map((o) => o.kind)).toEqual(["Namespace", "ResourceQuota", "RoleBinding", "NetworkPolicy"]);
    const np = live[3]!;
    expect(np.spec).toMatchObject({ ingress: [{ from: expect.any(Array) }] });
    expect(typeof (np.metadata as Record<string, unknown>).creationTimestamp).toBe("string");
    expect((np.metadata as Record<string, unknown>).managedFields).toBeUndefined();
  });

  it("health asks /version", async () => {
    const h = await k8s.health();
    expect(h).toMatchObject({ system: "kubernetes", mode: "connected", healthy: true, details: { version: "v1.31.0-canopy-fake" } });
    expect(h.details?.server).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(fake.requests.at(-1)?.path).toBe("/version");
  });
});

describe("error translation", () => {
  it("parses the Status JSON in ApiException.body", () => {
    const body = JSON.stringify({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'fybrikapplications.app.fybrik.io "app1" already exists',
      reason: "AlreadyExists",
      details: { name: "app1", group: "app.fybrik.io", kind: "fybrikapplications" },
      code: 409,
    });
    expect(parseKubeStatus(body)).toMatchObject({ reason: "AlreadyExists", code: 409 });
    const err = toIntegrationError("fybrik", new ApiException(409, "Conflict", body, {}), "apply app1");
    expect(err).toMatchObject({ system: "fybrik", status: 409, reason: "AlreadyExists", transient: false });
    expect(err.message).toBe('apply app1: fybrikapplications.app.fybrik.io "app1" already exists');
  });

  it("treats Conflict, 429 and 5xx as transient, other 4xx as permanent", () => {
    const conflict = JSON.stringify({ kind: "Status", reason: "Conflict", message: "the object has been modified", code: 409 });
    expect(toIntegrationError("kubernetes", new ApiException(409, "", conflict, {}), "x").transient).toBe(true);
    expect(toIntegrationError("kubernetes", new ApiException(429, "", "", {}), "x")).toMatchObject({ transient: true, reason: "TooManyRequests" });
    expect(toIntegrationError("kubernetes", new ApiException(500, "", "oops", {}), "x")).toMatchObject({ transient: true, message: "x: HTTP 500: oops" });
    expect(toIntegrationError("kubernetes", new ApiException(404, "", "404 page not found", {}), "x")).toMatchObject({ transient: false, reason: "NotFound" });
    expect(toIntegrationError("kubernetes", new ApiException(401, "Unauthorized", undefined, {}), "x")).toMatchObject({ transient: false, reason: "Unauthorized", status: 401 });
  });

  it("classifies non-HTTP failures", () => {
    const reset = Object.assign(new Error("request to http://x failed, reason: socket hang up"), { code: "ECONNRESET" });
    expect(toIntegrationError("kubernetes", reset, "x")).toMatchObject({ transient: true, reason: "NetworkError" });
    expect(toIntegrationError("kubernetes", new Error("Cannot parse content. No Content-Type defined."), "x")).toMatchObject({ transient: false, reason: "UnexpectedResponse" });
  });
});

describe("kubeConfigFrom", () => {
  it("loads a kubeconfig file", async () => {
    const { writeFile, mkdtemp } = await import("node:fs/promises");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = await mkdtemp(join(tmpdir(), "kc-"));
    const file = join(dir, "config");
    await writeFile(file, fake.kubeConfig().exportConfig());
    const kc = kubeConfigFrom({ mode: "kubeconfig", path: file });
    expect(kc.getCurrentCluster()?.server).toBe(fake.url);
    const h = await createKubernetesProvisioner({ kubeConfig: kc }).health();
    expect(h.healthy).toBe(true);
  });

  it("explains a missing file", () => {
    expect(() => kubeConfigFrom({ mode: "kubeconfig", path: "/nonexistent/kubeconfig" })).toThrow(/Could not load kubeconfig \/nonexistent\/kubeconfig/);
  });
});
