import type { HealthStatus } from "@/lib/integrations/http";

/** A Kubernetes object as Canopy applies it (server-side apply, field manager "canopy"). */
export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
};

/** What a product needs in the cluster. Built from the catalogue; no secrets. */
export type ProductInfra = {
  product: { slug: string; domain: string; version: string };
  /** Groups/users of the owning team, bound to `edit` in the namespace. */
  ownerGroups: string[];
  ownerUsers: string[];
  quota: { cpu: string; memory: string; storage: string; buckets: number };
  buckets: { port: string; generateName: string; maxSize?: string; maxObjects?: string }[];
};

export type PlannedResource = { object: KubeObject; action: "create" | "update" | "unchanged" };

export type ApplyResult = { object: KubeObject; action: "created" | "updated" | "unchanged"; resourceVersion?: string; uid?: string };

export type BucketInfo = {
  claim: string;
  namespace: string;
  phase: string;
  /** From the claim's ConfigMap once bound; the Secret's keys are never read into the catalogue. */
  bucketName?: string;
  endpoint?: string;
  region?: string;
};

export interface KubernetesProvisioner {
  readonly mode: "connected" | "embedded";
  /** The objects for a product (pure; no API calls). */
  desiredObjects(infra: ProductInfra): KubeObject[];
  /** Server-side dry run (`dryRun=All`): what applying would create or change. */
  plan(objects: KubeObject[]): Promise<PlannedResource[]>;
  /** Server-side apply, idempotent; returns each object's outcome. */
  apply(objects: KubeObject[]): Promise<ApplyResult[]>;
  /** Waits until the ObjectBucketClaim is Bound (or fails / times out) and reads its ConfigMap. */
  waitForBucket(namespace: string, claim: string, opts?: { timeoutMs?: number; signal?: AbortSignal }): Promise<BucketInfo>;
  /** Reads back the live objects (for the reconciler); missing ones are absent from the result. */
  read(objects: KubeObject[]): Promise<KubeObject[]>;
  /** A RoleBinding letting a group/user read one bucket's credentials secret (access grants). */
  grantBucketRead(input: { namespace: string; claim: string; subject: { kind: "User" | "Group"; name: string }; grantId: string }): Promise<ApplyResult>;
  revokeBucketRead(input: { namespace: string; grantId: string }): Promise<void>;
  health(): Promise<HealthStatus>;
}
