import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import type { DescriptorMeta } from "@/lib/descriptors/build";
import { importDescriptors, type ImportedDescriptors, type ImportLookups } from "@/lib/descriptors/import";
import { parseDescriptorBody } from "@/lib/descriptors/parse";

export const FIXTURES = path.join(import.meta.dirname, "fixtures");

/** A parsed document in a test, navigated without ceremony (tests assert on its shape). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export const fixtureNames = (suffix: string) =>
  readdirSync(FIXTURES)
    .filter((f) => f.endsWith(suffix))
    .sort();

export const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), "utf8");

/** Lookups that resolve nothing but domains (to themselves) and users (everyone has an account). */
export const looseLookups: ImportLookups = {
  resolveContract: () => null,
  resolveDomain: (d) => d,
  resolveTeam: () => null,
  existingUsers: (emails) => emails,
};

export async function importBody(body: string | Uint8Array, lookups: Partial<ImportLookups> & { slug?: string } = {}): Promise<ImportedDescriptors> {
  return importDescriptors(parseDescriptorBody(body), { ...looseLookups, ...lookups });
}

/** What the catalogue would hand the export after saving this import. */
export function metaFor(imported: ImportedDescriptors, overrides: Partial<DescriptorMeta> = {}): DescriptorMeta {
  const team = (imported.sources.product as { team?: { members?: { username?: string; name?: string }[] } } | undefined)?.team;
  const names: Record<string, string> = {};
  for (const m of team?.members ?? []) if (m.username && m.name) names[m.username.toLowerCase()] = m.name;
  return {
    productId: "6f1c2a7e-0000-4000-8000-000000000001",
    version: imported.requested.version ?? "1.0.0",
    status: imported.requested.status ?? "draft",
    createdAt: new Date("2024-05-01T10:00:00Z"),
    ownerNames: names,
    inputContracts: {},
    portContracts: Object.fromEntries(imported.spec.outputPorts.map((p) => [p.name, p.contractId ?? `${p.name}-contract`])),
    ...overrides,
  };
}

/** Every leaf of a document by path (`a.b[2].c`); empty lists and objects count as leaves. */
export function leaves(value: unknown, prefix = "", out = new Map<string, unknown>()): Map<string, unknown> {
  if (Array.isArray(value)) {
    if (!value.length) out.set(prefix, value);
    value.forEach((v, i) => leaves(v, `${prefix}[${i}]`, out));
  } else if (value && typeof value === "object") {
    const entries = Object.entries(value);
    if (!entries.length) out.set(prefix, value);
    for (const [k, v] of entries) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, value);
  return out;
}

/** A minimal ODPS product around one ODCS example, as a two-document YAML body. */
export function wrapContract(odcsText: string): { body: string; port: string; contract: Record<string, unknown> } {
  const contract = parseYaml(odcsText) as Record<string, unknown>;
  const name = typeof contract.name === "string" && /^[a-z0-9][a-z0-9_-]*$/.test(contract.name) ? contract.name : "example";
  const product = [
    "apiVersion: v1.0.0",
    "kind: DataProduct",
    "id: 5d0c7c38-2d5e-4a53-9a4e-0c1f6e0f0001",
    "name: Example product",
    `version: ${JSON.stringify(contract.version)}`,
    `status: ${JSON.stringify(contract.status)}`,
    "domain: sales",
    "description:",
    "  purpose: A product around an ODCS example, for round-trip tests.",
    "outputPorts:",
    `  - name: ${name}`,
    `    version: ${JSON.stringify(contract.version)}`,
    `    contractId: ${JSON.stringify(contract.id)}`,
  ].join("\n");
  return { body: `${product}\n---\n${odcsText}`, port: name, contract };
}
