import type { ProductSpec } from "@/lib/products/spec";

/** What a descriptor needs besides the spec: lifecycle, version and the people behind the owners. */
export type DescriptorMeta = {
  productId: string;
  version: string;
  status: "draft" | "published" | "deprecated" | "retired";
  createdAt: Date;
  /** Owner e-mail → display name. */
  ownerNames: Record<string, string>;
  /** Input (product slug + port name) → that port's contract id. */
  inputContracts: Record<string, string>;
  /** Port name → contract id (assigned by the catalogue). */
  portContracts: Record<string, string>;
};

export type DescriptorSources = {
  /** The ODPS document last imported, if any. */
  product?: unknown;
  /** Port name → ODCS document last imported. */
  contracts?: Record<string, unknown>;
};

export type BuiltDescriptors = {
  odps: Record<string, unknown>;
  contracts: { port: string; contractId: string; odcs: Record<string, unknown> }[];
};

/** ODPS for the product and one ODCS contract per output port. */
export function buildDescriptors(spec: ProductSpec, meta: DescriptorMeta, _sources: DescriptorSources = {}): BuiltDescriptors {
  return {
    odps: { apiVersion: "v1.0.0", kind: "DataProduct", id: meta.productId, name: spec.name, version: meta.version },
    contracts: spec.outputPorts.map((p) => ({
      port: p.name,
      contractId: meta.portContracts[p.name] ?? "",
      odcs: { apiVersion: "v3.1.0", kind: "DataContract", id: meta.portContracts[p.name] ?? "", version: meta.version },
    })),
  };
}
