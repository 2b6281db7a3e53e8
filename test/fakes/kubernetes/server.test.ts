import { ApiException, CoreV1Api, CustomObjectsApi, PatchStrategy, RbacAuthorizationV1Api, setHeaderOptions, Watch } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeKubernetes, type FakeKubernetes } from "@/test/fakes/kubernetes/server";

// Custom objects come back untyped; enough shape for the assertions below.
type Obj = { metadata: { generation?: number; labels?: Record<string, string> }; spec: { appInfo: { intent: string } }; status?: unknown };

let fake: FakeKubernetes;
let core: CoreV1Api;
let custom: CustomObjectsApi;

beforeEach(async () => {
  fake = await startFakeKubernetes({ bindDelayMs: 20 });
  core = fake.kubeConfig().makeApiClient(CoreV1Api);
  custom = fake.kubeConfig().makeApiClient(CustomObjectsApi);
});

afterEach(async () => {
  await fake.close();
});

async function raw(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${fake.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${fake.token}`, ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get("content-type"), text, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

const statusOf = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiException);
  const e = err as ApiException<string>;
  return { code: e.code, status: e.body === undefined ? undefined : (JSON.parse(e.body) as Record<string, unknown>) };
};

describe("fake Kubernetes API server", () => {
  it("creates with server-filled metadata, reads, lists with label selectors, and deletes", async () => {
    const ns = await core.createNamespace({ body: { metadata: { name: "team-a", labels: { tier: "gold" } } } });
    expect(ns.metadata?.uid).toBeTruthy();
    expect(ns.metadata?.resourceVersion).toMatch(/^\d+$/);
    expect(ns.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(ns.status?.phase).toBe("Active");
    await core.createNamespace({ body: { metadata: { name: "team-b" } } });

    const listed = await core.listNamespace({ labelSelector: "tier=gold" });
    expect(listed.items.map((n) => n.metadata?.name)).toEqual(["team-a"]);
    const r = await raw("GET", "/api/v1/namespaces");
    expect(r.contentType).toBe("application/json");
    expect(r.json).toMatchObject({ apiVersion: "v1", kind: "NamespaceList", metadata: { resourceVersion: expect.any(String) } });

    const cm = await core.createNamespacedConfigMap({ namespace: "team-a", body: { metadata: { name: "settings" }, data: { a: "1" } } });
    expect(cm.metadata?.namespace).toBe("team-a");
    const dup = await statusOf(core.createNamespacedConfigMap({ namespace: "team-a", body: { metadata: { name: "settings" } } }));
    expect(dup).toMatchObject({ code: 409, status: { kind: "Status", reason: "AlreadyExists", message: 'configmaps "settings" already exists' } });

    const del = await raw("DELETE", "/api/v1/namespaces/team-a/configmaps/settings");
    expect(del).toMatchObject({ status: 200, contentType: "application/json", json: { kind: "Status", status: "Success" } });
    const missing = await statusOf(core.readNamespacedConfigMap({ name: "settings", namespace: "team-a" }));
    expect(missing).toMatchObject({ code: 404, status: { reason: "NotFound", message: 'configmaps "settings" not found', code: 404 } });
    const missingNs = await statusOf(core.createNamespacedConfigMap({ namespace: "nope", body: { metadata: { name: "x" } } }));
    expect(missingNs).toMatchObject({ code: 404, status: { message: 'namespaces "nope" not found' } });
  });

  it("answers 401 without a body for a wrong token", async () => {
    const bad = fake.kubeConfig({ token: "wrong" }).makeApiClient(CoreV1Api);
    const err = await bad.listNamespace().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiException);
    expect((err as ApiException<unknown>).code).toBe(401);
    expect((err as ApiException<unknown>).body).toBeUndefined();
    const r = await raw("GET", "/api/v1/namespaces", undefined, { authorization: "Bearer wrong" });
    expect(r).toMatchObject({ status: 401, text: "" });
  });

  it("rejects a PUT with a stale resourceVersion with 409 Conflict", async () => {
    await core.createNamespace({ body: { metadata: { name: "team-a" } } });
    const cm = await core.createNamespacedConfigMap({ namespace: "team-a", body: { metadata: { name: "c" }, data: { a: "1" } } });
    const fresh = await core.replaceNamespacedConfigMap({ name: "c", namespace: "team-a", body: { ...cm, data: { a: "2" } } });
    expect(Number(fresh.metadata?.resourceVersion)).toBeGreaterThan(Number(cm.metadata?.resourceVersion));
    const stale = await statusOf(core.replaceNamespacedConfigMap({ name: "c", namespace: "team-a", body: { ...cm, data: { a: "3" } } }));
    expect(stale).toMatchObject({
      code: 409,
      status: { reason: "Conflict", message: 'Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your changes to the latest version and try again' },
    });
  });

  it("server-side apply: needs a field manager, creates, detects conflicts between managers, force takes over", async () => {
    await core.createNamespace({ body: { metadata: { name: "team-a" } } });
    const body = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "team-a" }, data: { a: "1" } };
    const apply = (manager: string | undefined, data: Record<string, string>, force?: boolean) =>
      core.patchNamespacedConfigMap({ name: "c", namespace: "team-a", body: { ...body, data }, fieldManager: manager, force }, setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply));

    expect(await statusOf(apply(undefined, { a: "1" }))).toMatchObject({ code: 422, status: { message: expect.stringContaining("fieldManager: Required value") } });
    const created = await apply("canopy", { a: "1" });
    expect(created.data).toEqual({ a: "1" });
    const same = await apply("canopy", { a: "1" });
    expect(same.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);

    const conflict = await statusOf(apply("kubectl", { a: "2" }));
    expect(conflict).toMatchObject({ code: 409, status: { reason: "Conflict", message: expect.stringContaining('conflict with "canopy": .data.a') } });
    const forced = await apply("kubectl", { a: "2" }, true);
    expect(forced.data).toEqual({ a: "2" });
    expect(forced.metadata?.managedFields?.map((m) => m.manager)).toContain("kubectl");

    // A manager's fields that it stops applying are removed.
    await apply("kubectl", { a: "2", b: "x" }, true);
    const dropped = await apply("kubectl", { a: "2" });
    expect(dropped.data).toEqual({ a: "2" });
  });

  it("keeps a RoleBinding's roleRef immutable, as the real API does", async () => {
    await core.createNamespace({ body: { metadata: { name: "team-a" } } });
    const rbac = fake.kubeConfig().makeApiClient(RbacAuthorizationV1Api);
    const body = { metadata: { name: "rb" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" }, subjects: [] };
    await rbac.createNamespacedRoleBinding({ namespace: "team-a", body });
    const changed = await statusOf(
      rbac.patchNamespacedRoleBinding({ name: "rb", namespace: "team-a", body: { roleRef: { ...body.roleRef, name: "edit" } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch)),
    );
    expect(changed).toMatchObject({ code: 422, status: { reason: "Invalid", message: expect.stringContaining("cannot change roleRef") } });
  });

  it("dryRun=All validates and returns without storing", async () => {
    const ns = await core.patchNamespace(
      { name: "ghost", body: { apiVersion: "v1", kind: "Namespace", metadata: { name: "ghost" } }, fieldManager: "canopy", dryRun: "All" },
      setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply),
    );
    expect(ns.metadata?.name).toBe("ghost");
    expect(fake.store.get("namespaces", undefined, "ghost")).toBeUndefined();
    const invalid = await statusOf(core.createNamespace({ body: { metadata: { name: "Bad_Name" } }, dryRun: "All" }));
    expect(invalid).toMatchObject({ code: 422, status: { reason: "Invalid", message: expect.stringContaining('Namespace "Bad_Name" is invalid: metadata.name') } });
  });

  it("merge-patches, refuses strategic merge on custom resources (415), and keeps .status out of main writes", async () => {
    await core.createNamespace({ body: { metadata: { name: "team-a" } } });
    const app = { apiVersion: "app.fybrik.io/v1beta1", kind: "FybrikApplication", metadata: { name: "app1" }, spec: { data: [{ dataSetID: "x" }] }, status: { ready: true } };
    const created = (await custom.createNamespacedCustomObject({ group: "app.fybrik.io", version: "v1beta1", namespace: "team-a", plural: "fybrikapplications", body: app })) as Obj;
    expect(created.status).toBeUndefined();
    expect(created.metadata.generation).toBe(1);

    const ref = { group: "app.fybrik.io", version: "v1beta1", namespace: "team-a", plural: "fybrikapplications", name: "app1" };
    const merged = (await custom.patchNamespacedCustomObject({ ...ref, body: { metadata: { labels: { x: "y" } } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch))) as Obj;
    expect(merged.metadata.labels).toEqual({ x: "y" });
    expect(merged.metadata.generation).toBe(1);
    const specChange = (await custom.patchNamespacedCustomObject({ ...ref, body: { spec: { appInfo: { intent: "x" } } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch))) as Obj;
    expect(specChange.metadata.generation).toBe(2);

    const smp = await statusOf(custom.patchNamespacedCustomObject({ ...ref, body: { spec: {} } }, setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch)));
    expect(smp).toMatchObject({ code: 415, status: { reason: "UnsupportedMediaType" } });

    const withStatus = (await custom.patchNamespacedCustomObjectStatus({ ...ref, body: { status: { ready: true }, spec: { appInfo: { intent: "ignored" } } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch))) as Obj;
    expect(withStatus.status).toEqual({ ready: true });
    expect(withStatus.spec.appInfo.intent).toBe("x");
    // The client's default JSON patch works too.
    const jp = (await custom.patchNamespacedCustomObject({ ...ref, body: [{ op: "replace", path: "/spec/appInfo/intent", value: "y" }] })) as Obj;
    expect(jp.spec.appInfo.intent).toBe("y");
    expect(jp.status).toEqual({ ready: true });
  });

  it("simulates the bucket provisioner: Pending, then Bound with a ConfigMap and a Secret", async () => {
    await core.createNamespace({ body: { metadata: { name: "team-a" } } });
    const obc = { apiVersion: "objectbucket.io/v1alpha1", kind: "ObjectBucketClaim", metadata: { name: "raw" }, spec: { generateBucketName: "team-a-raw", storageClassName: "rook-ceph-bucket" } };
    const created = (await custom.createNamespacedCustomObject({ group: "objectbucket.io", version: "v1alpha1", namespace: "team-a", plural: "objectbucketclaims", body: obc })) as Obj;
    expect(created.status).toEqual({ phase: "Pending" });
    await new Promise((r) => setTimeout(r, 60));
    const bound = fake.store.get("objectbucketclaims", "team-a", "raw")!;
    expect(bound.status).toEqual({ phase: "Bound" });
    expect(bound.spec).toMatchObject({ objectBucketName: "obc-team-a-raw" });
    const cm = await core.readNamespacedConfigMap({ name: "raw", namespace: "team-a" });
    expect(cm.data).toMatchObject({ BUCKET_PORT: "443", BUCKET_REGION: "us-east-1", BUCKET_SUBREGION: "" });
    expect(cm.data?.BUCKET_NAME).toMatch(/^team-a-raw-/);
    const secret = fake.store.get("secrets", "team-a", "raw");
    expect(Object.keys(secret?.data as object)).toEqual(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]);
  });

  it("streams watch events for namespaces and bucket claims", async () => {
    const events: string[] = [];
    const watch = new Watch(fake.kubeConfig());
    const done: unknown[] = [];
    const nsWatch = await watch.watch("/api/v1/namespaces", {}, (type, obj: { metadata: { name: string } }) => events.push(`ns ${type} ${obj.metadata.name}`), (err) => done.push(err));
    const obcWatch = await watch.watch(
      "/apis/objectbucket.io/v1alpha1/namespaces/team-a/objectbucketclaims",
      {},
      (type, obj: { metadata: { name: string }; status?: { phase?: string } }) => events.push(`obc ${type} ${obj.metadata.name} ${obj.status?.phase}`),
      (err) => done.push(err),
    );
    await core.createNamespace({ body: { metadata: { name: "team-a" } } });
    await custom.createNamespacedCustomObject({
      group: "objectbucket.io",
      version: "v1alpha1",
      namespace: "team-a",
      plural: "objectbucketclaims",
      body: { apiVersion: "objectbucket.io/v1alpha1", kind: "ObjectBucketClaim", metadata: { name: "raw" }, spec: { generateBucketName: "r", storageClassName: "s" } },
    });
    await expect.poll(() => events, { timeout: 2_000 }).toContain("obc MODIFIED raw Bound");
    expect(events).toContain("ns ADDED team-a");
    expect(events).toContain("obc ADDED raw Pending");
    nsWatch.abort();
    obcWatch.abort();
  });

  it("injects faults per route and accepts rules over HTTP", async () => {
    const ctl = await fetch(`${fake.url}/__faults`, { method: "POST", body: JSON.stringify({ path: "/api/v1/namespaces", kind: "status", status: 503 }) });
    expect(ctl.status).toBe(200);
    const err = await statusOf(core.listNamespace());
    expect(err.code).toBe(503);
    expect((await core.listNamespace()).items).toEqual([]);

    fake.faults.add({ path: "/apis/rbac.authorization.k8s.io", kind: "conflict" });
    await core.createNamespace({ body: { metadata: { name: "team-a" } } });
    const rbac = fake.kubeConfig().makeApiClient(RbacAuthorizationV1Api);
    const conflict = await statusOf(rbac.listNamespacedRoleBinding({ namespace: "team-a" }));
    expect(conflict).toMatchObject({ code: 409, status: { kind: "Status", reason: "Conflict" } });
  });

  it("serves /version and minimal discovery", async () => {
    expect((await raw("GET", "/version")).json).toMatchObject({ major: "1", gitVersion: expect.any(String) });
    expect((await raw("GET", "/apis")).json).toMatchObject({ kind: "APIGroupList" });
    const res = await raw("GET", "/apis/objectbucket.io/v1alpha1");
    expect(res.json).toMatchObject({ kind: "APIResourceList", resources: [{ name: "objectbucketclaims", namespaced: true, kind: "ObjectBucketClaim" }, { name: "objectbucketclaims/status" }] });
    expect((await raw("GET", "/api/v1")).json).toMatchObject({ groupVersion: "v1" });
  });
});
