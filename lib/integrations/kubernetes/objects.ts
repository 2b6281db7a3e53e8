import { createHash } from "node:crypto";
import { UserError } from "@/lib/errors";
import type { KubeObject, ProductInfra } from "@/lib/integrations/kubernetes/types";

/**
 * Pure builders for the Kubernetes objects a data product needs. No API calls here: the connected
 * provisioner applies these objects, the embedded one only shows them as a plan.
 */

export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const MANAGED_BY = "canopy";
export const PRODUCT_LABEL = "canopy.io/product";
export const DOMAIN_LABEL = "canopy.io/domain";
export const VERSION_LABEL = "canopy.io/version";
export const PORT_LABEL = "canopy.io/port";
export const GRANT_LABEL = "canopy.io/grant";
export const CLAIM_LABEL = "canopy.io/bucket-claim";

export const OBC_API_VERSION = "objectbucket.io/v1alpha1";
export const RBAC_GROUP = "rbac.authorization.k8s.io";
export const QUOTA_NAME = "canopy-quota";
export const OWNERS_BINDING_NAME = "canopy-owners";
export const NETWORK_POLICY_NAME = "canopy-default";

export type DesiredObjectsOptions = { namespacePrefix: string; obcStorageClass: string };

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUANTITY = /^\+?(\d+(\.\d*)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+)?$/;

const DNS_RULE = "lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";

/** Throws a UserError unless `name` is a DNS-1123 label (what Kubernetes requires of namespace names). */
export function assertDnsLabel(name: string, what: string): string {
  if (name.length === 0 || name.length > 63 || !DNS1123_LABEL.test(name)) {
    throw new UserError(`${what} "${name}" is not a valid Kubernetes name: use ${DNS_RULE}`, { code: "invalid_kubernetes_name" });
  }
  return name;
}

function assertDnsSubdomain(name: string, what: string): string {
  if (name.length === 0 || name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    throw new UserError(`${what} "${name}" is not a valid Kubernetes name: use lower-case letters, digits, '-' and '.', at most 253 characters`, {
      code: "invalid_kubernetes_name",
    });
  }
  return name;
}

/** Throws a UserError unless `value` may be used as a label value. */
export function assertLabelValue(value: string, what: string): string {
  if (value.length > 63 || !LABEL_VALUE.test(value)) {
    throw new UserError(
      `${what} "${value}" cannot be used as a Kubernetes label value: use letters, digits, '-', '_' and '.', starting and ending with a letter or digit, at most 63 characters`,
      { code: "invalid_kubernetes_label" },
    );
  }
  return value;
}

function assertQuantity(value: string, what: string): string {
  if (!QUANTITY.test(value)) {
    throw new UserError(`${what} "${value}" is not a Kubernetes quantity (examples: 500m, 4, 16Gi, 100G)`, { code: "invalid_quantity" });
  }
  return value;
}

/** The namespace a product lives in: `<prefix><slug>`. */
export function productNamespace(slug: string, namespacePrefix: string): string {
  assertLabelValue(slug, "Product slug");
  return assertDnsLabel(`${namespacePrefix}${slug}`, `Namespace for product "${slug}"`);
}

export function desiredObjects(infra: ProductInfra, opts: DesiredObjectsOptions): KubeObject[] {
  const { product } = infra;
  const namespace = productNamespace(product.slug, opts.namespacePrefix);
  const productLabels = {
    [MANAGED_BY_LABEL]: MANAGED_BY,
    [PRODUCT_LABEL]: assertLabelValue(product.slug, "Product slug"),
  };
  const nsLabels = {
    ...productLabels,
    [DOMAIN_LABEL]: assertLabelValue(product.domain, "Domain"),
    [VERSION_LABEL]: assertLabelValue(product.version, "Product version"),
  };

  const q = infra.quota;
  if (!Number.isInteger(q.buckets) || q.buckets < 0) {
    throw new UserError(`The bucket quota must be a whole number of at least 0, got ${q.buckets}`, { code: "invalid_quota" });
  }
  if (infra.buckets.length > q.buckets) {
    throw new UserError(`The product declares ${infra.buckets.length} bucket(s) but its quota allows ${q.buckets}`, { code: "invalid_quota" });
  }

  const objects: KubeObject[] = [
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: namespace, labels: nsLabels },
    },
    {
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: QUOTA_NAME, namespace, labels: productLabels },
      spec: {
        hard: {
          "requests.cpu": assertQuantity(q.cpu, "CPU quota"),
          "limits.memory": assertQuantity(q.memory, "Memory quota"),
          "requests.storage": assertQuantity(q.storage, "Storage quota"),
          "count/objectbucketclaims.objectbucket.io": String(q.buckets),
        },
      },
    },
    {
      apiVersion: `${RBAC_GROUP}/v1`,
      kind: "RoleBinding",
      metadata: { name: OWNERS_BINDING_NAME, namespace, labels: productLabels },
      roleRef: { apiGroup: RBAC_GROUP, kind: "ClusterRole", name: "edit" },
      subjects: [
        ...uniqueSorted(infra.ownerGroups, "Owner group").map((name) => ({ kind: "Group", apiGroup: RBAC_GROUP, name })),
        ...uniqueSorted(infra.ownerUsers, "Owner user").map((name) => ({ kind: "User", apiGroup: RBAC_GROUP, name })),
      ],
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: NETWORK_POLICY_NAME, namespace, labels: productLabels },
      spec: {
        podSelector: {},
        policyTypes: ["Ingress"],
        // Two peers in one rule: either one admits the traffic.
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { [MANAGED_BY_LABEL]: MANAGED_BY } } }, { podSelector: {} }] }],
      },
    },
  ];

  const seen = new Set<string>();
  for (const bucket of infra.buckets) {
    const claim = assertDnsLabel(bucket.port, "Bucket port name");
    if (seen.has(claim)) throw new UserError(`Bucket port "${claim}" is declared twice`, { code: "duplicate_bucket" });
    seen.add(claim);
    const additionalConfig: Record<string, string> = {};
    if (bucket.maxSize !== undefined && bucket.maxSize !== "") additionalConfig.maxSize = assertQuantity(bucket.maxSize, `Maximum size of bucket "${claim}"`);
    if (bucket.maxObjects !== undefined && bucket.maxObjects !== "") {
      if (!/^\d+$/.test(bucket.maxObjects)) {
        throw new UserError(`Maximum object count of bucket "${claim}" must be a whole number, got "${bucket.maxObjects}"`, { code: "invalid_quota" });
      }
      additionalConfig.maxObjects = bucket.maxObjects;
    }
    objects.push({
      apiVersion: OBC_API_VERSION,
      kind: "ObjectBucketClaim",
      metadata: { name: claim, namespace, labels: { ...productLabels, [PORT_LABEL]: claim } },
      spec: {
        generateBucketName: assertDnsLabel(bucket.generateName, `Bucket name prefix of "${claim}"`),
        storageClassName: opts.obcStorageClass,
        ...(Object.keys(additionalConfig).length ? { additionalConfig } : {}),
      },
    });
  }
  return objects;
}

function uniqueSorted(names: string[], what: string): string[] {
  for (const n of names) {
    if (n.trim() === "" || n !== n.trim()) throw new UserError(`${what} "${n}" must be a non-empty name without surrounding spaces`, { code: "invalid_subject" });
  }
  return [...new Set(names)].sort();
}

/** The RoleBinding name for a grant: the id itself when it is a short DNS label, else a prefix and a hash. */
export function grantBindingName(grantId: string): string {
  const short =
    grantId.length <= 50 && DNS1123_LABEL.test(grantId)
      ? grantId
      : `${grantId.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40)}-${createHash("sha256").update(grantId).digest("hex").slice(0, 8)}`.replace(/^-/, "");
  return `canopy-grant-${short}`;
}

export type BucketReadInput = {
  namespace: string;
  claim: string;
  subject: { kind: "User" | "Group"; name: string };
  grantId: string;
};

/**
 * What an access grant on a bucket needs: a Role that may `get` the claim's Secret and ConfigMap
 * (shared by every grant on the claim) and a RoleBinding per grant, labelled with the grant id so
 * revoking finds it by label.
 */
export function bucketReadRoleBinding(input: BucketReadInput): { role: KubeObject; roleBinding: KubeObject } {
  const namespace = assertDnsLabel(input.namespace, "Namespace");
  const claim = assertDnsLabel(input.claim, "Bucket claim");
  if (input.grantId === "") throw new UserError("A grant id is required", { code: "invalid_grant" });
  assertLabelValue(input.grantId, "Grant id");
  if (input.subject.name.trim() === "") throw new UserError("The grant's subject needs a name", { code: "invalid_subject" });
  const roleName = assertDnsSubdomain(`canopy-read-${claim}`, "Role");
  const base = { [MANAGED_BY_LABEL]: MANAGED_BY, [CLAIM_LABEL]: claim };
  return {
    role: {
      apiVersion: `${RBAC_GROUP}/v1`,
      kind: "Role",
      metadata: { name: roleName, namespace, labels: base },
      rules: [
        { apiGroups: [""], resources: ["secrets"], resourceNames: [claim], verbs: ["get"] },
        { apiGroups: [""], resources: ["configmaps"], resourceNames: [claim], verbs: ["get"] },
      ],
    },
    roleBinding: {
      apiVersion: `${RBAC_GROUP}/v1`,
      kind: "RoleBinding",
      metadata: { name: grantBindingName(input.grantId), namespace, labels: { ...base, [GRANT_LABEL]: input.grantId } },
      roleRef: { apiGroup: RBAC_GROUP, kind: "Role", name: roleName },
      subjects: [{ kind: input.subject.kind, apiGroup: RBAC_GROUP, name: input.subject.name }],
    },
  };
}
