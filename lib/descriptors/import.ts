import type { DescriptorSources } from "@/lib/descriptors/build";
import {
  CP,
  encodeSource,
  firstSchemaObject,
  getCustom,
  IMPORT_NOTE_KEY,
  isObj,
  list,
  readApprovers,
  readClassification,
  readColumn,
  readOwners,
  readPiiPurposes,
  readProductText,
  readRule,
  readServer,
  readSla,
  readStatus,
  readTags,
  readTerms,
  str,
  type ImportNote,
  type LifecycleStatus,
  type Obj,
} from "@/lib/descriptors/mapping";
import { descriptorError, type ParsedDescriptors, type ParsedDocument } from "@/lib/descriptors/parse";
import { formatPath, type DescriptorIssue, type DocPath, type PathSegment } from "@/lib/descriptors/paths";
import { ODCS_API_VERSION, ODPS_API_VERSION, validateOdcs, validateOdps } from "@/lib/descriptors/validate";
import {
  inputSpec,
  productSpec,
  PURPOSE_CATEGORIES,
  semverSchema,
  slugify,
  type InputSpec,
  type PortSpec,
  type ProductSpec,
  type ProductSpecInput,
  type QualityRule,
  type SlaSpec,
} from "@/lib/products/spec";

/**
 * From descriptor documents to what Canopy models: an ODPS DataProduct and the ODCS DataContracts
 * of its output ports become a ProductSpec. What Canopy cannot model stays in the source documents
 * (returned as `sources`, stored with the product and overlaid on every export); what it reads
 * differently from what the document says is reported as a warning with the document path.
 * Documents that break the standards' JSON Schemas, or that would make an invalid product, are
 * refused with every problem listed by path.
 */

export type DescriptorWarning = { path: string; message: string; line?: number };

type Resolved<T> = T | Promise<T>;

export type ImportLookups = {
  /** The output port with this contract id, among those the importing user may see. */
  resolveContract(contractId: string): Resolved<{ product: string; port: string } | null>;
  /** A Canopy team's slug for an ODPS team name (matched by slug or display name). */
  resolveTeam?(name: string): Resolved<string | null>;
  /** A Canopy domain's slug for an ODPS domain (matched by slug or display name). */
  resolveDomain?(name: string): Resolved<string | null>;
  /** Which of these e-mail addresses belong to Canopy users (owners must have an account). */
  existingUsers?(emails: readonly string[]): Resolved<readonly string[]>;
  /** The product as it stands, when the slug exists: ports sent without a contract keep theirs (and their stored source). */
  current?: { spec: ProductSpec; sources: DescriptorSources; version?: string } | null;
};

export type ImportOptions = ImportLookups & {
  /** The slug from the request's address; it wins over the document. */
  slug?: string;
};

export type ImportedDescriptors = {
  spec: ProductSpec;
  sources: DescriptorSources;
  warnings: DescriptorWarning[];
  /** What the document asks for that Canopy decides itself (by permission and change level). */
  requested: { status?: LifecycleStatus; version?: string };
  /** Spec paths (dotted, as the product service reports field errors) → document paths. */
  origins: Record<string, string>;
};

type Origin = { doc: ParsedDocument; path: DocPath };

class ImportContext {
  readonly issues: DescriptorIssue[] = [];
  readonly warnings: DescriptorWarning[] = [];
  readonly origins = new Map<string, Origin>();

  at(doc: ParsedDocument, path: DocPath): string {
    return formatPath(doc.prefix, path) || "_";
  }
  private withLine(doc: ParsedDocument, path: DocPath, message: string): string {
    const line = doc.lineOf(path);
    return line ? `${message} (line ${line})` : message;
  }
  issue(doc: ParsedDocument, path: DocPath, message: string) {
    this.issues.push({ path: this.at(doc, path), message: this.withLine(doc, path, message) });
  }
  warn(doc: ParsedDocument, path: DocPath, message: string) {
    const line = doc.lineOf(path);
    this.warnings.push({ path: this.at(doc, path), message, ...(line ? { line } : {}) });
  }
  origin(specPath: string, doc: ParsedDocument, path: DocPath) {
    this.origins.set(specPath, { doc, path });
  }
  /** Where a spec path (as zod or the product service report it) is in the documents. */
  locate(specKey: string): { key: string; line?: number } {
    const segs = specKey.split(".");
    for (let n = segs.length; n > 0; n--) {
      const o = this.origins.get(segs.slice(0, n).join("."));
      if (!o) continue;
      const tail: PathSegment[] = segs.slice(n).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
      const path = [...o.path, ...tail];
      return { key: this.at(o.doc, path), line: o.doc.lineOf(path) };
    }
    return { key: specKey || "_" };
  }
}

// ---------------------------------------------------------------------------------------------
// Schema validation, with older standard versions read leniently

const OLD_ODPS = /^v?0\.\d+(\.\d+)?$/;
const OLD_ODCS_3 = /^v3\.0\.\d+$/;

function validateDocuments(parsed: ParsedDescriptors, ctx: ImportContext) {
  const check = (doc: ParsedDocument, issues: { path: DocPath; message: string }[]) => {
    for (const i of issues) ctx.issue(doc, i.path, i.message);
  };
  if (parsed.product) {
    const doc = parsed.product;
    const v = doc.doc.apiVersion;
    let subject: Obj = doc.doc;
    if (typeof v === "string" && v !== ODPS_API_VERSION && OLD_ODPS.test(v)) {
      subject = { ...doc.doc, apiVersion: ODPS_API_VERSION };
      ctx.warn(doc, ["apiVersion"], `ODPS ${v} is read as ${ODPS_API_VERSION}; Canopy exports ${ODPS_API_VERSION}`);
    }
    check(doc, validateOdps(subject));
  }
  for (const doc of parsed.contracts) {
    const v = doc.doc.apiVersion;
    if (typeof v === "string" && /^v?2\./.test(v)) {
      ctx.issue(doc, ["apiVersion"], `ODCS ${v} contracts are not supported: convert the contract to ODCS v3 (its "dataset" became "schema")`);
      continue;
    }
    if (typeof v === "string" && OLD_ODCS_3.test(v)) ctx.warn(doc, ["apiVersion"], `ODCS ${v} is read as ${ODCS_API_VERSION}; Canopy exports ${ODCS_API_VERSION}`);
    check(doc, validateOdcs(doc.doc));
  }
}

// ---------------------------------------------------------------------------------------------

const inputName = inputSpec.shape.name;

/**
 * Reads the documents into a ProductSpec. Throws a UserError (code `invalid_descriptor`) with field
 * errors keyed by document path when a document breaks its schema or the product would be invalid.
 */
export async function importDescriptors(parsed: ParsedDescriptors, opts: ImportOptions): Promise<ImportedDescriptors> {
  const ctx = new ImportContext();
  const product = parsed.product;
  if (!product)
    throw descriptorError(
      [{ path: "_", message: "The body has no ODPS DataProduct document (kind: DataProduct); contracts are imported together with their product" }],
      { code: "missing_product" },
    );
  validateDocuments(parsed, ctx);
  if (ctx.issues.length) throw descriptorError(ctx.issues);

  const odps = product.doc;
  const current = opts.current ?? null;
  const requested: ImportedDescriptors["requested"] = {};

  // Lifecycle: a request; Canopy decides by permission.
  requested.status = readStatus(odps.status);
  if (odps.status !== undefined && !requested.status)
    ctx.warn(product, ["status"], `"${String(odps.status)}" is not a lifecycle status Canopy knows (proposed, draft, active, deprecated, retired); Canopy decides the status`);
  const version = str(odps.version)?.trim();
  if (version !== undefined) {
    if (semverSchema.safeParse(version).success) requested.version = version;
    else ctx.warn(product, ["version"], `"${version}" is not a version like 1.2.3; Canopy numbers the versions itself`);
  }

  // What the exported documents will say; a new product starts at 1.0.0.
  const productVersion = requested.version ?? current?.version ?? "1.0.0";

  // Name and slug: the address wins, then canopySlug, then the name.
  const name = (str(odps.name) ?? "").trim();
  ctx.origin("name", product, ["name"]);
  const slugProp = getCustom(odps.customProperties, CP.slug);
  let slug: string;
  if (opts.slug) {
    slug = opts.slug;
    if (slugProp && slugProp.value !== opts.slug)
      ctx.warn(product, ["customProperties", slugProp.index, "value"], `canopySlug "${String(slugProp.value)}" differs from the address; the product "${opts.slug}" is the one changed`);
    ctx.origin("slug", product, slugProp ? ["customProperties", slugProp.index, "value"] : ["name"]);
  } else if (typeof slugProp?.value === "string") {
    slug = slugProp.value.trim();
    ctx.origin("slug", product, ["customProperties", slugProp.index, "value"]);
  } else {
    slug = slugify(name);
    ctx.origin("slug", product, ["name"]);
    if (!slug && name === "") ctx.issue(product, ["name"], "required: Canopy names the product, and derives its address, from it (or from a canopySlug custom property)");
  }

  // Domain.
  const domainRaw = (str(odps.domain) ?? "").trim();
  let domain = domainRaw;
  if (!domainRaw) {
    if (current) domain = current.spec.domain;
    else ctx.issue(product, ["domain"], "required: the Canopy domain the product belongs to");
  } else if (opts.resolveDomain) domain = (await opts.resolveDomain(domainRaw)) ?? domainRaw;
  ctx.origin("domain", product, ["domain"]);

  // Owners and team.
  const team = isObj(odps.team) ? odps.team : undefined;
  const owners = readOwners(team);
  for (const n of owners.notes) ctx.warn(product, ["team", ...n.path], n.message);
  let ownerEmails = owners.owners;
  const keptOwners: string[] = [];
  if (opts.existingUsers && ownerEmails.length) {
    const known = new Set((await opts.existingUsers(ownerEmails)).map((e) => e.toLowerCase()));
    owners.owners.forEach((e, k) => {
      if (known.has(e)) return;
      keptOwners.push(e);
      ctx.warn(product, ["team", "members", owners.members[k]!, "username"], `${e} has no Canopy account yet, so cannot own the product; they stay in the descriptor`);
    });
    ownerEmails = ownerEmails.filter((e) => known.has(e));
  }
  const sortedOwners = [...ownerEmails].sort();
  sortedOwners.forEach((e, k) => ctx.origin(`owners.${k}`, product, ["team", "members", owners.members[owners.owners.indexOf(e)]!, "username"]));
  ctx.origin("owners", product, ["team", "members"]);
  const teamName = (str(team?.name) ?? "").trim();
  let teamSlug = "";
  if (teamName) {
    teamSlug = (opts.resolveTeam ? await opts.resolveTeam(teamName) : teamName) ?? "";
    if (!teamSlug) ctx.warn(product, ["team", "name"], `Canopy has no team "${teamName}"; the product is owned by its owners only`);
  }
  ctx.origin("team", product, ["team", "name"]);

  // Summary, description, tags, classification.
  const text = readProductText(odps.description);
  ctx.origin("summary", product, ["description", "purpose"]);
  ctx.origin("description", product, ["description"]);
  const tags = readTags(odps.tags);
  for (const n of tags.notes) ctx.warn(product, ["tags", ...n.path], n.message);
  tags.at.forEach((i, k) => ctx.origin(`tags.${k}`, product, ["tags", i]));
  const classProp = getCustom(odps.customProperties, CP.classification);
  const classification = readClassification(classProp?.value) ?? "internal";
  if (classProp && !readClassification(classProp.value))
    ctx.warn(product, ["customProperties", classProp.index, "value"], `"${String(classProp.value)}" is not a classification (public, internal, confidential, restricted); Canopy uses internal`);
  if (classProp) ctx.origin("classification", product, ["customProperties", classProp.index, "value"]);

  // Output ports and their contracts.
  const contracts = parsed.contracts;
  const byId = new Map<string, number>();
  contracts.forEach((c, k) => {
    const id = str(c.doc.id);
    if (id === undefined) return;
    if (byId.has(id)) ctx.issue(c, ["id"], `the same contract id as ${contracts[byId.get(id)!]!.prefix}; each port needs its own contract`);
    else byId.set(id, k);
  });
  const used = new Set<number>();
  const seenPorts = new Map<string, number>();
  const ports: ProductSpecInput["outputPorts"] = [];
  const contractSources: Record<string, unknown> = {};
  list(odps.outputPorts).forEach((op, j) => {
    if (!isObj(op)) return;
    const portName = (str(op.name) ?? "").trim();
    const contractId = str(op.contractId)?.trim() || undefined;
    let k = contractId !== undefined ? byId.get(contractId) : undefined;
    if (seenPorts.has(portName)) {
      ctx.warn(
        product,
        ["outputPorts", j, "name"],
        `a second port named "${portName}"${op.version ? ` (version ${String(op.version)})` : ""}: Canopy keeps one port per name, so this entry stays in the descriptor but is not served`,
      );
      if (k !== undefined && !used.has(k)) {
        used.add(k);
        ctx.warn(contracts[k]!, [], `belongs to the second "${portName}" port entry, which Canopy does not serve; the contract is not stored`);
      }
      return;
    }
    seenPorts.set(portName, j);
    if (k === undefined && contractId === undefined) {
      const byName = contracts.findIndex((c, i) => !used.has(i) && str(c.doc.name) === portName);
      if (byName >= 0) k = byName;
    }
    if (k !== undefined) used.add(k);
    const i = ports.length;
    const key = `outputPorts.${i}`;
    ctx.origin(key, product, ["outputPorts", j]);
    const currentPort = current?.spec.outputPorts.find((p) => p.name === portName);
    const contractDoc = k !== undefined ? contracts[k]! : undefined;
    const description = (str(op.description) ?? "").trim();
    const portClassProp = getCustom(op.customProperties, CP.classification);
    const portClassification = readClassification(portClassProp?.value);
    if (portClassProp) {
      ctx.origin(`${key}.classification`, product, ["outputPorts", j, "customProperties", portClassProp.index, "value"]);
      if (!portClassification)
        ctx.warn(product, ["outputPorts", j, "customProperties", portClassProp.index, "value"], `"${String(portClassProp.value)}" is not a classification (public, internal, confidential, restricted); it is ignored`);
    }

    if (!contractDoc) {
      if (currentPort) {
        // Only the product document was sent: the port keeps its contract as it stands.
        ports.push({ ...currentPort, name: portName, description, ...(portClassification ? { classification: portClassification } : {}) });
        const kept = current?.sources.contracts?.[portName];
        if (kept !== undefined) contractSources[portName] = kept;
        ctx.warn(product, ["outputPorts", j, "contractId"], `the body has no contract for "${portName}"; its current contract is kept`);
        return;
      }
    }
    const contract = contractDoc?.doc;
    const C = contractDoc ?? product;
    const cPath = (...segs: PathSegment[]): DocPath => (contractDoc ? segs : ["outputPorts", j]);

    // Where it is served.
    let type: PortSpec["type"] = "trino_table";
    let location = "";
    let bucket: PortSpec["bucket"];
    const reading = readServer(contract, portName, domain);
    if (reading && reading.serverIndex === null && currentPort) {
      ({ type, location, bucket } = currentPort);
      if (contractDoc) ctx.warn(contractDoc, ["servers"], `no trino, s3 or api server: port "${portName}" stays where it is served now (${location})`);
    } else if (reading) {
      ({ type, location, bucket } = reading);
      if (contractDoc) for (const n of reading.notes) ctx.warn(contractDoc, ["servers", ...n.path], n.message);
    }
    if (!contractDoc)
      ctx.warn(
        product,
        ["outputPorts", j, contractId !== undefined ? "contractId" : "name"],
        `${contractId !== undefined ? `no contract in the body has id ${contractId}` : "no contractId, and no contract in the body is named after the port"}: ` +
          `"${portName}" is registered without columns, checks or SLA, as the Trino table ${location}`,
      );
    const serverPath = cPath(...(reading?.serverIndex !== null && reading?.serverIndex !== undefined ? ["servers", reading.serverIndex] : ["servers"]));
    ctx.origin(`${key}.location`, C, serverPath);
    ctx.origin(`${key}.type`, C, serverPath);
    if (type === "s3_bucket" && !bucket) {
      if (currentPort?.bucket) bucket = currentPort.bucket;
      else ctx.issue(C, [...serverPath, "customProperties"], `add the custom property ${CP.bucketMaxSize}: the size limit, in GiB, of the bucket Canopy creates for this port`);
    }
    ctx.origin(`${key}.bucket`, C, [...serverPath, "customProperties"]);

    // Columns and checks from the first schema object.
    const schemas = list(contract?.schema);
    schemas.slice(1).forEach((s, n) =>
      ctx.warn(C, cPath("schema", n + 1), `Canopy models one table per port: "${str(isObj(s) ? s.name : undefined) ?? `schema[${n + 1}]`}" stays in the descriptor but is not shown or checked`),
    );
    const s0 = firstSchemaObject(contract);
    const columns: PortSpec["columns"] = [];
    const quality: QualityRule[] = [];
    const addRules = (entries: unknown, column: string, path: PathSegment[]) =>
      list(entries).forEach((q, qi) => {
        const { rule, why } = readRule(q, column);
        if (rule) {
          ctx.origin(`${key}.contract.quality.${quality.length}`, C, cPath(...path, qi));
          quality.push(rule);
        } else if (why) ctx.warn(C, cPath(...path, qi), why);
      });
    addRules(s0?.quality, "", ["schema", 0, "quality"]);
    list(s0?.properties).forEach((p, pi) => {
      if (!isObj(p)) return;
      const { column, notes } = readColumn(p);
      for (const n of notes) ctx.warn(C, cPath("schema", 0, "properties", pi, ...n.path), n.message);
      if (list(p.properties).length || isObj(p.items))
        ctx.warn(C, cPath("schema", 0, "properties", pi), `Canopy lists top-level columns: the nested fields of "${column.name}" stay in the descriptor`);
      ctx.origin(`${key}.columns.${columns.length}`, C, cPath("schema", 0, "properties", pi));
      columns.push(column);
      addRules(p.quality, column.name, ["schema", 0, "properties", pi, "quality"]);
    });

    // SLA, terms, approvers.
    const sla: SlaSpec[] = [];
    list(contract?.slaProperties).forEach((e, si) => {
      const { sla: s, why } = readSla(e);
      if (s) {
        ctx.origin(`${key}.contract.sla.${sla.length}`, C, cPath("slaProperties", si));
        sla.push(s);
      } else if (why) ctx.warn(C, cPath("slaProperties", si), why);
    });
    ctx.origin(`${key}.contract.terms`, C, cPath("description"));
    ctx.origin(`${key}.contract.approvers`, C, cPath("roles"));
    ctx.origin(`${key}.contract.secondLevelApprovers`, C, cPath("roles"));
    const approvers = readApprovers(contract?.roles);
    const pii = readPiiPurposes(contract?.customProperties);
    if (pii.index !== undefined) {
      const at = cPath("customProperties", pii.index, "value");
      ctx.origin(`${key}.contract.piiPurposes`, C, at);
      if (pii.unknown.length)
        ctx.warn(C, at, `${pii.unknown.map((v) => JSON.stringify(v)).join(", ")} ${pii.unknown.length === 1 ? "is not a purpose category" : "are not purpose categories"} (${Object.keys(PURPOSE_CATEGORIES).join(", ")}); ignored`);
    }

    // Versions and status follow the product.
    if (op.version !== undefined && op.version !== productVersion)
      ctx.warn(product, ["outputPorts", j, "version"], `Canopy versions ports with their product: exported as the product's version (${productVersion})`);
    if (contractDoc) {
      const cv = str(contract?.version);
      if (cv !== undefined && cv !== productVersion)
        ctx.warn(contractDoc, ["version"], `Canopy versions contracts with their product: exported as the product's version (${productVersion})`);
      const cs = readStatus(contract?.status);
      if (cs && requested.status && cs !== requested.status)
        ctx.warn(contractDoc, ["status"], `a contract's status follows its product's: exported as the product's status`);
    }

    ports.push({
      name: portName,
      type,
      location,
      description,
      ...(portClassification ? { classification: portClassification } : {}),
      ...(contractId ?? str(contract?.id) ? { contractId: contractId ?? str(contract?.id) } : {}),
      columns,
      ...(bucket ? { bucket } : {}),
      contract: {
        quality,
        sla,
        terms: readTerms(contract?.description),
        approvers: approvers.approvers,
        secondLevelApprovers: approvers.secondLevelApprovers,
        piiPurposes: pii.purposes,
      },
    });
    if (contract) contractSources[portName] = encodeSource(contract);
  });
  contracts.forEach((c, k) => {
    if (!used.has(k))
      ctx.warn(c, [], `no output port refers to this contract (outputPorts[].contractId${str(c.doc.id) ? ` = ${str(c.doc.id)}` : ""}); it is not stored`);
  });

  // Inputs: lineage to other products' output ports, by contract id.
  const inputs: InputSpec[] = [];
  const unresolved: string[] = [];
  const seenInputs = new Map<string, number>();
  const inputNames = new Set<string>();
  const inputPorts = list(odps.inputPorts);
  for (let j = 0; j < inputPorts.length; j++) {
    const ip = inputPorts[j];
    if (!isObj(ip)) continue;
    const cid = (str(ip.contractId) ?? "").trim();
    const found = cid ? await opts.resolveContract(cid) : null;
    if (!found) {
      unresolved.push(cid);
      ctx.warn(product, ["inputPorts", j, "contractId"], `no output port you can see has contract ${cid}; the input stays in the descriptor but is not linked`);
      continue;
    }
    const k = `${found.product}/${found.port}`;
    if (seenInputs.has(k)) {
      ctx.warn(product, ["inputPorts", j], `reads the same port (${k}) as inputPorts[${seenInputs.get(k)}]; Canopy links it once`);
      continue;
    }
    seenInputs.set(k, j);
    const raw = (str(ip.name) ?? "").trim();
    let nameOk = raw !== "" && inputName.safeParse(raw).success;
    if (raw && !nameOk)
      ctx.warn(product, ["inputPorts", j, "name"], `"${raw}" cannot name an input in Canopy (lower-case letters, digits, _ and -); the input is named ${found.product}`);
    if (nameOk && inputNames.has(raw)) {
      ctx.warn(product, ["inputPorts", j, "name"], `another input is named "${raw}" already; this one is named ${found.product}`);
      nameOk = false;
    }
    if (nameOk) inputNames.add(raw);
    ctx.origin(`inputs.${inputs.length}`, product, ["inputPorts", j]);
    inputs.push({ product: found.product, port: found.port, ...(nameOk ? { name: raw } : {}) });
  }
  ctx.origin("inputs", product, ["inputPorts"]);
  ctx.origin("outputPorts", product, ["outputPorts"]);

  if (ctx.issues.length) throw descriptorError(ctx.issues);
  const parsedSpec = productSpec.safeParse({
    name,
    slug,
    domain,
    team: teamSlug,
    owners: sortedOwners,
    summary: text.summary,
    description: text.description,
    tags: tags.tags,
    classification,
    outputPorts: ports,
    inputs,
  } satisfies ProductSpecInput);
  if (!parsedSpec.success) {
    for (const issue of parsedSpec.error.issues) {
      const { key, line } = ctx.locate(issue.path.map(String).join("."));
      ctx.issues.push({ path: key, message: line ? `${issue.message} (line ${line})` : issue.message });
    }
    throw descriptorError(ctx.issues, { lead: "The descriptor does not make a valid Canopy product" });
  }

  const note: ImportNote = { team: teamSlug, domain, unresolvedInputs: unresolved, keptOwners };
  return {
    spec: parsedSpec.data,
    sources: {
      product: encodeSource({ ...odps, [IMPORT_NOTE_KEY]: note }),
      ...(Object.keys(contractSources).length ? { contracts: contractSources } : {}),
    },
    warnings: ctx.warnings,
    requested,
    origins: Object.fromEntries([...ctx.origins].map(([k, o]) => [k, ctx.at(o.doc, o.path)])),
  };
}

/**
 * Re-keys field errors the product service reports in spec terms (`owners.0`, `inputs.1`,
 * `outputPorts.0.columns.2.name`) to the document paths they came from.
 */
export function toDocumentFieldErrors(fieldErrors: Record<string, string[]> | undefined, origins: Record<string, string>): Record<string, string[]> | undefined {
  if (!fieldErrors) return fieldErrors;
  const out: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(fieldErrors)) (out[documentPathOf(key, origins)] ??= []).push(...messages);
  return out;
}

/** The document path a spec path (`outputPorts.0.columns.2.name`) came from; the spec path when unknown. */
export function documentPathOf(specPath: string, origins: Record<string, string>): string {
  const segs = specPath.split(".");
  for (let n = segs.length; n > 0; n--) {
    const base = origins[segs.slice(0, n).join(".")];
    if (base === undefined) continue;
    return formatPath(base === "_" ? "" : base, segs.slice(n).map((s) => (/^\d+$/.test(s) ? Number(s) : s))) || "_";
  }
  return specPath;
}
