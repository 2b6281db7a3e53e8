import type { BuiltDescriptors } from "@/lib/descriptors/build";
import { classifyChanges, highestLevel } from "@/lib/products/changes";
import type { ProductSpec } from "@/lib/products/spec";

/**
 * The documents policies are evaluated against. A product document is the product spec's facts laid
 * out for rules (ports with their effective classification, every column flattened with its port,
 * the change since the previous version) plus the ODPS descriptor and ODCS contracts as exported.
 * Items carry `$path`, the spec path of the field (e.g. "outputPorts.0.columns.3"), so findings point
 * at what the wizard edits. An access document is one access request with its port and product.
 * Client-safe and deterministic; the server builds the facts (service.ts).
 */

export type ProductFacts = {
  status: "draft" | "published" | "deprecated" | "retired";
  version: string;
  domainName: string;
  /** The version before this one and its spec, for the change rules; null for a first version or a draft. */
  previous: { version: string; spec: ProductSpec } | null;
};

const CLASS_RANK = { public: 0, internal: 1, confidential: 2, restricted: 3 } as const;

/** How the version number moved from `from` to `to`: the semver part that went up. */
export function versionBump(from: string | null, to: string): "major" | "minor" | "patch" | "none" | "initial" {
  if (!from) return "initial";
  const a = from.split(".").map(Number);
  const b = to.split(".").map(Number);
  if ((b[0] ?? 0) > (a[0] ?? 0)) return "major";
  if ((b[0] ?? 0) === (a[0] ?? 0) && (b[1] ?? 0) > (a[1] ?? 0)) return "minor";
  if ((b[0] ?? 0) === (a[0] ?? 0) && (b[1] ?? 0) === (a[1] ?? 0) && (b[2] ?? 0) > (a[2] ?? 0)) return "patch";
  return "none";
}

export function buildProductDocument(spec: ProductSpec, facts: ProductFacts, descriptors?: BuiltDescriptors) {
  const outputPorts = spec.outputPorts.map((port, pi) => {
    const classification = port.classification ?? spec.classification;
    return {
      $path: `outputPorts.${pi}`,
      name: port.name,
      type: port.type,
      location: port.location,
      description: port.description,
      classification,
      declaredClassification: port.classification ?? null,
      contractId: port.contractId ?? null,
      hasPii: port.columns.some((c) => c.pii),
      columnCount: port.columns.length,
      columns: port.columns.map((c, ci) => ({ $path: `outputPorts.${pi}.columns.${ci}`, ...c })),
      contract: port.contract,
      bucket: port.bucket ?? null,
    };
  });
  const columns = outputPorts.flatMap((port) =>
    port.columns.map((c) => ({ ...c, port: port.name, portType: port.type, portClassification: port.classification, portPublic: port.classification === "public" })),
  );
  const changes = facts.previous ? classifyChanges(facts.previous.spec, spec) : [];
  const breaking = changes.filter((c) => c.level === "major").map((c) => ({ path: c.path, message: c.message, port: c.port ?? null }));
  const highestColumn = columns.reduce((m, c) => Math.max(m, CLASS_RANK[c.classification]), 0);
  return {
    kind: "product" as const,
    product: {
      name: spec.name,
      slug: spec.slug,
      domain: spec.domain,
      team: spec.team,
      owners: spec.owners,
      /** Individual owners plus the owning team, if any. */
      ownerCount: spec.owners.length + (spec.team ? 1 : 0),
      summary: spec.summary,
      description: spec.description,
      tags: spec.tags,
      classification: spec.classification,
      status: facts.status,
      version: facts.version,
      hasPii: columns.some((c) => c.pii),
      highestColumnClassification: (Object.keys(CLASS_RANK) as (keyof typeof CLASS_RANK)[])[highestColumn]!,
    },
    domain: { slug: spec.domain, name: facts.domainName },
    outputPorts,
    columns,
    inputs: spec.inputs.map((i, ii) => ({ $path: `inputs.${ii}`, ...i })),
    change: {
      previousVersion: facts.previous?.version ?? null,
      level: facts.previous ? highestLevel(changes) : ("initial" as const),
      versionBump: versionBump(facts.previous?.version ?? null, facts.version),
      breaking,
      breakingCount: breaking.length,
    },
    odps: descriptors?.odps ?? null,
    contracts: descriptors?.contracts ?? [],
  };
}

export type ProductDocument = ReturnType<typeof buildProductDocument>;

export type AccessFacts = {
  request: {
    durationDays: number;
    purpose: string;
    purposeCategory: string | null;
    principalType: string;
    /** True when the document describes an extension of a live grant (durationDays is then the total from now). */
    extension: boolean;
  };
  port: { name: string; type: string; classification: string; hasPii: boolean };
  product: { slug: string; domain: string; classification: string; status: string };
};

export function buildAccessDocument(facts: AccessFacts) {
  return { kind: "access" as const, ...facts };
}

export type AccessDocument = ReturnType<typeof buildAccessDocument>;
