import { describe, expect, it } from "vitest";
import { UserError } from "@/lib/errors";
import { bucketReadRoleBinding, desiredObjects, grantBindingName } from "@/lib/integrations/kubernetes/objects";
import type { ProductInfra } from "@/lib/integrations/kubernetes/types";

const opts = { namespacePrefix: "dp-", obcStorageClass: "ocs-storagecluster-ceph-rgw" };
const infra: ProductInfra = {
  product: { slug: "sales-orders", domain: "sales", version: "2.0.1" },
  ownerGroups: ["sales-data", "sales-data", "a-team"],
  ownerUsers: ["alice"],
  quota: { cpu: "500m", memory: "16Gi", storage: "100Gi", buckets: 3 },
  buckets: [{ port: "raw", generateName: "sales-raw", maxSize: "2G" }],
};

function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error("expected a UserError");
}

describe("desiredObjects", () => {
  it("builds namespace, quota, owners binding, network policy and one claim per bucket port", () => {
    const objects = desiredObjects(infra, opts);
    expect(objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? "-"}/${o.metadata.name}`)).toEqual([
      "v1 Namespace -/dp-sales-orders",
      "v1 ResourceQuota dp-sales-orders/canopy-quota",
      "rbac.authorization.k8s.io/v1 RoleBinding dp-sales-orders/canopy-owners",
      "networking.k8s.io/v1 NetworkPolicy dp-sales-orders/canopy-default",
      "objectbucket.io/v1alpha1 ObjectBucketClaim dp-sales-orders/raw",
    ]);
    const [ns, quota, owners, netpol, obc] = objects;
    expect(ns!.metadata.labels).toEqual({
      "app.kubernetes.io/managed-by": "canopy",
      "canopy.io/product": "sales-orders",
      "canopy.io/domain": "sales",
      "canopy.io/version": "2.0.1",
    });
    expect(quota!.spec).toEqual({
      hard: { "requests.cpu": "500m", "limits.memory": "16Gi", "requests.storage": "100Gi", "count/objectbucketclaims.objectbucket.io": "3" },
    });
    expect(owners!.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" });
    // De-duplicated and sorted, so the object is stable between runs.
    expect(owners!.subjects).toEqual([
      { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "a-team" },
      { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "sales-data" },
      { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "alice" },
    ]);
    expect(netpol!.spec).toEqual({
      podSelector: {},
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { "app.kubernetes.io/managed-by": "canopy" } } }, { podSelector: {} }] }],
    });
    expect(obc!.spec).toEqual({ generateBucketName: "sales-raw", storageClassName: "ocs-storagecluster-ceph-rgw", additionalConfig: { maxSize: "2G" } });
    expect(obc!.metadata.labels).toMatchObject({ "canopy.io/port": "raw", "canopy.io/product": "sales-orders" });
  });

  it("omits additionalConfig when no limits are set", () => {
    const [, , , , obc] = desiredObjects({ ...infra, buckets: [{ port: "raw", generateName: "sales-raw" }] }, opts);
    expect(obc!.spec).not.toHaveProperty("additionalConfig");
  });

  it("rejects names Kubernetes would refuse, with a message naming the value", () => {
    expect(userError(() => desiredObjects({ ...infra, product: { ...infra.product, slug: "Sales_Orders" } }, opts)).message).toMatch(/"Sales_Orders"/);
    const long = "x".repeat(62);
    expect(userError(() => desiredObjects({ ...infra, product: { ...infra.product, slug: long } }, opts)).message).toMatch(/at most 63 characters/);
    expect(userError(() => desiredObjects({ ...infra, buckets: [{ port: "Raw Data", generateName: "x" }] }, opts)).message).toMatch(/Bucket port name "Raw Data"/);
    expect(userError(() => desiredObjects({ ...infra, buckets: [{ port: "raw", generateName: "-x" }] }, opts)).message).toMatch(/Bucket name prefix/);
    expect(userError(() => desiredObjects({ ...infra, product: { ...infra.product, version: "1.0+build 7" } }, opts)).message).toMatch(/Product version/);
  });

  it("rejects bad quantities, duplicate ports and more buckets than the quota allows", () => {
    expect(userError(() => desiredObjects({ ...infra, quota: { ...infra.quota, memory: "16 GB" } }, opts)).message).toMatch(/Memory quota "16 GB"/);
    expect(userError(() => desiredObjects({ ...infra, buckets: [infra.buckets[0]!, infra.buckets[0]!] }, opts)).message).toMatch(/declared twice/);
    expect(userError(() => desiredObjects({ ...infra, quota: { ...infra.quota, buckets: 0 } }, opts)).message).toMatch(/quota allows 0/);
    expect(userError(() => desiredObjects({ ...infra, buckets: [{ port: "raw", generateName: "x", maxObjects: "many" }] }, opts)).message).toMatch(/whole number/);
    expect(userError(() => desiredObjects({ ...infra, ownerGroups: [" "] }, opts)).message).toMatch(/Owner group/);
  });
});

describe("bucketReadRoleBinding", () => {
  it("builds a Role limited to the claim's Secret and ConfigMap and a RoleBinding labelled with the grant", () => {
    const { role, roleBinding } = bucketReadRoleBinding({ namespace: "dp-sales-orders", claim: "raw", subject: { kind: "User", name: "bob@example.com" }, grantId: "clx9abc" });
    expect(role).toMatchObject({ kind: "Role", metadata: { name: "canopy-read-raw", namespace: "dp-sales-orders" } });
    expect(role.rules).toEqual([
      { apiGroups: [""], resources: ["secrets"], resourceNames: ["raw"], verbs: ["get"] },
      { apiGroups: [""], resources: ["configmaps"], resourceNames: ["raw"], verbs: ["get"] },
    ]);
    expect(roleBinding).toMatchObject({
      kind: "RoleBinding",
      metadata: { name: "canopy-grant-clx9abc", namespace: "dp-sales-orders", labels: { "canopy.io/grant": "clx9abc" } },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "canopy-read-raw" },
      subjects: [{ kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "bob@example.com" }],
    });
  });

  it("shortens grant ids that are not DNS labels, keeping distinct ids distinct", () => {
    const a = grantBindingName("Grant_ABC_0001");
    const b = grantBindingName("Grant_ABC_0002");
    expect(a).toMatch(/^canopy-grant-grant-abc-0001-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(grantBindingName("x".repeat(60)).length).toBeLessThanOrEqual(63);
  });

  it("rejects grant ids that cannot be label values", () => {
    expect(() => bucketReadRoleBinding({ namespace: "dp-a", claim: "raw", subject: { kind: "Group", name: "g" }, grantId: "a/b" })).toThrow(UserError);
    expect(() => bucketReadRoleBinding({ namespace: "dp-a", claim: "raw", subject: { kind: "Group", name: "g" }, grantId: "" })).toThrow(/grant id is required/);
  });
});
