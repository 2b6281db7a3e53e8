import { randomUUID } from "node:crypto";
import YAML from "yaml";
import type { Principal } from "@/lib/auth/permissions";
import type { Tx } from "@/lib/db/client";
import { buildDescriptors, type DescriptorMeta } from "@/lib/descriptors/build";
import { descriptorMeta } from "@/lib/descriptors/meta";
import type { KubernetesProvisioner } from "@/lib/integrations/kubernetes/types";
import { parseSpec, planChange, type ChangePlan } from "@/lib/products/service";
import { infraFor } from "@/lib/provisioning/service";

export type SubmissionPreview = {
  changePlan: ChangePlan;
  checks: ChangePlan["checks"];
  odpsYaml: string;
  contracts: { port: string; yaml: string }[];
  plan: { kind: string; namespace: string; name: string; action: string }[];
  planError?: string;
};

/**
 * What submitting a spec would store and provision: the descriptors as YAML and the Kubernetes
 * dry run. Ids not yet assigned (the product's, new contracts') are shown as fresh UUIDs.
 */
export async function previewSubmission(db: Tx, user: Principal, kubernetes: KubernetesProvisioner, rawSpec: unknown): Promise<SubmissionPreview> {
  const spec = parseSpec(rawSpec);
  const changePlan = await planChange(db, user, spec);
  const existing = await db.dataProduct.findUnique({ where: { slug: spec.slug }, select: { id: true, createdAt: true, status: true } });
  const emails = [...new Set([user.email, ...spec.owners])];
  const [users, inputPorts, ports] = await Promise.all([
    db.user.findMany({ where: { email: { in: emails, mode: "insensitive" } }, select: { email: true, name: true } }),
    db.outputPort.findMany({
      where: { OR: spec.inputs.map((i) => ({ name: i.port, product: { slug: i.product } })) },
      select: { name: true, contractId: true, product: { select: { slug: true } } },
    }),
    existing ? db.outputPort.findMany({ where: { productId: existing.id }, select: { name: true, contractId: true } }) : Promise.resolve([]),
  ]);
  const owners = existing ? spec.owners : [...new Set([user.email, ...spec.owners])];
  const previewSpec = { ...spec, owners };
  const baseMeta: DescriptorMeta = {
    productId: existing?.id ?? randomUUID(),
    version: changePlan.suggestedVersion,
    status: existing?.status ?? "draft",
    createdAt: existing?.createdAt ?? new Date(),
    ownerNames: Object.fromEntries(users.map((u) => [u.email, u.name])),
    inputContracts: Object.fromEntries(inputPorts.map((p) => [`${p.product.slug}/${p.name}`, p.contractId])),
    portContracts: Object.fromEntries(
      spec.outputPorts.map((p) => [p.name, p.contractId ?? ports.find((x) => x.name === p.name)?.contractId ?? randomUUID()]),
    ),
  };
  const built = buildDescriptors(previewSpec, await descriptorMeta(db, { spec: previewSpec, meta: baseMeta }));
  let plan: SubmissionPreview["plan"] = [];
  let planError: string | undefined;
  try {
    const objects = kubernetes.desiredObjects(
      infraFor({ slug: spec.slug, domain: spec.domain, version: changePlan.suggestedVersion, team: spec.team || null, owners, ports: spec.outputPorts }),
    );
    const planned = await kubernetes.plan(objects);
    plan = planned.map((p) => ({ kind: p.object.kind, namespace: p.object.metadata.namespace ?? "", name: p.object.metadata.name, action: p.action }));
  } catch (err) {
    planError = err instanceof Error ? err.message : String(err);
  }
  return {
    changePlan,
    checks: changePlan.checks,
    odpsYaml: YAML.stringify(built.odps),
    contracts: built.contracts.map((c) => ({ port: c.port, yaml: YAML.stringify(c.odcs) })),
    plan,
    ...(planError ? { planError } : {}),
  };
}
