import type { AuditActor } from "@/lib/audit/record";
import { recordAudit, SYSTEM_ACTOR } from "@/lib/audit/record";
import type { Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { NotFoundError } from "@/lib/errors";
import type { KubeObject, KubernetesProvisioner, ProductInfra } from "@/lib/integrations/kubernetes/types";
import { enqueueJob, jobSelect, toJobDto } from "@/lib/jobs/outbox";
import { PUSH_METADATA_JOB } from "@/lib/provisioning/metadata";
import type { JobHandler } from "@/lib/jobs/worker";

/**
 * A product's infrastructure: namespace, quota, owner RoleBinding, NetworkPolicy and one
 * ObjectBucketClaim per S3 port, applied through the outbox and recorded per resource.
 */

export const PROVISION_JOB = "kubernetes.provision-product";

/** Default quota for a product namespace; the onboarding wizard lets owners choose. */
export const DEFAULT_QUOTA = { cpu: "4", memory: "16Gi", storage: "100Gi", buckets: 5 };

/** Bucket ports are `s3://<bucket>/<prefix>`; the claim asks for a generated name based on the bucket. */
function bucketName(location: string, port: string) {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/|$)/.exec(location);
  const base = (m?.[1] ?? port).replace(/\./g, "-").slice(0, 40).replace(/-+$/, "");
  return base;
}

type InfraInput = {
  slug: string;
  domain: string;
  version: string;
  team: string | null;
  owners: string[];
  ports: { name: string; type: string; location: string; bucket?: { maxSizeGiB: number; maxObjects?: number } }[];
};

/** What a product needs in the cluster, from its description alone (also used for plans before it exists). */
export function infraFor(p: InfraInput): ProductInfra {
  return {
    product: { slug: p.slug, domain: p.domain, version: p.version },
    ownerGroups: p.team ? [p.team] : [],
    ownerUsers: [...p.owners].sort(),
    quota: DEFAULT_QUOTA,
    buckets: p.ports
      .filter((port) => port.type === "s3_bucket")
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((port) => ({
        port: port.name,
        generateName: bucketName(port.location, port.name),
        ...(port.bucket ? { maxSize: `${port.bucket.maxSizeGiB}Gi` } : {}),
        ...(port.bucket?.maxObjects ? { maxObjects: String(port.bucket.maxObjects) } : {}),
      })),
  };
}

function bucketLimits(contract: unknown): { maxSizeGiB: number; maxObjects?: number } | undefined {
  const b = (contract as { bucket?: { maxSizeGiB?: unknown; maxObjects?: unknown } } | null)?.bucket;
  if (!b || typeof b.maxSizeGiB !== "number") return undefined;
  return { maxSizeGiB: b.maxSizeGiB, ...(typeof b.maxObjects === "number" ? { maxObjects: b.maxObjects } : {}) };
}

export async function loadProductInfra(db: Tx, productId: string): Promise<ProductInfra> {
  const p = await db.dataProduct.findUnique({
    where: { id: productId },
    select: {
      slug: true,
      version: true,
      domain: { select: { slug: true } },
      ownerTeam: { select: { slug: true } },
      owners: { select: { user: { select: { email: true } } } },
      outputPorts: { where: { type: "s3_bucket" }, select: { name: true, type: true, location: true, contract: true } },
    },
  });
  if (!p) throw new NotFoundError("No such product");
  return infraFor({
    slug: p.slug,
    domain: p.domain.slug,
    version: p.version,
    team: p.ownerTeam?.slug ?? null,
    owners: p.owners.map((o) => o.user.email),
    ports: p.outputPorts.map((port) => ({ name: port.name, type: port.type, location: port.location, bucket: bucketLimits(port.contract) })),
  });
}

const resourceKey = (o: KubeObject) => ({ kind: o.kind, namespace: o.metadata.namespace ?? "", name: o.metadata.name });

async function record(tx: Tx, productId: string, objects: KubeObject[], state: string, details?: (o: KubeObject) => Prisma.InputJsonValue | undefined) {
  const now = new Date();
  for (const o of objects) {
    const key = resourceKey(o);
    const data = { state, details: details?.(o), appliedAt: state === "applied" ? now : null, checkedAt: now, driftReason: null };
    await tx.provisionedResource.upsert({
      where: { productId_system_kind_namespace_name: { productId, system: "kubernetes", ...key } },
      create: { productId, system: "kubernetes", ...key, ...data },
      update: data,
    });
  }
}

/** Asks for (re)provisioning: one job per product version and request, written with its audit event. */
export async function requestProvisioning(tx: Tx, actor: AuditActor, productId: string, reason: string) {
  const p = await tx.dataProduct.findUnique({ where: { id: productId }, select: { id: true, slug: true, version: true, updatedAt: true } });
  if (!p) throw new NotFoundError("No such product");
  const key = `${p.id}:${p.version}:${p.updatedAt.getTime()}:${reason}`;
  const job = await enqueueJob(tx, {
    kind: PROVISION_JOB,
    payload: { productId: p.id },
    idempotencyKey: `provision:${key}`,
    target: { type: "product", id: p.id },
  });
  await enqueueJob(tx, {
    kind: PUSH_METADATA_JOB,
    payload: { productId: p.id },
    idempotencyKey: `metadata:${key}`,
    target: { type: "product", id: p.id },
  });
  await recordAudit(tx, actor, {
    action: "product.provision_requested",
    target: { type: "product", id: p.id },
    after: { slug: p.slug, version: p.version, jobId: job.id, reason },
  });
  return toJobDto(job);
}

/** The outbox handler: apply (or, with Kubernetes not connected, record the plan), then wait for buckets. */
export function provisionProductHandler(provisioner: KubernetesProvisioner): JobHandler {
  return async (job, { db, log }) => {
    const { productId } = job.payload as { productId: string };
    const infra = await loadProductInfra(db, productId);
    const objects = provisioner.desiredObjects(infra);
    if (provisioner.mode === "embedded") {
      await db.$transaction(async (tx) => {
        await record(tx, productId, objects, "planned");
        await recordAudit(tx, SYSTEM_ACTOR, {
          action: "product.provision_planned",
          target: { type: "product", id: productId },
          after: { jobId: job.id, objects: objects.map((o) => `${o.kind}/${o.metadata.name}`) },
        });
      });
      log.info({ productId, objects: objects.length }, "Kubernetes not connected: plan recorded, not applied");
      return { applied: false, planned: objects.length };
    }
    const results = await provisioner.apply(objects);
    await db.$transaction(async (tx) => {
      await record(tx, productId, objects, "applied", (o) => {
        const r = results.find((x) => x.object.kind === o.kind && x.object.metadata.name === o.metadata.name);
        return r ? { action: r.action, uid: r.uid ?? null } : undefined;
      });
      await recordAudit(tx, SYSTEM_ACTOR, {
        action: "product.provisioned",
        target: { type: "product", id: productId },
        after: { jobId: job.id, objects: results.map((r) => `${r.object.kind}/${r.object.metadata.name}: ${r.action}`) },
      });
    });
    const buckets = objects.filter((o) => o.kind === "ObjectBucketClaim");
    const bound = [];
    for (const claim of buckets) {
      const info = await provisioner.waitForBucket(claim.metadata.namespace!, claim.metadata.name, { timeoutMs: 120_000 });
      bound.push(info);
      await db.provisionedResource.update({
        where: { productId_system_kind_namespace_name: { productId, system: "kubernetes", ...resourceKey(claim) } },
        data: { details: { phase: info.phase, bucketName: info.bucketName ?? null, endpoint: info.endpoint ?? null, region: info.region ?? null } },
      });
    }
    return { applied: true, objects: results.map((r) => ({ kind: r.object.kind, name: r.object.metadata.name, action: r.action })), buckets: bound };
  };
}

export async function provisioningStatus(db: Tx, productId: string) {
  const [resources, jobs] = await Promise.all([
    db.provisionedResource.findMany({
      where: { productId },
      orderBy: [{ kind: "asc" }, { name: "asc" }],
      select: { system: true, kind: true, namespace: true, name: true, state: true, details: true, appliedAt: true, checkedAt: true, driftReason: true },
    }),
    db.job.findMany({ where: { targetType: "product", targetId: productId }, orderBy: { createdAt: "desc" }, take: 6, select: jobSelect }),
  ]);
  return {
    resources: resources.map((r) => ({ ...r, appliedAt: r.appliedAt?.toISOString() ?? null, checkedAt: r.checkedAt?.toISOString() ?? null })),
    jobs: jobs.map(toJobDto),
  };
}

/**
 * The reconciler: compares what Canopy applied with what the cluster reports and marks resources
 * missing or drifted (labels changed by hand), so the Admin page can show them.
 */
export async function reconcileKubernetes(db: Tx, provisioner: KubernetesProvisioner, now = new Date()) {
  if (provisioner.mode !== "connected") return { checked: 0, drifted: 0 };
  const applied = await db.provisionedResource.findMany({
    where: { system: "kubernetes", state: { in: ["applied", "drifted", "missing"] } },
    select: { id: true, productId: true, kind: true, namespace: true, name: true },
  });
  const byProduct = new Map<string, typeof applied>();
  for (const r of applied) byProduct.set(r.productId, [...(byProduct.get(r.productId) ?? []), r]);
  let drifted = 0;
  for (const [productId, rows] of byProduct) {
    let desired: KubeObject[];
    try {
      desired = provisioner.desiredObjects(await loadProductInfra(db, productId));
    } catch (err) {
      if (err instanceof NotFoundError) continue;
      throw err;
    }
    const live = await provisioner.read(desired);
    for (const row of rows) {
      const want = desired.find((d) => d.kind === row.kind && d.metadata.name === row.name && (d.metadata.namespace ?? "") === row.namespace);
      const have = live.find((l) => l.kind === row.kind && l.metadata.name === row.name && (l.metadata.namespace ?? "") === row.namespace);
      let state = "applied";
      let driftReason: string | null = null;
      if (!want) {
        state = "drifted";
        driftReason = "no longer wanted by the product; remove it from the cluster";
      } else if (!have) {
        state = "missing";
        driftReason = `${row.kind} ${row.name} is missing from the cluster`;
      } else {
        const changed = Object.entries(want.metadata.labels ?? {}).filter(([k, v]) => have.metadata.labels?.[k] !== v);
        if (changed.length) {
          state = "drifted";
          driftReason = `labels changed outside Canopy: ${changed.map(([k]) => k).join(", ")}`;
        }
      }
      if (state !== "applied") drifted++;
      await db.provisionedResource.update({ where: { id: row.id }, data: { state, driftReason, checkedAt: now } });
    }
  }
  return { checked: applied.length, drifted };
}
