import type { AuditActor } from "@/lib/audit/record";
import { recordAudit } from "@/lib/audit/record";
import { authorize, can, type Action, type PermissionMap, type Principal } from "@/lib/auth/permissions";
import { productRefSelect, toProductRef, visibleProductsWhere } from "@/lib/catalog/queries";
import type { Db, Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { buildDescriptors, type BuiltDescriptors, type DescriptorMeta, type DescriptorSources } from "@/lib/descriptors/build";
import { descriptorMeta } from "@/lib/descriptors/meta";
import { ConflictError, ForbiddenError, NotFoundError, UserError } from "@/lib/errors";
import { evaluateAndGate } from "@/lib/governance/service";
import { fieldErrorsOf } from "@/lib/http/operation";
import { affectedBy, type Affected } from "@/lib/products/affected";
import { classifyChanges, highestLevel, type Change, type ChangeLevel } from "@/lib/products/changes";
import { blockingChecks, runChecks } from "@/lib/products/checks";
import {
  bumpVersion,
  compareVersions,
  contractSpec,
  productSpec,
  semverSchema,
  type ContractSpec,
  type PortSpec,
  type ProductSpec,
} from "@/lib/products/spec";
import { requestProvisioning } from "@/lib/provisioning/service";

/**
 * Creating and changing data products from a ProductSpec (the wizard, descriptor imports and the
 * REST API all end here): resolve references, classify the change, guard breaking changes, write
 * the catalogue rows, snapshot a version with its descriptors, audit, and ask for provisioning —
 * in one transaction.
 */

export const INITIAL_VERSION = "1.0.0";

export type LoadedProduct = {
  id: string;
  spec: ProductSpec;
  meta: DescriptorMeta;
  sources: DescriptorSources;
  status: DescriptorMeta["status"];
  version: string;
};

const loadSelect = {
  id: true,
  slug: true,
  name: true,
  summary: true,
  description: true,
  tags: true,
  classification: true,
  status: true,
  version: true,
  createdAt: true,
  descriptorSource: true,
  domain: { select: { slug: true } },
  ownerTeam: { select: { slug: true } },
  owners: { select: { user: { select: { email: true, name: true } } } },
  outputPorts: {
    orderBy: { createdAt: "asc" },
    select: {
      name: true,
      type: true,
      location: true,
      description: true,
      classification: true,
      contractId: true,
      contract: true,
      contractSource: true,
      fields: {
        orderBy: { position: "asc" },
        select: { name: true, type: true, logicalType: true, description: true, classification: true, pii: true, nullable: true, primaryKey: true },
      },
    },
  },
  dependencies: {
    orderBy: { createdAt: "asc" },
    select: { inputName: true, upstreamPort: { select: { name: true, contractId: true, product: { select: { slug: true } } } } },
  },
} satisfies Prisma.DataProductSelect;

type LoadedRow = Prisma.DataProductGetPayload<{ select: typeof loadSelect }>;

function storedContract(raw: unknown): { contract: ContractSpec; bucket?: PortSpec["bucket"] } {
  const obj = raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const parsed = contractSpec.safeParse(obj);
  const contract = parsed.success ? parsed.data : contractSpec.parse({});
  const b = obj.bucket as { maxSizeGiB?: unknown; maxObjects?: unknown } | undefined;
  const bucket =
    b && typeof b.maxSizeGiB === "number"
      ? { maxSizeGiB: b.maxSizeGiB, ...(typeof b.maxObjects === "number" ? { maxObjects: b.maxObjects } : {}) }
      : undefined;
  return { contract, bucket };
}

function rowToLoaded(p: LoadedRow): LoadedProduct {
  const spec: ProductSpec = {
    name: p.name,
    slug: p.slug,
    domain: p.domain.slug,
    team: p.ownerTeam?.slug ?? "",
    owners: p.owners.map((o) => o.user.email).sort(),
    summary: p.summary,
    description: p.description,
    tags: [...p.tags],
    classification: p.classification,
    outputPorts: p.outputPorts.map((port) => {
      const { contract, bucket } = storedContract(port.contract);
      return {
        name: port.name,
        type: port.type,
        location: port.location,
        description: port.description,
        ...(port.classification ? { classification: port.classification } : {}),
        contractId: port.contractId,
        columns: port.fields.map((f) => ({
          name: f.name,
          physicalType: f.type,
          logicalType: f.logicalType as ProductSpec["outputPorts"][number]["columns"][number]["logicalType"],
          description: f.description,
          classification: f.classification,
          pii: f.pii,
          required: !f.nullable,
          primaryKey: f.primaryKey,
        })),
        ...(bucket ? { bucket } : {}),
        contract,
      };
    }),
    inputs: p.dependencies.map((d) => ({ product: d.upstreamPort.product.slug, port: d.upstreamPort.name, name: d.inputName })),
  };
  const meta: DescriptorMeta = {
    productId: p.id,
    version: p.version,
    status: p.status,
    createdAt: p.createdAt,
    ownerNames: Object.fromEntries(p.owners.map((o) => [o.user.email, o.user.name])),
    inputContracts: Object.fromEntries(p.dependencies.map((d) => [`${d.upstreamPort.product.slug}/${d.upstreamPort.name}`, d.upstreamPort.contractId])),
    portContracts: Object.fromEntries(p.outputPorts.map((port) => [port.name, port.contractId])),
  };
  const contracts: Record<string, unknown> = {};
  for (const port of p.outputPorts) if (port.contractSource) contracts[port.name] = port.contractSource;
  const sources: DescriptorSources = {
    ...(p.descriptorSource ? { product: p.descriptorSource } : {}),
    ...(Object.keys(contracts).length ? { contracts } : {}),
  };
  return { id: p.id, spec, meta, sources, status: p.status, version: p.version };
}

/** A product as a spec, with what its descriptors need. No authorization: callers check product.read. */
export async function loadProductSpec(db: Tx, productId: string): Promise<LoadedProduct> {
  const p = await db.dataProduct.findUnique({ where: { id: productId }, select: loadSelect });
  if (!p) throw new NotFoundError("No such product");
  return rowToLoaded(p);
}

/** The product's ODPS descriptor and ODCS contracts as they stand. */
export async function productDescriptors(db: Tx, productId: string): Promise<BuiltDescriptors> {
  const loaded = await loadProductSpec(db, productId);
  return buildDescriptors(loaded.spec, await descriptorMeta(db, loaded), loaded.sources);
}

/**
 * `authorize()` with this module's wording for a refusal; a refusal only because an API token lacks
 * the scope keeps the permission module's "insufficient scope" answer.
 */
function demand<A extends Action>(user: Principal, action: A, resource: PermissionMap[A], refusal: () => Error) {
  try {
    authorize(user, action, resource);
  } catch (err) {
    if (err instanceof UserError && err.code === "insufficient_scope") throw err;
    throw refusal();
  }
}

// ---------------------------------------------------------------------------------------------
// Resolving references

type Resolved = {
  domainId: string;
  teamId: string | null;
  ownerIds: string[];
  owners: { id: string; email: string; name: string }[];
  inputs: { name: string; portId: string; key: string; contractId: string }[];
};

function fail(fieldErrors: Record<string, string[]>): never {
  throw new UserError("Some fields need attention", { status: 400, code: "invalid_input", fieldErrors });
}

async function resolveSpec(db: Tx, user: Principal, spec: ProductSpec, selfId: string | null): Promise<Resolved> {
  const errors: Record<string, string[]> = {};
  const push = (k: string, m: string) => (errors[k] ??= []).push(m);
  const domain = await db.domain.findUnique({ where: { slug: spec.domain }, select: { id: true } });
  if (!domain) push("domain", `No domain "${spec.domain}"`);
  let teamId: string | null = null;
  if (spec.team) {
    const team = await db.team.findUnique({ where: { slug: spec.team }, select: { id: true } });
    if (!team) push("team", `No team "${spec.team}"`);
    else teamId = team.id;
  }
  const emails = [...new Set([user.email, ...spec.owners].map((e) => e.toLowerCase()))];
  const users = await db.user.findMany({ where: { email: { in: emails, mode: "insensitive" } }, select: { id: true, email: true, name: true } });
  spec.owners.forEach((e, i) => {
    if (!users.some((u) => u.email.toLowerCase() === e.toLowerCase()))
      push(`owners.${i}`, `${e} has not signed in to Canopy yet; only people with an account can own a product`);
  });
  const inputs: Resolved["inputs"] = [];
  const visible = visibleProductsWhere(user);
  const seenInputs = new Set<string>();
  for (const [i, input] of spec.inputs.entries()) {
    const key = `${input.product}/${input.port}`;
    if (seenInputs.has(key)) {
      push(`inputs.${i}`, `${key} is listed twice`);
      continue;
    }
    seenInputs.add(key);
    const port = await db.outputPort.findFirst({
      where: { name: input.port, product: { slug: input.product, AND: [visible] } },
      select: { id: true, contractId: true, product: { select: { id: true, status: true } } },
    });
    if (!port) push(`inputs.${i}`, `No output port ${key} you can see`);
    else if (port.product.id === selfId) push(`inputs.${i}`, "A product cannot read its own output port");
    else if (port.product.status === "retired") push(`inputs.${i}`, `${input.product} is retired`);
    else inputs.push({ name: input.name ?? input.product, portId: port.id, key, contractId: port.contractId });
  }
  const inputNames = new Set<string>();
  inputs.forEach((inp) => {
    if (inputNames.has(inp.name)) push("inputs", `Two inputs are named "${inp.name}"; name them apart`);
    inputNames.add(inp.name);
  });
  if (Object.keys(errors).length) fail(errors);
  return { domainId: domain!.id, teamId, ownerIds: users.map((u) => u.id), owners: users, inputs };
}

// ---------------------------------------------------------------------------------------------
// Planning a change

export type ChangePlan = {
  exists: boolean;
  slug: string;
  currentVersion: string | null;
  status: DescriptorMeta["status"] | null;
  level: ChangeLevel | "initial" | "none";
  changes: Change[];
  suggestedVersion: string;
  affected: Affected;
  checks: ReturnType<typeof runChecks>;
};

/** A spec from untrusted input, or a field-by-field 400. */
export function parseSpec(raw: unknown): ProductSpec {
  const parsed = productSpec.safeParse(raw);
  if (!parsed.success) fail(fieldErrorsOf(parsed.error));
  return parsed.data;
}

/** What saving `spec` would do, without doing it. Authorizes like saving would. */
export async function planProductChange(db: Tx, user: Principal, rawSpec: unknown): Promise<ChangePlan> {
  return planChange(db, user, parseSpec(rawSpec));
}

/** `planProductChange` for a spec already parsed. */
export async function planChange(db: Tx, user: Principal, spec: ProductSpec): Promise<ChangePlan> {
  const existing = await db.dataProduct.findUnique({ where: { slug: spec.slug }, select: productRefSelect });
  if (!existing) {
    const domain = await db.domain.findUnique({ where: { slug: spec.domain }, select: { id: true } });
    if (domain) demand(user, "product.create", { id: domain.id }, () => new ForbiddenError(`You may not create products in the ${spec.domain} domain`));
    await resolveSpec(db, user, spec, null);
    return {
      exists: false,
      slug: spec.slug,
      currentVersion: null,
      status: null,
      level: "initial",
      changes: [],
      suggestedVersion: INITIAL_VERSION,
      affected: { consumers: [], downstream: [] },
      checks: runChecks(spec),
    };
  }
  const ref = toProductRef(existing);
  demand(user, "product.read", ref, () => new NotFoundError("No such product"));
  demand(user, "product.update", ref, () => new ForbiddenError("Only the product's owners and its domain's stewards may change it"));
  await resolveSpec(db, user, spec, existing.id);
  const current = await loadProductSpec(db, existing.id);
  immutable(current.spec, spec);
  const changes = classifyChanges(current.spec, normalizeOwners(spec));
  const level = highestLevel(changes);
  const breakingPorts = [...new Set(changes.filter((c) => c.level === "major" && c.port).map((c) => c.port!))];
  const affected = await affectedBy(db, user, existing.id, breakingPorts);
  return {
    exists: true,
    slug: spec.slug,
    currentVersion: current.version,
    status: current.status,
    level,
    changes,
    suggestedVersion: level === "none" || current.status === "draft" ? current.version : bumpVersion(current.version, level),
    affected,
    checks: runChecks(spec),
  };
}

function immutable(before: ProductSpec, after: ProductSpec) {
  if (before.domain !== after.domain)
    fail({ domain: [`A product stays in its domain (${before.domain}); create a new product in ${after.domain} instead`] });
}

/** Owners compared and stored as lower-case, sorted, without repeats. */
function normalizeOwners(spec: ProductSpec): ProductSpec {
  return { ...spec, owners: [...new Set(spec.owners.map((e) => e.toLowerCase()))].sort() };
}

// ---------------------------------------------------------------------------------------------
// Saving

export type SaveOptions = {
  /** New products: publish at once when allowed (otherwise they stay drafts). */
  publish?: boolean;
  /** Updates of published products: the new version (defaults to the suggested one). */
  version?: string;
  changelog?: string;
  /** Required to publish a breaking change: the caller has seen who is affected. */
  acknowledgeBreaking?: boolean;
  /** The documents an import came from, kept so unmodelled fields survive export. */
  sources?: DescriptorSources;
  /** Refuse to change an existing product (the wizard creates; it does not overwrite). */
  createOnly?: boolean;
  /** A wizard draft of this user to delete in the same transaction. */
  draftId?: string;
  /** How the change arrived, for the audit trail: "wizard", "descriptor import", "api". */
  via?: string;
};

export type SaveResult = {
  id: string;
  slug: string;
  version: string;
  status: DescriptorMeta["status"];
  changeLevel: ChangeLevel | "initial" | "none";
  created: boolean;
  changes: Change[];
  provisioningJobId: string | null;
};

function contractJson(port: PortSpec): Prisma.InputJsonValue {
  return { ...port.contract, ...(port.bucket ? { bucket: port.bucket } : {}) } as Prisma.InputJsonValue;
}

function fieldRows(port: PortSpec) {
  return port.columns.map((c, position) => ({
    name: c.name,
    type: c.physicalType,
    logicalType: c.logicalType,
    description: c.description,
    classification: c.classification,
    pii: c.pii,
    nullable: !c.required,
    primaryKey: c.primaryKey,
    position,
  }));
}

const json = (v: unknown) => (v === undefined || v === null ? undefined : (v as Prisma.InputJsonValue));

async function writePorts(tx: Tx, productId: string, spec: ProductSpec, sources: DescriptorSources | undefined, actor: AuditActor) {
  const existing = await tx.outputPort.findMany({ where: { productId }, select: { id: true, name: true } });
  const keep = new Set(spec.outputPorts.map((p) => p.name));
  for (const old of existing.filter((p) => !keep.has(p.name))) {
    // Downstream products lose their input with the port: record it on their side too.
    const deps = await tx.productDependency.findMany({ where: { upstreamPortId: old.id }, select: { id: true, productId: true, inputName: true } });
    for (const d of deps) {
      await tx.productDependency.delete({ where: { id: d.id } });
      await recordAudit(tx, actor, {
        action: "product.input_removed",
        target: { type: "product", id: d.productId },
        before: { input: d.inputName, upstreamPortId: old.id },
        after: { reason: "upstream port removed" },
      });
    }
    await tx.outputPort.delete({ where: { id: old.id } });
  }
  for (const port of spec.outputPorts) {
    const found = existing.find((p) => p.name === port.name);
    const data = {
      type: port.type,
      location: port.location,
      description: port.description,
      classification: port.classification ?? null,
      contract: contractJson(port),
    };
    if (!found) {
      await tx.outputPort.create({
        data: {
          productId,
          name: port.name,
          ...data,
          ...(port.contractId ? { contractId: port.contractId } : {}),
          contractSource: json(sources?.contracts?.[port.name]),
          fields: { create: fieldRows(port) },
        },
        select: { id: true },
      });
      continue;
    }
    await tx.outputPort.update({
      where: { id: found.id },
      data: { ...data, ...(sources ? { contractSource: json(sources.contracts?.[port.name]) ?? Prisma.DbNull } : {}) },
    });
    const fields = await tx.schemaField.findMany({ where: { portId: found.id }, select: { id: true, name: true } });
    const wanted = fieldRows(port);
    const names = new Set(wanted.map((f) => f.name));
    const gone = fields.filter((f) => !names.has(f.name)).map((f) => f.id);
    if (gone.length) await tx.schemaField.deleteMany({ where: { id: { in: gone } } });
    for (const f of wanted) {
      const old = fields.find((x) => x.name === f.name);
      if (old) await tx.schemaField.update({ where: { id: old.id }, data: f });
      else await tx.schemaField.create({ data: { ...f, portId: found.id } });
    }
  }
}

async function writeInputs(tx: Tx, productId: string, resolved: Resolved) {
  const existing = await tx.productDependency.findMany({ where: { productId }, select: { id: true, upstreamPortId: true, inputName: true } });
  const wanted = new Map(resolved.inputs.map((i) => [i.portId, i]));
  const stale = existing.filter((d) => !wanted.has(d.upstreamPortId)).map((d) => d.id);
  if (stale.length) await tx.productDependency.deleteMany({ where: { id: { in: stale } } });
  for (const input of resolved.inputs) {
    const old = existing.find((d) => d.upstreamPortId === input.portId);
    if (!old) await tx.productDependency.create({ data: { productId, upstreamPortId: input.portId, inputName: input.name } });
    else if (old.inputName !== input.name) await tx.productDependency.update({ where: { id: old.id }, data: { inputName: input.name } });
  }
}

export async function snapshot(tx: Tx, actor: AuditActor, productId: string, changeLevel: string, changelog: string, mode: "create" | "replace") {
  const loaded = await loadProductSpec(tx, productId);
  const built = buildDescriptors(loaded.spec, await descriptorMeta(tx, loaded), loaded.sources);
  const data = {
    changeLevel,
    changelog,
    spec: loaded.spec as unknown as Prisma.InputJsonValue,
    descriptor: built.odps as Prisma.InputJsonValue,
    contracts: built.contracts as unknown as Prisma.InputJsonValue,
    createdById: actor.id,
  };
  if (mode === "replace")
    await tx.productVersion.upsert({
      where: { productId_version: { productId, version: loaded.version } },
      create: { productId, version: loaded.version, ...data },
      update: data,
    });
  else await tx.productVersion.create({ data: { productId, version: loaded.version, ...data } });
}

/**
 * Creates or changes a product from a spec, in one transaction. Creating: the user must be allowed
 * to create products in the spec's domain; the product starts at 1.0.0, published when asked and
 * allowed (and no check fails), else a draft. Changing a draft rewrites its current version;
 * changing a published product makes a new version whose number matches the change level, and a
 * breaking change needs `acknowledgeBreaking`.
 */
export async function saveProduct(db: Db, ctx: { user: Principal; actor: AuditActor }, rawSpec: unknown, opts: SaveOptions = {}): Promise<SaveResult> {
  const spec = normalizeOwners(parseSpec(rawSpec));
  return db.$transaction(async (tx) => {
    const existing = await tx.dataProduct.findUnique({ where: { slug: spec.slug }, select: productRefSelect });
    if (existing && opts.createOnly) fail({ slug: [`The slug "${spec.slug}" is taken; choose another`] });
    const result = existing ? await updateProduct(tx, ctx, existing, spec, opts) : await createProduct(tx, ctx, spec, opts);
    if (opts.draftId) await tx.productDraft.deleteMany({ where: { id: opts.draftId, userId: ctx.user.id } });
    return result;
  });
}

async function createProduct(tx: Tx, { user, actor }: { user: Principal; actor: AuditActor }, spec: ProductSpec, opts: SaveOptions): Promise<SaveResult> {
  const domain = await tx.domain.findUnique({ where: { slug: spec.domain }, select: { id: true } });
  if (!domain) fail({ domain: [`No domain "${spec.domain}"`] });
  demand(user, "product.create", { id: domain.id }, () => new ForbiddenError(`You may not create products in the ${spec.domain} domain`));
  const resolved = await resolveSpec(tx, user, spec, null);
  const contractIds = spec.outputPorts.map((p) => p.contractId).filter((c): c is string => !!c);
  if (contractIds.length) {
    const taken = await tx.outputPort.findMany({ where: { contractId: { in: contractIds } }, select: { contractId: true } });
    if (taken.length) fail({ outputPorts: [`Contract id ${taken[0]!.contractId} already belongs to another product's port`] });
  }
  const checks = runChecks(spec);
  // Publishing needs the same permission as on an existing product: as the creator becomes an owner, allowed.
  const publish = !!opts.publish;
  if (publish && blockingChecks(checks).length)
    throw new UserError("Fix the failing checks before publishing, or save the product as a draft", {
      code: "checks_failed",
      fieldErrors: Object.fromEntries(blockingChecks(checks).map((c) => [c.path, [c.message]])),
    });
  const now = new Date();
  const product = await tx.dataProduct.create({
    data: {
      slug: spec.slug,
      name: spec.name,
      summary: spec.summary,
      description: spec.description,
      domainId: resolved.domainId,
      ownerTeamId: resolved.teamId,
      status: publish ? "published" : "draft",
      version: INITIAL_VERSION,
      tags: spec.tags,
      classification: spec.classification,
      publishedAt: publish ? now : null,
      descriptorSource: json(opts.sources?.product),
      createdById: user.id,
      owners: { create: resolved.ownerIds.map((userId) => ({ userId })) },
    },
    select: { id: true, slug: true, status: true, version: true },
  });
  await writePorts(tx, product.id, spec, opts.sources, actor);
  await writeInputs(tx, product.id, resolved);
  await snapshot(tx, actor, product.id, "initial", opts.changelog?.trim() || "First version", "create");
  // Governance: evaluated as saved; publishing is refused (and everything rolled back) while a blocking policy fails.
  await evaluateAndGate(tx, product.id, { gate: publish, what: "This product cannot be published" });
  await recordAudit(tx, actor, {
    action: "product.created",
    target: { type: "product", id: product.id },
    after: {
      slug: product.slug,
      status: product.status,
      version: product.version,
      domain: spec.domain,
      ports: spec.outputPorts.map((p) => p.name),
      ...(opts.via ? { via: opts.via } : {}),
    },
  });
  if (publish)
    await recordAudit(tx, actor, { action: "product.published", target: { type: "product", id: product.id }, after: { version: product.version } });
  const job = await requestProvisioning(tx, actor, product.id, "created");
  return {
    id: product.id,
    slug: product.slug,
    version: product.version,
    status: product.status,
    changeLevel: "initial",
    created: true,
    changes: [],
    provisioningJobId: job.id,
  };
}

type ExistingRef = Prisma.DataProductGetPayload<{ select: typeof productRefSelect }>;

async function updateProduct(tx: Tx, { user, actor }: { user: Principal; actor: AuditActor }, existing: ExistingRef, spec: ProductSpec, opts: SaveOptions): Promise<SaveResult> {
  const ref = toProductRef(existing);
  if (!can(user, "product.read", ref)) {
    // The slug is taken by a product this user cannot see: say no more than that.
    throw new ConflictError(`The slug "${spec.slug}" is taken; choose another`);
  }
  demand(user, "product.update", ref, () => new ForbiddenError("Only the product's owners and its domain's stewards may change it"));
  if (ref.status === "retired") throw new ConflictError("A retired product cannot change");
  const resolved = await resolveSpec(tx, user, spec, existing.id);
  const current = await loadProductSpec(tx, existing.id);
  immutable(current.spec, spec);
  const changes = classifyChanges(current.spec, spec);
  const level = highestLevel(changes);
  const sourcesChanged = opts.sources !== undefined && JSON.stringify(opts.sources) !== JSON.stringify(current.sources);
  if (level === "none" && !sourcesChanged) throw new UserError("Nothing changed: the description matches the current version", { code: "no_change" });
  const isDraft = current.status === "draft";
  let version = current.version;
  if (!isDraft) {
    demand(user, "product.publish", ref, () => new ForbiddenError("You may not publish new versions of this product"));
    const effective: ChangeLevel = level === "none" ? "patch" : level;
    const suggested = bumpVersion(current.version, effective);
    version = opts.version?.trim() || suggested;
    const v = semverSchema.safeParse(version);
    if (!v.success) fail({ version: ["Use a version like 1.2.3"] });
    if (compareVersions(version, current.version) <= 0) fail({ version: [`The new version must be higher than ${current.version}`] });
    if (compareVersions(version, suggested) < 0)
      fail({ version: [`This is a ${effective} change: the version must be at least ${suggested}`] });
    if (effective === "major" && !opts.acknowledgeBreaking) {
      const breakingPorts = [...new Set(changes.filter((c) => c.level === "major" && c.port).map((c) => c.port!))];
      const affected = await affectedBy(tx, user, existing.id, breakingPorts);
      throw new BreakingChangeError(changes.filter((c) => c.level === "major"), affected, suggested);
    }
    const taken = await tx.productVersion.findUnique({ where: { productId_version: { productId: existing.id, version } }, select: { id: true } });
    if (taken) fail({ version: [`Version ${version} exists already`] });
  }
  const checks = runChecks(spec);
  if (!isDraft && blockingChecks(checks).length)
    throw new UserError("Fix the failing checks before publishing this change", {
      code: "checks_failed",
      fieldErrors: Object.fromEntries(blockingChecks(checks).map((c) => [c.path, [c.message]])),
    });
  await tx.dataProduct.update({
    where: { id: existing.id },
    data: {
      name: spec.name,
      summary: spec.summary,
      description: spec.description,
      ownerTeamId: resolved.teamId,
      tags: spec.tags,
      classification: spec.classification,
      version,
      ...(opts.sources ? { descriptorSource: json(opts.sources.product) ?? Prisma.DbNull } : {}),
    },
  });
  const ownerIds = resolvedOwnerIds(resolved, spec);
  await tx.productOwner.deleteMany({ where: { productId: existing.id, userId: { notIn: ownerIds } } });
  for (const userId of ownerIds)
    await tx.productOwner.upsert({ where: { productId_userId: { productId: existing.id, userId } }, create: { productId: existing.id, userId }, update: {} });
  await writePorts(tx, existing.id, spec, opts.sources, actor);
  await writeInputs(tx, existing.id, resolved);
  const changelog = opts.changelog?.trim() || summarize(changes);
  await snapshot(tx, actor, existing.id, isDraft ? "initial" : level === "none" ? "patch" : level, changelog, isDraft ? "replace" : "create");
  // Governance: a draft is evaluated and saved whatever the outcome; a new version is refused while a blocking policy fails.
  await evaluateAndGate(tx, existing.id, { gate: !isDraft, what: `Version ${version} cannot be published` });
  await recordAudit(tx, actor, {
    action: isDraft ? "product.updated" : "product.version_published",
    target: { type: "product", id: existing.id },
    before: { version: current.version },
    after: { version, level, changes: changes.map((c) => `${c.level}: ${c.message}`), ...(opts.via ? { via: opts.via } : {}) },
  });
  const provisioningRelevant = changes.some((c) => c.path.startsWith("outputPorts") && /removed|added|moved|changed type|Bucket/.test(c.message)) || changes.some((c) => c.path === "owners" || c.path === "team");
  const job = provisioningRelevant ? await requestProvisioning(tx, actor, existing.id, `version ${version}`) : null;
  return {
    id: existing.id,
    slug: spec.slug,
    version,
    status: current.status,
    changeLevel: isDraft ? "initial" : level,
    created: false,
    changes,
    provisioningJobId: job?.id ?? null,
  };
}

/** Owners of an update: those listed, or, if none are listed, the current editor (a product always has an owner). */
function resolvedOwnerIds(resolved: Resolved, spec: ProductSpec): string[] {
  const listed = resolved.owners.filter((o) => spec.owners.includes(o.email.toLowerCase())).map((o) => o.id);
  if (listed.length || spec.team) return listed;
  return resolved.ownerIds;
}

function summarize(changes: Change[]): string {
  if (!changes.length) return "Descriptor metadata updated";
  return changes
    .slice(0, 20)
    .map((c) => `- ${c.message}`)
    .join("\n")
    .concat(changes.length > 20 ? `\n- … and ${changes.length - 20} more` : "");
}

/** A breaking change attempted without acknowledging who it affects. */
export class BreakingChangeError extends UserError {
  static readonly kind: string = "BreakingChangeError";
  readonly changes: Change[];
  readonly affected: Affected;
  readonly requiredVersion: string;
  constructor(changes: Change[], affected: Affected, requiredVersion: string) {
    const who = affected.consumers.length + affected.downstream.length;
    super(
      `This change is breaking (${changes.length} breaking change${changes.length === 1 ? "" : "s"}) and affects ${who} consumer${who === 1 ? "" : "s"}. ` +
        `Publish it as ${requiredVersion} or later and confirm that you have seen who is affected.`,
      { status: 409, code: "breaking_change" },
    );
    this.name = "BreakingChangeError";
    this.changes = changes;
    this.affected = affected;
    this.requiredVersion = requiredVersion;
  }
}

// ---------------------------------------------------------------------------------------------
// Publishing a draft

export async function publishDraft(db: Db, ctx: { user: Principal; actor: AuditActor }, slug: string) {
  return db.$transaction(async (tx) => {
    const p = await tx.dataProduct.findUnique({ where: { slug }, select: productRefSelect });
    if (!p || !can(ctx.user, "product.read", toProductRef(p))) throw new NotFoundError("No such product");
    const ref = toProductRef(p);
    demand(ctx.user, "product.publish", ref, () => new ForbiddenError("Only the product's owners and its domain's stewards may publish it"));
    if (ref.status !== "draft") throw new ConflictError(`The product is ${ref.status}, not a draft`);
    const loaded = await loadProductSpec(tx, p.id);
    const blocking = blockingChecks(runChecks(loaded.spec));
    if (blocking.length)
      throw new UserError(`Fix the failing checks before publishing: ${blocking.map((c) => c.message).join("; ")}`, { code: "checks_failed" });
    const now = new Date();
    await tx.dataProduct.update({ where: { id: p.id }, data: { status: "published", publishedAt: now } });
    await snapshot(tx, ctx.actor, p.id, "initial", "Published", "replace");
    await evaluateAndGate(tx, p.id, { gate: true, what: "This product cannot be published" });
    await recordAudit(tx, ctx.actor, {
      action: "product.published",
      target: { type: "product", id: p.id },
      before: { status: "draft" },
      after: { status: "published", version: loaded.version },
    });
    return { slug, version: loaded.version, status: "published" as const };
  });
}
