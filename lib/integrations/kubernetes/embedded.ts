import { IntegrationError } from "@/lib/integrations/http";
import { desiredObjects } from "@/lib/integrations/kubernetes/objects";
import type { KubernetesProvisioner } from "@/lib/integrations/kubernetes/types";

/**
 * The stand-in when no cluster is configured: the same objects are built and shown as a plan
 * (everything "create"), but nothing is applied anywhere, so every write refuses with NotConnected.
 */
export function createEmbeddedProvisioner(opts: { namespacePrefix?: string; obcStorageClass?: string } = {}): KubernetesProvisioner {
  const namespacePrefix = opts.namespacePrefix ?? "dp-";
  const obcStorageClass = opts.obcStorageClass ?? "rook-ceph-bucket";
  const notConnected = () =>
    new IntegrationError("kubernetes", "Kubernetes is not connected: the plan was recorded but not applied", { reason: "NotConnected" });

  return {
    mode: "embedded",
    desiredObjects: (infra) => desiredObjects(infra, { namespacePrefix, obcStorageClass }),
    plan: async (objects) => objects.map((object) => ({ object, action: "create" as const })),
    apply: async () => {
      throw notConnected();
    },
    waitForBucket: async () => {
      throw notConnected();
    },
    read: async () => [],
    grantBucketRead: async () => {
      throw notConnected();
    },
    revokeBucketRead: async () => {
      throw notConnected();
    },
    health: async () => ({ system: "kubernetes", mode: "embedded", healthy: true, latencyMs: 0, details: { note: "provisioning is planned only; no cluster configured" } }),
  };
}
