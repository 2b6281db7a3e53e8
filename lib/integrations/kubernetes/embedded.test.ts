import { describe, expect, it } from "vitest";
import { IntegrationError } from "@/lib/integrations/http";
import { createEmbeddedProvisioner } from "@/lib/integrations/kubernetes/embedded";
import type { ProductInfra } from "@/lib/integrations/kubernetes/types";

const infra: ProductInfra = {
  product: { slug: "orders", domain: "sales", version: "1.0.0" },
  ownerGroups: ["sales"],
  ownerUsers: [],
  quota: { cpu: "2", memory: "4Gi", storage: "10Gi", buckets: 1 },
  buckets: [{ port: "raw", generateName: "orders-raw" }],
};

describe("embedded provisioner", () => {
  const k8s = createEmbeddedProvisioner({ namespacePrefix: "mesh-", obcStorageClass: "rook-ceph-bucket" });

  it("builds the same objects and plans every one as create", async () => {
    const objects = k8s.desiredObjects(infra);
    expect(objects[0]?.metadata.name).toBe("mesh-orders");
    const plan = await k8s.plan(objects);
    expect(plan.map((p) => p.action)).toEqual(objects.map(() => "create"));
    expect(plan.map((p) => p.object)).toEqual(objects);
  });

  it("refuses to apply, wait, grant or revoke, saying it is not connected", async () => {
    const objects = k8s.desiredObjects(infra);
    const calls = [
      () => k8s.apply(objects),
      () => k8s.waitForBucket("mesh-orders", "raw"),
      () => k8s.grantBucketRead({ namespace: "mesh-orders", claim: "raw", subject: { kind: "User", name: "bob" }, grantId: "g1" }),
      () => k8s.revokeBucketRead({ namespace: "mesh-orders", grantId: "g1" }),
    ];
    for (const call of calls) {
      const err = await call().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IntegrationError);
      expect(err).toMatchObject({ system: "kubernetes", reason: "NotConnected", transient: false, message: "Kubernetes is not connected: the plan was recorded but not applied" });
    }
  });

  it("reads nothing and is healthy in embedded mode", async () => {
    expect(k8s.mode).toBe("embedded");
    expect(await k8s.read(k8s.desiredObjects(infra))).toEqual([]);
    expect(await k8s.health()).toMatchObject({ system: "kubernetes", mode: "embedded", healthy: true });
  });

  it("defaults to the dp- prefix", () => {
    expect(createEmbeddedProvisioner().desiredObjects(infra)[0]?.metadata.name).toBe("dp-orders");
  });
});
