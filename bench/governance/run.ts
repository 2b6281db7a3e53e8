import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import Ajv2019 from "ajv/dist/2019";
import addFormats from "ajv-formats";
import { createPgliteHandle, openPglite } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { buildDescriptors, type DescriptorMeta } from "@/lib/descriptors/build";
import odcsSchema from "@/lib/descriptors/schemas/odcs-json-schema-v3.1.0.json";
import odpsSchema from "@/lib/descriptors/schemas/odps-json-schema-v1.0.0.json";
import { seedDemoMesh } from "@/lib/demo/seed";
import { DEFAULT_POLICIES } from "@/lib/governance/defaults";
import { buildProductDocument, type ProductDocument, type ProductFacts } from "@/lib/governance/document";
import { evaluateRulesPolicies, type EvaluablePolicy } from "@/lib/governance/evaluate";
import { effectiveParams } from "@/lib/governance/rules";
import { reevaluateProducts } from "@/lib/governance/service";
import type { ProductSpec } from "@/lib/products/spec";
import { generateMesh, hash32, type Mesh, type ProductRow } from "../search/generate";

/**
 * `npm run bench:governance -- --products 10000`
 *
 * How fast the policy engine evaluates a mesh. Generates N products deterministically (the search
 * benchmark's generator, read-only, turned into product specs with synthetic contracts and, for a
 * third of them, a previous version), builds each product document (spec + ODPS + ODCS + change
 * since the previous version), then times per product:
 *   - evaluate: every default product policy (rules engine) against the document;
 *   - baseline "json-schema": validating the same product's ODPS and ODCS documents against the
 *     official JSON Schemas with Ajv (compiled once) — the usual way descriptors get checked;
 *   - document build, for the cost of preparing what is evaluated.
 * Then the real path on a database: re-evaluating the seeded demo mesh through
 * `reevaluateProducts` (per product: load from PGlite, build, evaluate, store), the job a policy
 * change runs. Results go to stdout and bench/governance/results/.
 */

const { values } = parseArgs({
  options: {
    products: { type: "string", default: "10000" },
    seed: { type: "string", default: "42" },
    warmup: { type: "string", default: "1000" },
    "skip-db": { type: "boolean", default: false },
    "out-dir": { type: "string", default: "bench/governance/results" },
  },
});

const N = Number(values.products);
const SEED = Number(values.seed);
const WARMUP = Math.min(Number(values.warmup), N);

type Stats = { totalMs: number; p50: number; p95: number; p99: number; max: number; perSecond: number };

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const totalMs = samples.reduce((a, b) => a + b, 0);
  return { totalMs, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1)!, perSecond: (samples.length / totalMs) * 1000 };
}

/** A full garbage collection between phases when node runs with --expose-gc (the npm script does), so one phase's garbage is not billed to the next. */
const collect = () => (globalThis as { gc?: () => void }).gc?.();

const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);

// ---------------------------------------------------------------------------------------------
// Mesh → product specs

const SLA_UNITS = ["h", "d", "m"] as const;

function toSpec(mesh: Mesh, p: ProductRow): ProductSpec {
  const domain = mesh.domains[p.domainIndex]!;
  const team = mesh.teams[p.teamIndex]!;
  return {
    name: p.name,
    slug: p.slug,
    domain: domain.slug,
    team: team.slug,
    owners: p.ownerUserIndexes.map((u) => mesh.users[u]!.email),
    summary: p.summary,
    description: p.description,
    tags: p.tags,
    classification: p.classification,
    outputPorts: p.ports.map((port, k) => {
      const h = hash32(SEED, 31, p.index, k);
      return {
        name: port.name,
        type: port.type,
        location: port.location,
        description: port.description,
        ...(port.classification ? { classification: port.classification } : {}),
        contractId: port.contractId,
        columns: port.columns.map((c) => ({
          name: c.name,
          physicalType: c.type,
          logicalType: c.logicalType as ProductSpec["outputPorts"][number]["columns"][number]["logicalType"],
          description: c.description,
          classification: c.classification,
          pii: c.pii,
          required: !c.nullable,
          primaryKey: c.primaryKey,
        })),
        ...(port.type === "s3_bucket" ? { bucket: { maxSizeGiB: 50 + (h % 500) } } : {}),
        contract: {
          // Most ports have checks and a freshness SLA; some do not, so policies fail realistically.
          quality:
            h % 10 < 7
              ? port.columns
                  .filter((c) => c.primaryKey)
                  .slice(0, 2)
                  .map((c) => ({ metric: "nullValues" as const, column: c.name, operator: "mustBe" as const, threshold: 0, query: "", description: "" }))
              : [],
          sla: h % 10 < 8 ? [{ property: "freshness" as const, value: 1 + (h % 24), unit: SLA_UNITS[h % 3]!, element: "" }] : [],
          terms: { purpose: "Analysis and reporting", limitations: "", usage: "" },
          approvers: [],
          secondLevelApprovers: [],
          piiPurposes: [],
        },
      };
    }),
    inputs: [],
  };
}

/** A third of the products have a previous version: the same spec minus a column (breaking) or plus nothing. */
function factsOf(p: ProductRow, spec: ProductSpec): ProductFacts {
  const h = hash32(SEED, 77, p.index);
  if (h % 3 !== 0 || p.status === "draft") return { status: p.status, version: p.version, domainName: spec.domain, previous: null };
  const previous = structuredClone(spec);
  const breaking = h % 2 === 0;
  if (breaking) previous.outputPorts[0]!.columns.push({ ...previous.outputPorts[0]!.columns[0]!, name: "legacy_code", primaryKey: false });
  const [maj, min] = p.version.split(".").map(Number);
  const prevVersion = h % 4 === 0 ? `${Math.max(0, maj! - 1)}.9.0` : `${maj}.${Math.max(0, min! - 1)}.0`;
  return { status: p.status, version: p.version, domainName: spec.domain, previous: { version: prevVersion, spec: previous } };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  console.log(`governance benchmark: ${N} products, seed ${SEED}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  const policies: EvaluablePolicy[] = DEFAULT_POLICIES.filter((p) => p.definition.appliesTo === "product").map((p) => ({
    key: p.key,
    title: p.definition.title,
    severity: p.definition.severity,
    remediation: p.definition.remediation,
    origin: { kind: "global" },
    appliesTo: "product",
    version: 1,
    definition: p.definition,
    params: effectiveParams(p.definition),
  }));

  let t = performance.now();
  const mesh = generateMesh({ products: N, seed: SEED });
  const specs: { spec: ProductSpec; facts: ProductFacts; meta: DescriptorMeta }[] = [];
  for (let i = 0; i < N; i++) {
    const p = mesh.product(i);
    const spec = toSpec(mesh, p);
    specs.push({
      spec,
      facts: factsOf(p, spec),
      meta: {
        productId: p.id,
        version: p.version,
        status: p.status,
        createdAt: p.createdAt,
        ownerNames: {},
        inputContracts: {},
        portContracts: Object.fromEntries(p.ports.map((x) => [x.name, x.contractId])),
      },
    });
  }
  console.log(`generated ${N} product specs in ${(performance.now() - t).toFixed(0)} ms`);

  // Document build (spec + ODPS/ODCS + change classification).
  const docs: ProductDocument[] = new Array(N);
  const buildMs: number[] = [];
  for (let i = 0; i < N; i++) {
    const s = specs[i]!;
    t = performance.now();
    docs[i] = buildProductDocument(s.spec, s.facts, buildDescriptors(s.spec, s.meta));
    buildMs.push(performance.now() - t);
  }

  // Policy evaluation: warm up, then measure every product.
  for (let i = 0; i < WARMUP; i++) evaluateRulesPolicies(policies, docs[i]!);
  collect();
  const evalMs: number[] = [];
  let failing = 0;
  let blocked = 0;
  const wall = performance.now();
  for (let i = 0; i < N; i++) {
    t = performance.now();
    const results = evaluateRulesPolicies(policies, docs[i]!);
    evalMs.push(performance.now() - t);
    if (results.some((r) => r.outcome === "fail")) failing++;
    if (results.some((r) => r.outcome === "fail" && r.severity === "blocking")) blocked++;
  }
  const evalWallMs = performance.now() - wall;

  // Baseline: JSON Schema validation of the same ODPS and ODCS documents.
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats(ajv);
  const validateOdps = ajv.compile(odpsSchema as object);
  const validateOdcs = ajv.compile(odcsSchema as object);
  for (let i = 0; i < WARMUP; i++) {
    validateOdps(docs[i]!.odps);
    for (const c of docs[i]!.contracts) validateOdcs(c.odcs);
  }
  collect();
  const schemaMs: number[] = [];
  let schemaInvalid = 0;
  let firstSchemaError = "";
  for (let i = 0; i < N; i++) {
    t = performance.now();
    let ok = validateOdps(docs[i]!.odps);
    for (const c of docs[i]!.contracts) ok = validateOdcs(c.odcs) && ok;
    schemaMs.push(performance.now() - t);
    if (!ok) {
      schemaInvalid++;
      const e = validateOdps.errors?.[0] ?? validateOdcs.errors?.[0];
      if (!firstSchemaError && e) firstSchemaError = `${e.instancePath} ${e.message}`;
    }
  }

  const evalStats = stats(evalMs);
  const schemaStats = stats(schemaMs);
  const buildStats = stats(buildMs);
  const rows: [string, Stats][] = [
    ["evaluate 5 default policies (rules engine)", evalStats],
    ["baseline: JSON Schema validation of ODPS + ODCS (Ajv)", schemaStats],
    ["document build (spec + ODPS/ODCS + change)", buildStats],
  ];
  console.log("");
  console.log(`| per product, ${N} products | total | p50 | p95 | p99 | products/s |`);
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const [name, s] of rows) console.log(`| ${name} | ${(s.totalMs / 1000).toFixed(2)} s | ${fmt(s.p50)} | ${fmt(s.p95)} | ${fmt(s.p99)} | ${Math.round(s.perSecond).toLocaleString("en")} |`);
  console.log("");
  console.log(`evaluation wall time for all ${N}: ${evalWallMs.toFixed(0)} ms; ${failing} products fail a policy, ${blocked} a blocking one; ${schemaInvalid} fail schema validation`);
  if (firstSchemaError) console.log(`first JSON Schema finding: ${firstSchemaError}`);
  console.log(`evaluation vs JSON Schema validation: p50 ×${(evalStats.p50 / schemaStats.p50).toFixed(2)}, total ×${(evalStats.totalMs / schemaStats.totalMs).toFixed(2)}`);

  // The database path: re-evaluating the demo mesh as the policy-change job does.
  let db: { products: number; totalMs: number; perProductMs: number } | null = null;
  if (!values["skip-db"]) {
    const handle = createPgliteHandle(await openPglite());
    try {
      await migrate(handle.raw);
      await seedDemoMesh(handle.prisma);
      await reevaluateProducts(handle.prisma, { domainId: null }); // warm-up
      t = performance.now();
      const { evaluated } = await reevaluateProducts(handle.prisma, { domainId: null });
      const totalMs = performance.now() - t;
      db = { products: evaluated, totalMs, perProductMs: totalMs / evaluated };
      console.log(
        `database path (PGlite, demo mesh): re-evaluated ${evaluated} products in ${totalMs.toFixed(0)} ms — ${db.perProductMs.toFixed(1)} ms per product (load + build + evaluate + store)`,
      );
    } finally {
      await handle.close();
    }
  }

  const out = values["out-dir"]!;
  mkdirSync(out, { recursive: true });
  const file = path.join(out, `governance-${N}-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      { products: N, seed: SEED, cpus: os.cpus().length, loadavg: os.loadavg(), node: process.version, evaluate: evalStats, evalWallMs, jsonSchema: schemaStats, build: buildStats, failing, blocked, schemaInvalid, db },
      null,
      2,
    ),
  );
  console.log(`results: ${file}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
