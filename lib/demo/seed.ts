// Writes the demo mesh (lib/demo/mesh.ts + lib/demo/personas.ts) into an empty catalogue.
//
// - Idempotent: does nothing when any domain exists.
// - The static content is validated first (unknown e-mails, slugs, ports, duplicates, cycles…), so a
//   typo in mesh.ts fails loudly with a clear message instead of seeding half a mesh.
// - Everything is written in ONE flat interactive transaction with createMany (ids are generated
//   here, so no read-backs are needed). The PGlite adapter does not support nested transactions.

import { randomUUID } from "node:crypto";
import { buildDescriptors } from "@/lib/descriptors/build";
import { descriptorMeta } from "@/lib/descriptors/meta";
import { fnv1a } from "@/lib/hash";
import { seedDemoLineage } from "@/lib/demo/lineage";
import { seedDefaultPolicies } from "@/lib/governance/policies";
import { evaluateProduct, type PolicyCache } from "@/lib/governance/service";
import { loadProductSpec } from "@/lib/products/service";
import { ACCESS_GRANT_JOB, grantJobKey } from "@/lib/access/jobs";
import { contractSpec, logicalTypeOf, PURPOSE_CATEGORIES } from "@/lib/products/spec";
import type { Prisma, PrismaClient } from "../db/generated/client";
import {
  DEMO_ACCESS_REQUESTS,
  DEMO_DEPENDENCIES,
  DEMO_DOMAIN_MEMBERS,
  DEMO_DOMAINS,
  DEMO_PRODUCTS,
  DEMO_TEAMS,
  DEMO_USERS,
  type DemoAccessRequest,
  type DemoContract,
  type DemoDependency,
  type DemoDomain,
  type DemoDomainMember,
  type DemoProduct,
  type DemoRequestStatus,
  type DemoTeam,
  type DemoUser,
} from "./mesh";
import { DEMO_PERSONAS, type DemoPersona } from "./personas";

export interface SeedDemoMeshOptions {
  /** Reference time for all relative dates (defaults to the current time). */
  now?: Date;
}

export interface SeedDemoMeshResult {
  seeded: boolean;
  products: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/** Thrown when the static demo content is inconsistent. */
export class DemoMeshError extends Error {
  constructor(message: string) {
    super(`Invalid demo mesh (lib/demo/mesh.ts / personas.ts): ${message}`);
    this.name = "DemoMeshError";
  }
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new DemoMeshError(message);
}

/**
 * What most table ports promise: the key is never null or duplicated, the table is not empty, and the
 * data is at most a day old. The products listed here have not written their guarantees down yet, so
 * the governance scorecards show a mesh that is mostly, not entirely, compliant.
 */
const CONTRACT_GAPS = new Set(["sales-forecast-v2", "legacy-pos-transactions", "cost-to-serve", "warehouse-inventory"]);

function tableGuarantees(fields: readonly { name: string; primaryKey: boolean }[]): Prisma.JsonObject {
  const keys = fields.filter((f) => f.primaryKey).map((f) => f.name);
  const keyChecks = keys.length === 1
    ? [
        { metric: "nullValues", column: keys[0], operator: "mustBe", threshold: 0, query: "", description: "Every row has a key." },
        { metric: "duplicateValues", column: keys[0], operator: "mustBe", threshold: 0, query: "", description: "Keys are unique." },
      ]
    : [];
  return {
    quality: [...keyChecks, { metric: "rowCount", column: "", operator: "mustBeGreaterThan", threshold: 0, query: "", description: "The table is not empty." }],
    sla: [{ property: "freshness", value: 24, unit: "h", element: "" }],
  };
}

/** A port's demo contract as Canopy stores it (validated like any contract). */
function demoContract(contract: DemoContract, where: string) {
  const parsed = contractSpec.safeParse(contract);
  check(parsed.success, `${where}: invalid contract: ${parsed.error?.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
  return parsed.data;
}

/** Small deterministic hash so dates look varied but stay stable between runs. */
const hash = fnv1a;

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SNAKE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
const SEMVER = /^\d+\.\d+\.\d+$/;
const TAG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const DECIDED_STATUSES: ReadonlySet<DemoRequestStatus> = new Set([
  "approved",
  "rejected",
  "provisioning",
  "active",
  "expired",
  "revoked",
  "failed",
]);
/** Statuses of a request that was approved (and became a grant). */
const GRANTED_STATUSES: ReadonlySet<DemoRequestStatus> = new Set(["approved", "provisioning", "active", "expired", "revoked", "failed"]);
const REVISION: Record<DemoRequestStatus, number> = {
  pending: 0,
  cancelled: 1,
  approved: 1,
  rejected: 1,
  provisioning: 2,
  failed: 3,
  active: 3,
  expired: 4,
  revoked: 4,
};

/** All rows to insert, with ids assigned. Built (and validated) without touching the database. */
export interface DemoMeshPlan {
  users: Prisma.UserCreateManyInput[];
  domains: Prisma.DomainCreateManyInput[];
  domainMembers: Prisma.DomainMemberCreateManyInput[];
  teams: Prisma.TeamCreateManyInput[];
  teamMembers: Prisma.TeamMemberCreateManyInput[];
  products: Prisma.DataProductCreateManyInput[];
  productOwners: Prisma.ProductOwnerCreateManyInput[];
  ports: Prisma.OutputPortCreateManyInput[];
  fields: Prisma.SchemaFieldCreateManyInput[];
  dependencies: Prisma.ProductDependencyCreateManyInput[];
  accessRequests: Prisma.AccessRequestCreateManyInput[];
  accessApprovals: Prisma.AccessApprovalCreateManyInput[];
  /** The history of the access requests (their pages show it as a timeline). */
  accessEvents: Prisma.AuditEventCreateManyInput[];
  /** Outbox jobs of grants still being set up. */
  jobs: Prisma.JobCreateManyInput[];
}

/** The static content the plan is built from (defaults to lib/demo/mesh.ts + personas.ts). */
export interface DemoMeshContent {
  personas: readonly DemoPersona[];
  users: readonly DemoUser[];
  domains: readonly DemoDomain[];
  domainMembers: readonly DemoDomainMember[];
  teams: readonly DemoTeam[];
  products: readonly DemoProduct[];
  dependencies: readonly DemoDependency[];
  accessRequests: readonly DemoAccessRequest[];
}

export const DEMO_MESH: DemoMeshContent = {
  personas: DEMO_PERSONAS,
  users: DEMO_USERS,
  domains: DEMO_DOMAINS,
  domainMembers: DEMO_DOMAIN_MEMBERS,
  teams: DEMO_TEAMS,
  products: DEMO_PRODUCTS,
  dependencies: DEMO_DEPENDENCIES,
  accessRequests: DEMO_ACCESS_REQUESTS,
};

/**
 * Validates the static demo content and turns it into insertable rows.
 * Throws DemoMeshError on the first inconsistency found.
 */
export function buildDemoMeshPlan(now: Date = new Date(), content: DemoMeshContent = DEMO_MESH): DemoMeshPlan {
  const t0 = now.getTime();
  const ago = (days: number, hours = 0) => new Date(t0 - days * DAY_MS - hours * HOUR_MS);
  const meshStart = ago(720);

  // --- users -------------------------------------------------------------------------------
  const userIds = new Map<string, string>();
  const users: Prisma.UserCreateManyInput[] = [];
  const addUser = (email: string, name: string, roles: "platform_admin"[]) => {
    check(/^[a-z0-9.+-]+@[a-z0-9.-]+\.[a-z]+$/.test(email), `malformed e-mail "${email}"`);
    check(!userIds.has(email), `duplicate user e-mail "${email}"`);
    const id = randomUUID();
    userIds.set(email, id);
    users.push({ id, email, name, provider: "demo", roles: [...roles], createdAt: ago(600 - (hash(email) % 200)) });
  };
  for (const p of content.personas) addUser(p.email, p.name, p.globalRoles);
  for (const u of content.users) addUser(u.email, u.name, []);
  const userId = (email: string, where: string) => {
    const id = userIds.get(email);
    check(id, `unknown user e-mail "${email}" in ${where}`);
    return id;
  };

  // --- domains ------------------------------------------------------------------------------
  const domainIds = new Map<string, string>();
  const domains: Prisma.DomainCreateManyInput[] = [];
  for (const d of content.domains) {
    check(KEBAB.test(d.slug), `domain slug "${d.slug}" is not kebab-case`);
    check(!domainIds.has(d.slug), `duplicate domain slug "${d.slug}"`);
    check(d.name.trim() && d.description.trim(), `domain "${d.slug}" needs a name and a description`);
    const id = randomUUID();
    domainIds.set(d.slug, id);
    domains.push({ id, slug: d.slug, name: d.name, description: d.description, createdAt: meshStart });
  }
  const domainId = (slug: string, where: string) => {
    const id = domainIds.get(slug);
    check(id, `unknown domain "${slug}" in ${where}`);
    return id;
  };

  // --- domain members (personas merged in; steward wins over member) --------------------------
  const roleByMembership = new Map<string, { domainId: string; userId: string; role: "steward" | "member" }>();
  const addMembership = (domain: string, email: string, role: "steward" | "member", where: string) => {
    const key = `${domain}|${email}`;
    const entry = { domainId: domainId(domain, where), userId: userId(email, where), role };
    const existing = roleByMembership.get(key);
    if (!existing || role === "steward") roleByMembership.set(key, entry);
  };
  for (const m of content.domainMembers) addMembership(m.domain, m.email, m.role, `domain members (${m.domain})`);
  for (const p of content.personas) {
    for (const d of p.memberOf) addMembership(d, p.email, "member", `persona "${p.key}".memberOf`);
    for (const d of p.stewardOf) addMembership(d, p.email, "steward", `persona "${p.key}".stewardOf`);
  }
  const domainMembers: Prisma.DomainMemberCreateManyInput[] = [...roleByMembership.values()].map((m) => ({
    ...m,
    source: "catalogue",
  }));
  for (const d of content.domains) {
    const id = domainIds.get(d.slug);
    const stewards = domainMembers.filter((m) => m.domainId === id && m.role === "steward").length;
    check(stewards === 1, `domain "${d.slug}" has ${stewards} stewards, expected exactly one`);
  }

  // --- teams --------------------------------------------------------------------------------
  const teamIds = new Map<string, string>();
  const teamDomain = new Map<string, string | null>();
  const teams: Prisma.TeamCreateManyInput[] = [];
  const teamMemberKeys = new Set<string>();
  const teamMembers: Prisma.TeamMemberCreateManyInput[] = [];
  for (const t of content.teams) {
    check(KEBAB.test(t.slug), `team slug "${t.slug}" is not kebab-case`);
    check(!teamIds.has(t.slug), `duplicate team slug "${t.slug}"`);
    const id = randomUUID();
    teamIds.set(t.slug, id);
    teamDomain.set(t.slug, t.domain);
    teams.push({ id, slug: t.slug, name: t.name, domainId: t.domain === null ? null : domainId(t.domain, `team "${t.slug}"`) });
  }
  const addTeamMember = (team: string, email: string, where: string) => {
    const teamId = teamIds.get(team);
    check(teamId, `unknown team "${team}" in ${where}`);
    const uid = userId(email, where);
    const key = `${teamId}|${uid}`;
    if (teamMemberKeys.has(key)) return;
    teamMemberKeys.add(key);
    teamMembers.push({ teamId, userId: uid });
  };
  for (const t of content.teams) for (const email of t.members) addTeamMember(t.slug, email, `team "${t.slug}" members`);
  for (const p of content.personas) for (const team of p.teams) addTeamMember(team, p.email, `persona "${p.key}".teams`);

  // --- products, owners, ports, fields ----------------------------------------------------------
  const productIds = new Map<string, string>();
  const productCreatedAt = new Map<string, Date>();
  const portIds = new Map<string, string>(); // "product/port" -> id
  const portInfo = new Map<string, { contract: DemoContract; owners: readonly string[] }>();
  const products: Prisma.DataProductCreateManyInput[] = [];
  const productOwners: Prisma.ProductOwnerCreateManyInput[] = [];
  const ports: Prisma.OutputPortCreateManyInput[] = [];
  const fields: Prisma.SchemaFieldCreateManyInput[] = [];

  for (const p of content.products) {
    const where = `product "${p.slug}"`;
    check(KEBAB.test(p.slug), `${where}: slug is not kebab-case`);
    check(!productIds.has(p.slug), `duplicate product slug "${p.slug}"`);
    check(p.name.trim() && p.summary.trim(), `${where}: name and summary are required`);
    const descLines = p.description.split("\n").filter((l) => l.trim()).length;
    check(descLines >= 2 && descLines <= 6, `${where}: description has ${descLines} lines, expected 2–6`);
    check(SEMVER.test(p.version), `${where}: version "${p.version}" is not semver`);
    check(p.tags.length >= 2 && p.tags.length <= 5, `${where}: needs 2–5 tags, has ${p.tags.length}`);
    check(new Set(p.tags).size === p.tags.length, `${where}: duplicate tags`);
    for (const tag of p.tags) check(TAG.test(tag), `${where}: tag "${tag}" must be lower-case kebab-case`);
    const dId = domainId(p.domain, where);
    const ownerTeamId = teamIds.get(p.ownerTeam);
    check(ownerTeamId, `unknown team "${p.ownerTeam}" in ${where}`);
    const td = teamDomain.get(p.ownerTeam);
    check(td === null || td === p.domain, `${where}: owner team "${p.ownerTeam}" belongs to domain "${td}", not "${p.domain}"`);
    check(p.owners.length > 0, `${where}: needs at least one owner`);
    check(new Set(p.owners).size === p.owners.length, `${where}: duplicate owners`);
    check(p.ports.length >= 1 && p.ports.length <= 3, `${where}: needs 1–3 output ports, has ${p.ports.length}`);

    const id = randomUUID();
    productIds.set(p.slug, id);
    const h = hash(p.slug);
    const createdAt = p.status === "draft" ? ago(30 + (h % 40), h % 9) : ago(120 + (h % 480), h % 9);
    const publishedAt = p.status === "draft" ? null : new Date(createdAt.getTime() + (5 + (h % 12)) * DAY_MS);
    const updatedAt = p.status === "draft" ? ago(h % 4, (h >>> 4) % 9) : ago(1 + ((h >>> 3) % 40), (h >>> 4) % 9);
    productCreatedAt.set(p.slug, createdAt);
    products.push({
      id,
      slug: p.slug,
      name: p.name,
      summary: p.summary,
      description: p.description,
      domainId: dId,
      ownerTeamId,
      status: p.status,
      version: p.version,
      tags: [...p.tags],
      classification: p.classification,
      createdAt,
      updatedAt,
      publishedAt,
    });
    for (const email of p.owners) productOwners.push({ productId: id, userId: userId(email, `${where} owners`) });

    const portNames = new Set<string>();
    for (const port of p.ports) {
      const pw = `${where}, port "${port.name}"`;
      check(KEBAB.test(port.name), `${pw}: name is not kebab-case`);
      check(!portNames.has(port.name), `${pw}: duplicate port name`);
      portNames.add(port.name);
      check(port.description.trim(), `${pw}: description is required`);
      switch (port.type) {
        case "trino_table":
          check(/^iceberg\.[a-z_]+\.[a-z0-9_]+$/.test(port.location), `${pw}: trino location "${port.location}" must be iceberg.<schema>.<table>`);
          check(
            port.fields.length >= 6 && port.fields.length <= 20,
            `${pw}: trino tables need 6–20 columns, has ${port.fields.length}`,
          );
          break;
        case "s3_bucket":
          check(/^s3:\/\/[a-z0-9.-]+\/.+\/$/.test(port.location), `${pw}: s3 location "${port.location}" must be s3://bucket/prefix/`);
          break;
        case "api":
          check(/^https:\/\/[a-z0-9.-]+\.canopy\.demo\//.test(port.location), `${pw}: api location must be an https URL on *.canopy.demo`);
          check(port.fields.length === 0, `${pw}: api ports have no columns`);
          break;
      }
      const portId = randomUUID();
      portIds.set(`${p.slug}/${port.name}`, portId);
      portInfo.set(`${p.slug}/${port.name}`, { contract: port.contract ?? {}, owners: p.owners });
      for (const email of [...(port.contract?.approvers ?? []), ...(port.contract?.secondLevelApprovers ?? [])]) userId(email, `${pw} contract approvers`);
      ports.push({
        id: portId,
        productId: id,
        name: port.name,
        type: port.type,
        location: port.location,
        description: port.description,
        classification: port.classification ?? null,
        // Buckets carry their size limit in the contract (it becomes the ObjectBucketClaim's maxSize).
        contract: {
          ...(port.contract ? (demoContract(port.contract, pw) as Prisma.JsonObject) : {}),
          ...(port.type === "trino_table" && !CONTRACT_GAPS.has(p.slug) ? tableGuarantees(port.fields) : {}),
          ...(port.type === "s3_bucket" ? { bucket: { maxSizeGiB: 500 } } : {}),
        },
        createdAt,
      });
      const fieldNames = new Set<string>();
      port.fields.forEach((f, i) => {
        const fw = `${pw}, column "${f.name}"`;
        check(SNAKE.test(f.name), `${fw}: name is not snake_case`);
        check(!fieldNames.has(f.name), `${fw}: duplicate column`);
        fieldNames.add(f.name);
        check(f.type.trim() && f.description.trim(), `${fw}: type and description are required`);
        check(!f.pii || f.classification === "confidential" || f.classification === "restricted", `${fw}: PII must be confidential or restricted`);
        check(!(f.primaryKey && f.nullable), `${fw}: primary key cannot be nullable`);
        fields.push({
          portId,
          name: f.name,
          type: f.type,
          logicalType: logicalTypeOf(f.type),
          description: f.description,
          classification: f.classification,
          pii: f.pii,
          nullable: f.nullable,
          primaryKey: f.primaryKey,
          position: i + 1,
        });
      });
    }
  }
  const portId = (product: string, port: string, where: string) => {
    check(productIds.has(product), `unknown product "${product}" in ${where}`);
    const id = portIds.get(`${product}/${port}`);
    check(id, `unknown port "${port}" of product "${product}" in ${where}`);
    return id;
  };

  // --- dependencies (must form a DAG) ------------------------------------------------------
  const dependencies: Prisma.ProductDependencyCreateManyInput[] = [];
  const depKeys = new Set<string>();
  const upstreamOf = new Map<string, Set<string>>();
  for (const d of content.dependencies) {
    const where = `dependency ${d.product} ← ${d.upstreamProduct}/${d.upstreamPort}`;
    const consumerId = productIds.get(d.product);
    check(consumerId, `unknown product "${d.product}" in ${where}`);
    const upstreamPortId = portId(d.upstreamProduct, d.upstreamPort, where);
    check(d.product !== d.upstreamProduct, `${where}: a product cannot depend on itself`);
    check(KEBAB.test(d.inputName), `${where}: input name "${d.inputName}" is not kebab-case`);
    check(!depKeys.has(`${d.product}|in:${d.inputName}`), `${where}: duplicate input name "${d.inputName}"`);
    check(!depKeys.has(`${d.product}|up:${upstreamPortId}`), `${where}: duplicate dependency`);
    depKeys.add(`${d.product}|in:${d.inputName}`);
    depKeys.add(`${d.product}|up:${upstreamPortId}`);
    if (!upstreamOf.has(d.product)) upstreamOf.set(d.product, new Set());
    upstreamOf.get(d.product)!.add(d.upstreamProduct);
    const createdAt = productCreatedAt.get(d.product)!;
    dependencies.push({ productId: consumerId, inputName: d.inputName, upstreamPortId, createdAt });
  }
  const state = new Map<string, "visiting" | "done">();
  const visit = (slug: string, path: string[]) => {
    if (state.get(slug) === "done") return;
    check(state.get(slug) !== "visiting", `dependency cycle: ${[...path, slug].join(" → ")}`);
    state.set(slug, "visiting");
    for (const up of upstreamOf.get(slug) ?? []) visit(up, [...path, slug]);
    state.set(slug, "done");
  };
  for (const slug of upstreamOf.keys()) visit(slug, []);

  // --- access requests ----------------------------------------------------------------------
  // Each request carries its approval steps (from the port's contract), its approvals and the audit
  // events of its history, so its page shows a timeline; a grant still being set up has its job.
  const accessRequests: Prisma.AccessRequestCreateManyInput[] = [];
  const accessApprovals: Prisma.AccessApprovalCreateManyInput[] = [];
  const accessEvents: Prisma.AuditEventCreateManyInput[] = [];
  const jobs: Prisma.JobCreateManyInput[] = [];
  content.accessRequests.forEach((r, i) => {
    const where = `access request #${i + 1} (${r.requester} → ${r.product}/${r.port})`;
    const requesterId = userId(r.requester, where);
    const reqPortId = portId(r.product, r.port, where);
    const info = portInfo.get(`${r.product}/${r.port}`)!;
    check(r.purpose.trim().length >= 20, `${where}: purpose is too short`);
    check(r.purposeCategory === undefined || Object.prototype.hasOwnProperty.call(PURPOSE_CATEGORIES, r.purposeCategory), `${where}: unknown purpose category "${r.purposeCategory}"`);
    check(r.createdDaysAgo >= 0 && r.createdDaysAgo <= 60, `${where}: createdDaysAgo out of range`);
    const decided = DECIDED_STATUSES.has(r.status);
    check(decided === Boolean(r.decidedBy), `${where}: status "${r.status}" ${decided ? "needs" : "must not have"} decidedBy`);
    if (decided || r.status === "cancelled") {
      check(
        r.decidedDaysAgo !== undefined && r.decidedDaysAgo >= 0 && r.decidedDaysAgo <= r.createdDaysAgo,
        `${where}: decidedDaysAgo must be between 0 and createdDaysAgo`,
      );
    }
    let principalRef = requesterId;
    if (r.principal?.type === "product") {
      check(productIds.has(r.principal.ref), `unknown product "${r.principal.ref}" as principal in ${where}`);
      principalRef = r.principal.ref;
    } else if (r.principal?.type === "group") {
      check(KEBAB.test(r.principal.ref), `${where}: group name "${r.principal.ref}" is not kebab-case`);
      principalRef = r.principal.ref;
    }

    // Approval steps, as the contract names them when the request is made.
    const approverIds = (info.contract.approvers ?? []).map((e) => userId(e, `${where} approvers`));
    const secondIds = (info.contract.secondLevelApprovers ?? []).map((e) => userId(e, `${where} second-level approvers`));
    const levels = secondIds.length ? 2 : 1;
    const granted = GRANTED_STATUSES.has(r.status);
    const atStep2 = levels === 2 && (granted || (r.status === "pending" && r.firstStepBy !== undefined));
    let firstStepId: string | null = null;
    if (atStep2) {
      const decider = r.decidedBy;
      const first = r.firstStepBy ?? [...(info.contract.approvers ?? []), ...info.owners].find((e) => e !== decider && e !== r.requester);
      check(first, `${where}: no one to have approved step 1`);
      check(first !== decider && first !== r.requester, `${where}: step 1 needs someone other than the requester and the final decider`);
      firstStepId = userId(first, `${where} firstStepBy`);
    } else check(r.firstStepBy === undefined, `${where}: firstStepBy is only for requests past step 1 of a two-step port`);

    const h = hash(`${r.requester}/${r.product}/${r.port}`);
    const createdAt = ago(r.createdDaysAgo, h % 7);
    const closedAt = r.decidedDaysAgo === undefined ? createdAt : ago(r.decidedDaysAgo, (h >>> 3) % 5);
    let decidedAt = decided ? closedAt : null;
    let revokedAt: Date | null = null;
    let expiresAt: Date | null = null;
    if (r.status === "active" || r.status === "expired" || r.status === "provisioning") {
      expiresAt = new Date(closedAt.getTime() + r.durationDays * DAY_MS);
    } else if (r.status === "revoked") {
      // Approved the day after it was asked for; revoked (closedAt) before the grant ran out.
      decidedAt = new Date(createdAt.getTime() + DAY_MS);
      expiresAt = new Date(decidedAt.getTime() + r.durationDays * DAY_MS);
      revokedAt = closedAt;
    }
    if (r.status === "active") check(expiresAt!.getTime() > t0, `${where}: an active grant must expire in the future`);
    if (r.status === "expired") check(expiresAt!.getTime() <= t0, `${where}: an expired grant must have expired before now`);
    if (r.status === "revoked") check(expiresAt!.getTime() > closedAt.getTime(), `${where}: revoked after the grant had already expired`);
    const updatedAt = r.status === "expired" ? expiresAt! : closedAt;
    const firstStepAt = firstStepId ? new Date(createdAt.getTime() + (decidedAt ? (decidedAt.getTime() - createdAt.getTime()) / 2 : HOUR_MS * 20)) : null;
    if (firstStepAt) check(firstStepAt.getTime() <= t0, `${where}: step 1 approved in the future`);
    const deciderId = r.decidedBy ? userId(r.decidedBy, where) : null;
    const piiPurposes = info.contract.piiPurposes ?? [];

    const id = randomUUID();
    const level = atStep2 ? 2 : 1;
    accessRequests.push({
      id,
      portId: reqPortId,
      requesterId,
      principalType: r.principal?.type ?? "user",
      principalRef,
      purpose: r.purpose,
      purposeCategory: r.purposeCategory ?? null,
      durationDays: r.durationDays,
      status: r.status,
      decidedById: deciderId,
      // A revocation's reason is in its audit event; the decision note is the approver's.
      decisionNote: r.status === "revoked" ? null : (r.decisionNote ?? null),
      decidedAt,
      expiresAt,
      termsAcceptedAt: createdAt,
      level,
      levels,
      // The second step's approvers take over once step 1 is approved.
      approverIds: level === 2 ? secondIds : approverIds,
      secondApproverIds: level === 2 ? [] : secondIds,
      piiUnmasked: granted && r.purposeCategory !== undefined && piiPurposes.includes(r.purposeCategory),
      revokedAt,
      revokedById: revokedAt ? deciderId : null,
      revision: REVISION[r.status] + (atStep2 ? 1 : 0),
      createdAt,
      updatedAt,
    });

    const event = (at: Date, actorEmail: string, action: string, after: Prisma.InputJsonValue) =>
      accessEvents.push({ at, actorId: userId(actorEmail, where), actorLabel: actorEmail, action, targetType: "access_request", targetId: id, after });
    event(createdAt, r.requester, "access.requested", {
      product: r.product,
      port: r.port,
      principal: { type: r.principal?.type ?? "user", ref: principalRef },
      purpose: r.purpose,
      purposeCategory: r.purposeCategory ?? null,
      durationDays: r.durationDays,
      levels,
    });
    if (firstStepId && firstStepAt) {
      accessApprovals.push({ requestId: id, level: 1, decision: "approved", deciderId: firstStepId, createdAt: firstStepAt });
      const firstEmail = users.find((u) => u.id === firstStepId)!.email;
      event(firstStepAt, firstEmail, "access.step_approved", { status: "pending", level: 1, levels, nextLevel: 2 });
    }
    if (r.status === "cancelled") event(closedAt, r.requester, "access.cancelled", { status: "cancelled" });
    if (decidedAt && r.decidedBy) {
      const rejected = r.status === "rejected";
      accessApprovals.push({ requestId: id, level, decision: rejected ? "rejected" : "approved", deciderId, note: r.status === "revoked" ? "" : (r.decisionNote ?? ""), createdAt: decidedAt });
      event(decidedAt, r.decidedBy, rejected ? "access.rejected" : "access.approved", {
        status: rejected ? "rejected" : "provisioning",
        level,
        levels,
        ...(r.decisionNote && r.status !== "revoked" ? { note: r.decisionNote } : {}),
      });
    }
    if (revokedAt && r.decidedBy) event(revokedAt, r.decidedBy, "access.revoked", { status: "revoked", ...(r.decisionNote ? { note: r.decisionNote } : {}) });
    if (r.status === "provisioning")
      jobs.push({
        kind: ACCESS_GRANT_JOB,
        payload: { requestId: id },
        idempotencyKey: grantJobKey(id, REVISION[r.status] + (atStep2 ? 1 : 0)),
        targetType: "access_request",
        targetId: id,
        runAt: now,
        createdAt: closedAt,
        updatedAt: closedAt,
      });
  });

  return {
    users,
    domains,
    domainMembers,
    teams,
    teamMembers,
    products,
    productOwners,
    ports,
    fields,
    dependencies,
    accessRequests,
    accessApprovals,
    accessEvents,
    jobs,
  };
}

/**
 * Seeds the demo mesh into an empty catalogue. Returns `{ seeded: false }` (and writes nothing)
 * when any domain already exists.
 */
export async function seedDemoMesh(db: PrismaClient, opts: SeedDemoMeshOptions = {}): Promise<SeedDemoMeshResult> {
  // Validate first, so broken content fails loudly even on an already-seeded database.
  const plan = buildDemoMeshPlan(opts.now ?? new Date());

  if ((await db.domain.count()) > 0) return { seeded: false, products: 0 };

  return db.$transaction(
    async (tx) => {
      // Re-check inside the transaction in case another process seeded meanwhile.
      if (await tx.domain.findFirst({ select: { id: true } })) return { seeded: false, products: 0 };

      await tx.user.createMany({ data: plan.users });
      await tx.domain.createMany({ data: plan.domains });
      await tx.domainMember.createMany({ data: plan.domainMembers });
      await tx.team.createMany({ data: plan.teams });
      await tx.teamMember.createMany({ data: plan.teamMembers });
      await tx.dataProduct.createMany({ data: plan.products });
      await tx.productOwner.createMany({ data: plan.productOwners });
      await tx.outputPort.createMany({ data: plan.ports });
      await tx.schemaField.createMany({ data: plan.fields });
      await tx.productDependency.createMany({ data: plan.dependencies });
      await tx.accessRequest.createMany({ data: plan.accessRequests });
      await tx.accessApproval.createMany({ data: plan.accessApprovals });
      await tx.auditEvent.createMany({ data: plan.accessEvents });
      if (plan.jobs.length) await tx.job.createMany({ data: plan.jobs });
      // Each product's current state is its first recorded version.
      for (const p of plan.products) {
        const loaded = await loadProductSpec(tx, p.id!);
        const built = buildDescriptors(loaded.spec, await descriptorMeta(tx, loaded), loaded.sources);
        await tx.productVersion.create({
          data: {
            productId: p.id!,
            version: loaded.version,
            changeLevel: "initial",
            changelog: "Imported into Canopy",
            spec: loaded.spec as unknown as Prisma.InputJsonValue,
            descriptor: built.odps as Prisma.InputJsonValue,
            contracts: built.contracts as unknown as Prisma.InputJsonValue,
            createdAt: p.createdAt,
          },
        });
      }
      // Table and column lineage behind the Trino ports (dbt and manual edges).
      await seedDemoLineage(tx, { now: opts.now });
      // The default policies (when the table is still empty) and each product's first evaluation against them.
      await seedDefaultPolicies(tx, { now: opts.now });
      const cache: PolicyCache = new Map();
      for (const p of plan.products) await evaluateProduct(tx, p.id!, "manual", { cache, now: opts.now ?? new Date() });
      await tx.auditEvent.create({
        data: {
          actorLabel: "system",
          action: "demo.seed",
          targetType: "catalogue",
          targetId: "demo-mesh",
          after: { products: plan.products.length, domains: plan.domains.length },
        },
      });
      return { seeded: true, products: plan.products.length };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
