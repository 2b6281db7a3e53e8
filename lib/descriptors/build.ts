import {
  CP,
  decodeSource,
  getCustom,
  IMPORT_NOTE_KEY,
  isEmail,
  isObj,
  isOwnerRole,
  list,
  omit,
  put,
  readClassification,
  readImportNote,
  readServer,
  setCustom,
  str,
  tableNameOf,
  writeColumn,
  writePiiPurposes,
  writePortType,
  writeProductText,
  writeRoles,
  writeRules,
  writeSlaProperties,
  writeStatus,
  writeTags,
  writeTerms,
  type ImportNote,
  type Obj,
} from "@/lib/descriptors/mapping";
import { inputSpec, slugify, type InputSpec, type PortSpec, type ProductSpec } from "@/lib/products/spec";

/**
 * Export: the ODPS v1.0.0 descriptor of a product and one ODCS v3.1.0 contract per output port,
 * written from the ProductSpec and laid over the documents last imported (`sources`) so that every
 * field Canopy does not model survives. Where Canopy models a value its value wins; where the
 * source already says the same thing in its own words, the source's wording is kept (see
 * mapping.ts). Collections Canopy models (output ports, columns, quality rules, SLA properties,
 * inputs, owners) are matched by name; entries removed in Canopy are not brought back, except
 * entries Canopy never took in (unresolved inputs, a second port of the same name, extra schema
 * objects, checks it does not run) which are kept as written. Client-safe and deterministic.
 */

export const ODPS_VERSION = "v1.0.0";
export const ODCS_VERSION = "v3.1.0";
/** Used when the Trino endpoint is not known (TrinoServer requires host and port). */
export const DEFAULT_TRINO_SERVER = { host: "trino", port: 8080 };

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
  /** The owning team's display name (ODPS team.name); the slug is used when absent. */
  teamName?: string;
  /** Input (product slug + port name) → the upstream product's current version (ODPS inputPorts[].version). */
  inputVersions?: Record<string, string>;
  /** Where Trino serves table ports (ODCS trino servers need host and port). */
  trino?: { host: string; port: number };
};

/**
 * The documents last imported, stored with the product. Each is JSON text (an import writes them
 * so, to keep their key order through jsonb); a plain object is read too.
 */
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
export function buildDescriptors(spec: ProductSpec, meta: DescriptorMeta, sources: DescriptorSources = {}): BuiltDescriptors {
  const contractIdOf = (port: PortSpec) => meta.portContracts[port.name] ?? port.contractId ?? "";
  return {
    odps: buildProduct(spec, meta, decodeSource(sources.product), contractIdOf),
    contracts: spec.outputPorts.map((port) => ({
      port: port.name,
      contractId: contractIdOf(port),
      odcs: buildContract(port, spec, meta, contractIdOf(port), decodeSource(sources.contracts?.[port.name])),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// ODPS

function buildProduct(spec: ProductSpec, meta: DescriptorMeta, source: unknown, contractIdOf: (p: PortSpec) => string): Obj {
  const note = readImportNote(source);
  const src: Obj = isObj(source) ? omit(source, [IMPORT_NOTE_KEY]) : {};
  const out: Obj = { ...src };
  out.apiVersion = ODPS_VERSION;
  out.kind = "DataProduct";
  out.id = str(src.id) ?? meta.productId;
  out.name = spec.name;
  out.version = meta.version;
  out.status = writeStatus(meta.status, src.status);
  out.domain = keepsDomain(spec.domain, src.domain, note) ? src.domain : spec.domain;
  put(out, "description", writeProductText(spec.summary, spec.description, src.description));
  put(out, "tags", writeTags(spec.tags, src.tags));
  put(out, "team", writeTeam(spec, meta, src.team, note));
  put(out, "inputPorts", writeInputs(spec.inputs, meta, src.inputPorts, note));
  out.outputPorts = writeOutputPorts(spec.outputPorts, meta, src.outputPorts, contractIdOf);
  let custom = setCustom(src.customProperties, CP.slug, spec.slug);
  if ((readClassification(getCustom(custom, CP.classification)?.value) ?? "internal") !== spec.classification)
    custom = setCustom(custom, CP.classification, spec.classification);
  out.customProperties = custom;
  out.productCreatedTs = str(src.productCreatedTs) ?? new Date(meta.createdAt).toISOString();
  return out;
}

function keepsDomain(domain: string, source: unknown, note: ImportNote | undefined): source is string {
  if (typeof source !== "string") return false;
  if (note) return note.domain === domain;
  return source === domain || slugify(source) === domain;
}

function writeTeam(spec: ProductSpec, meta: DescriptorMeta, source: unknown, note: ImportNote | undefined): Obj | undefined {
  const src = isObj(source) ? source : undefined;
  const out: Obj = src ? { ...src } : {};
  const srcName = str(src?.name);
  const sameTeam = note
    ? note.team === spec.team
    : srcName !== undefined &&
      (srcName === spec.team || slugify(srcName) === spec.team || (!!meta.teamName && srcName.toLowerCase() === meta.teamName.toLowerCase()));
  if (!sameTeam) put(out, "name", spec.team ? (meta.teamName ?? spec.team) : undefined);

  const owners = new Set(spec.owners.map((e) => e.toLowerCase()));
  const kept = new Set((note?.keptOwners ?? []).map((e) => e.toLowerCase()));
  const emitted = new Set<string>();
  const members: unknown[] = [];
  for (const m of list(src?.members)) {
    const username = isObj(m) ? (str(m.username) ?? "").trim() : "";
    if (!isObj(m) || !isOwnerRole(m.role) || !isEmail(username)) {
      members.push(m);
      continue;
    }
    const u = username.toLowerCase();
    if ((owners.has(u) && !emitted.has(u)) || kept.has(u)) {
      members.push(m);
      emitted.add(u);
    }
    // Otherwise the owner was removed in Canopy.
  }
  const names = Object.fromEntries(Object.entries(meta.ownerNames).map(([e, n]) => [e.toLowerCase(), n]));
  for (const e of spec.owners) {
    const u = e.toLowerCase();
    if (emitted.has(u)) continue;
    members.push({ username: e, ...(names[u] ? { name: names[u] } : {}), role: "owner" });
    emitted.add(u);
  }
  put(out, "members", members.length || Array.isArray(src?.members) ? members : undefined);
  return Object.keys(out).length ? out : undefined;
}

const inputKey = (i: InputSpec) => `${i.product}/${i.port}`;

function writeInputs(inputs: readonly InputSpec[], meta: DescriptorMeta, source: unknown, note: ImportNote | undefined): unknown[] | undefined {
  const byContract = new Map<string, InputSpec>();
  for (const i of inputs) {
    const c = meta.inputContracts[inputKey(i)];
    if (c) byContract.set(c, i);
  }
  const emitted = new Set<InputSpec>();
  const out: unknown[] = [];
  for (const e of list(source)) {
    if (!isObj(e)) continue;
    const cid = str(e.contractId)?.trim() ?? "";
    const input = byContract.get(cid);
    if (input && !emitted.has(input)) {
      out.push(writeInput(input, meta, e));
      emitted.add(input);
    } else if (input || note?.unresolvedInputs.includes(cid)) out.push(e);
    // Otherwise the input was removed in Canopy.
  }
  for (const i of inputs) if (!emitted.has(i)) out.push(writeInput(i, meta));
  return out.length || Array.isArray(source) ? out : undefined;
}

function writeInput(input: InputSpec, meta: DescriptorMeta, source?: Obj): Obj {
  const out: Obj = source ? { ...source } : {};
  const name = input.name ?? input.product;
  const srcName = (str(source?.name) ?? "").trim();
  const readName = srcName && inputSpec.shape.name.safeParse(srcName).success ? srcName : input.product;
  if (!source || readName !== name) out.name = name;
  out.version = str(source?.version) ?? meta.inputVersions?.[inputKey(input)] ?? "1.0.0";
  out.contractId = meta.inputContracts[inputKey(input)] ?? str(source?.contractId) ?? "";
  return out;
}

function writeOutputPorts(ports: readonly PortSpec[], meta: DescriptorMeta, source: unknown, contractIdOf: (p: PortSpec) => string): unknown[] {
  const src = list(source);
  const out: unknown[] = [];
  for (const port of ports) {
    const same = src.filter((e): e is Obj => isObj(e) && (str(e.name) ?? "").trim() === port.name);
    out.push(writeOdpsPort(port, meta, contractIdOf(port), same[0]));
    // Further entries of the same name (another version of the port) stay as written.
    out.push(...same.slice(1));
  }
  return out;
}

function writeOdpsPort(port: PortSpec, meta: DescriptorMeta, contractId: string, source?: Obj): Obj {
  const out: Obj = source ? { ...source } : {};
  out.name = port.name;
  if ((str(source?.description) ?? "").trim() !== port.description) put(out, "description", port.description || undefined);
  out.type = writePortType(port.type, source?.type);
  out.version = meta.version;
  out.contractId = contractId;
  const cls = readClassification(getCustom(source?.customProperties, CP.classification)?.value);
  if (cls !== port.classification) put(out, "customProperties", setCustom(source?.customProperties, CP.classification, port.classification));
  return out;
}

// ---------------------------------------------------------------------------------------------
// ODCS

function buildContract(port: PortSpec, spec: ProductSpec, meta: DescriptorMeta, contractId: string, source: unknown): Obj {
  const src: Obj = isObj(source) ? source : {};
  const out: Obj = { ...src };
  out.apiVersion = ODCS_VERSION;
  out.kind = "DataContract";
  out.id = contractId;
  out.name = str(src.name) ?? port.name;
  out.version = meta.version;
  out.status = writeStatus(meta.status, src.status);
  out.domain = str(src.domain) ?? spec.domain;
  put(out, "description", writeTerms(port.contract.terms, src.description));

  const reading = isObj(source) ? readServer(src, port.name, spec.domain) : null;
  const sameBucket = JSON.stringify(reading?.bucket ?? null) === JSON.stringify(port.bucket ?? null);
  let table: string | null = null;
  if (!(reading && reading.type === port.type && reading.location === port.location && (port.type !== "s3_bucket" || sameBucket))) {
    const rebuilt = writeServers(port, src.servers, reading?.serverIndex ?? null, meta);
    out.servers = rebuilt.servers;
    table = rebuilt.table;
  }
  put(out, "schema", writeSchema(port, src.schema, table));
  put(out, "slaProperties", writeSlaProperties(port.contract.sla, src.slaProperties));
  put(out, "roles", writeRoles({ approvers: port.contract.approvers, secondLevelApprovers: port.contract.secondLevelApprovers }, src.roles));
  put(out, "customProperties", writePiiPurposes(port.contract.piiPurposes, src.customProperties));
  return out;
}

/** What a server entry keeps when its type changes. */
const GENERIC_SERVER_KEYS = ["id", "description", "environment", "roles", "customProperties"];

function writeServers(port: PortSpec, source: unknown, chosen: number | null, meta: DescriptorMeta): { servers: unknown[]; table: string | null } {
  const servers = [...list(source)];
  const prev = chosen !== null && isObj(servers[chosen]) ? (servers[chosen] as Obj) : undefined;
  const kind = port.type === "trino_table" ? "trino" : port.type === "s3_bucket" ? "s3" : "api";
  const sameKind = prev?.type === kind;
  const server: Obj =
    prev && sameKind
      ? { ...prev }
      : { server: str(prev?.server) ?? kind, type: kind, ...Object.fromEntries(Object.entries(prev ?? {}).filter(([k]) => GENERIC_SERVER_KEYS.includes(k))) };
  let table: string | null = null;
  if (kind === "trino") {
    const [catalog = "", schema = "", t = ""] = port.location.split(".");
    if (!sameKind) {
      server.host = meta.trino?.host ?? DEFAULT_TRINO_SERVER.host;
      server.port = meta.trino?.port ?? DEFAULT_TRINO_SERVER.port;
    }
    server.catalog = catalog;
    server.schema = schema;
    table = t;
  } else server.location = port.location;
  const hadCustom = Array.isArray(server.customProperties);
  let custom = setCustom(server.customProperties, CP.bucketMaxSize, kind === "s3" ? port.bucket?.maxSizeGiB : undefined);
  custom = setCustom(custom, CP.bucketMaxObjects, kind === "s3" ? port.bucket?.maxObjects : undefined);
  put(server, "customProperties", custom?.length || hadCustom ? custom : undefined);
  if (chosen !== null) servers[chosen] = server;
  else servers.push(server);
  return { servers, table };
}

function writeSchema(port: PortSpec, source: unknown, table: string | null): unknown[] | undefined {
  const arr = list(source);
  const s0src = isObj(arr[0]) ? arr[0] : undefined;
  const tableRules = port.contract.quality.filter((q) => !q.column);
  if (!s0src && !port.columns.length && !tableRules.length && table === null) return Array.isArray(source) ? source : undefined;
  const s0: Obj = s0src
    ? { ...s0src }
    : { name: table ?? port.name, ...(port.type === "trino_table" ? { physicalType: "table" } : port.type === "s3_bucket" ? { physicalType: "file" } : {}) };
  if (table !== null && tableNameOf({ schema: [s0] }, port.name) !== table) s0.physicalName = table;
  const srcProps = list(s0src?.properties);
  const props = port.columns.map((col) => {
    const sp = srcProps.find((p): p is Obj => isObj(p) && (str(p.name) ?? "").trim() === col.name);
    const w = writeColumn(col, sp);
    put(
      w,
      "quality",
      writeRules(
        port.contract.quality.filter((q) => q.column === col.name),
        sp?.quality,
        col.name,
      ),
    );
    return w;
  });
  put(s0, "properties", props.length || s0src?.properties !== undefined ? props : undefined);
  put(s0, "quality", writeRules(tableRules, s0src?.quality, ""));
  return [s0, ...arr.slice(1)];
}
