import { CST, isMap, isScalar, isSeq, Lexer, LineCounter, parseAllDocuments, type Document } from "yaml";
import { UserError } from "@/lib/errors";
import { formatPath, summarizeIssues, toFieldErrors, type DescriptorIssue, type DocPath, type PathSegment } from "@/lib/descriptors/paths";

/**
 * Reading a descriptor body: YAML (one document, or several — the ODPS DataProduct and the ODCS
 * DataContracts of its ports, in any order, told apart by `kind`) or JSON (a single document, a
 * list of documents, or a bundle `{ "product": {...}, "contracts": [...] }`).
 *
 * The body is untrusted: it is refused before any YAML parsing when it is too large, is not UTF-8,
 * has too many documents or aliases, or nests so deeply that the parser could exhaust its stack;
 * after parsing, duplicate keys, unknown tags, alias expansion beyond a small budget and nesting
 * deeper than MAX_DEPTH are refused too. Every refusal is a UserError naming the place.
 */

export const MAX_DESCRIPTOR_BYTES = 1024 * 1024;
export const MAX_DOCUMENTS = 60;
export const MAX_DEPTH = 64;
/** Alias (`*name`) uses, and the expansion budget given to the YAML library. */
export const MAX_ALIASES = 100;
/** Values in all documents together, counting every expansion of an alias. */
const MAX_NODES = 250_000;
/** A block indicator this far right cannot be part of a document nesting MAX_DEPTH levels or fewer with sane indentation. */
const MAX_BLOCK_COLUMN = 2 * MAX_DEPTH;

export type DescriptorKind = "DataProduct" | "DataContract";

export type ParsedDocument = {
  kind: DescriptorKind;
  doc: Record<string, unknown>;
  /** How paths into this document are written: "" for the product, "contracts[2]", "product" in a JSON bundle. */
  prefix: string;
  /** The line a path in this document starts on, when known. */
  lineOf(path: DocPath): number | undefined;
};

export type ParsedDescriptors = {
  format: "yaml" | "json";
  product: ParsedDocument | null;
  contracts: ParsedDocument[];
};

export function descriptorError(issues: readonly DescriptorIssue[], opts: { status?: number; code?: string; lead?: string } = {}): UserError {
  const lead = opts.lead ?? "The descriptor is not valid";
  return new UserError(`${lead}: ${summarizeIssues(issues)}`, {
    status: opts.status ?? 400,
    code: opts.code ?? "invalid_descriptor",
    fieldErrors: toFieldErrors(issues),
  });
}

const refuse = (code: string, message: string, path = "_", status = 400) =>
  new UserError(message, { status, code, fieldErrors: { [path]: [message] } });

// ---------------------------------------------------------------------------------------------
// Bytes → text

function utf8ByteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Offset of the first byte that is not part of well-formed UTF-8. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need = 0;
    let min = 0;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    if (i + need >= bytes.length) return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function tooLarge(bytes: number): UserError {
  const mb = (bytes / (1024 * 1024)).toFixed(1);
  return refuse(
    "too_large",
    `The descriptor is ${bytes > 1024 * 1024 ? `${mb} MB` : `${bytes} bytes`}; the limit is 1 MB. Split it, or leave out what Canopy does not need.`,
    "_",
    413,
  );
}

/** Decodes the body as UTF-8, refusing it when it is too large or not UTF-8. */
export function decodeDescriptorBody(body: Uint8Array | ArrayBuffer | string): string {
  if (typeof body === "string") {
    const n = utf8ByteLength(body);
    if (n > MAX_DESCRIPTOR_BYTES) throw tooLarge(n);
    return body.replace(/^\uFEFF/, "");
  }
  const bytes = body instanceof Uint8Array ? body : new Uint8Array(body);
  if (bytes.byteLength > MAX_DESCRIPTOR_BYTES) throw tooLarge(bytes.byteLength);
  try {
    // Strips a leading byte-order mark.
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw refuse(
      "invalid_encoding",
      `The descriptor is not UTF-8 text${at >= 0 ? ` (invalid byte 0x${bytes[at]!.toString(16).padStart(2, "0")} at offset ${at})` : ""}. Save it as UTF-8 and try again.`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Refusals before the YAML parser runs

/**
 * One pass over the YAML tokens (the lexer is iterative, so any input is safe to scan) that refuses
 * bodies the parser would struggle with: too many documents or aliases, flow collections nested
 * deeper than MAX_DEPTH, or block collections indented so far that they could be.
 */
function prescan(text: string): void {
  let col = 0;
  let flow = 0;
  let docStarts = 0;
  let aliases = 0;
  let line = 1;
  for (const tok of new Lexer().lex(text)) {
    const type = CST.tokenType(tok);
    switch (type) {
      case "doc-mode":
      case "scalar":
      case "flow-error-end":
      case "byte-order-mark":
        // Markers the lexer adds; they take no room in the text.
        continue;
      case "newline":
        col = 0;
        line++;
        continue;
      case "doc-start":
        if (++docStarts > MAX_DOCUMENTS) throw tooManyDocuments();
        break;
      case "flow-map-start":
      case "flow-seq-start":
        if (++flow > MAX_DEPTH) throw tooDeep(`line ${line}`);
        break;
      case "flow-map-end":
      case "flow-seq-end":
        flow = Math.max(0, flow - 1);
        break;
      case "seq-item-ind":
      case "explicit-key-ind":
      case "map-value-ind":
        if (flow === 0 && col > MAX_BLOCK_COLUMN) throw tooDeep(`line ${line}`);
        break;
      case "alias":
        if (++aliases > MAX_ALIASES) throw aliasAbuse();
        break;
    }
    const nl = tok.lastIndexOf("\n");
    if (nl >= 0) {
      line += tok.split("\n").length - 1;
      col = tok.length - nl - 1;
    } else col += tok.length;
  }
}

const tooManyDocuments = () =>
  refuse("too_many_documents", `The body has more than ${MAX_DOCUMENTS} documents; send one product with its contracts at a time.`);

const tooDeep = (where: string) =>
  refuse("too_deep", `The descriptor nests more than ${MAX_DEPTH} levels deep (${where}); descriptors never need that many.`);

const aliasAbuse = () =>
  refuse(
    "too_many_aliases",
    `The descriptor uses YAML anchors and aliases (*name) more than ${MAX_ALIASES} times or expands them too far; write the values out instead.`,
  );

// ---------------------------------------------------------------------------------------------
// Parsing

type RawDoc = { value: unknown; index: number; yaml: Document.Parsed; base: PathSegment[] };

function yamlPathAt(doc: Document.Parsed, offset: number): PathSegment[] {
  const path: PathSegment[] = [];
  let node: unknown = doc.contents;
  for (let guard = 0; guard < MAX_DEPTH * 2 && node; guard++) {
    if (isMap(node)) {
      const pair = node.items.find((p) => {
        const v = p.value as { range?: [number, number, number] } | null;
        const k = p.key as { range?: [number, number, number] } | null;
        const start = k?.range?.[0] ?? v?.range?.[0] ?? -1;
        const end = v?.range?.[2] ?? k?.range?.[2] ?? -1;
        return offset >= start && offset < end;
      });
      if (!pair) break;
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const keyRange = (pair.key as { range?: [number, number, number] } | null)?.range;
      if (keyRange && offset < keyRange[2]) {
        path.push(key);
        break;
      }
      path.push(key);
      node = pair.value;
    } else if (isSeq(node)) {
      const i = node.items.findIndex((it) => {
        const r = (it as { range?: [number, number, number] } | null)?.range;
        return r && offset >= r[0] && offset < r[2];
      });
      if (i < 0) break;
      path.push(i);
      node = node.items[i];
    } else break;
  }
  return path;
}

function yamlErrorMessage(code: string, message: string): string {
  const first = message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  switch (code) {
    case "DUPLICATE_KEY":
      return "this key appears more than once; each key may appear once";
    case "TAG_RESOLVE_FAILED":
      return `${first.replace(/^Unresolved tag: /, "unknown YAML tag ")}; descriptors use plain values only`;
    case "BAD_ALIAS":
    case "BAD_ANCHOR":
      return first;
    default:
      return first.charAt(0).toLowerCase() + first.slice(1);
  }
}

/** Depth, size and key checks on a parsed value, without recursion (aliases can make it a graph). */
function checkShape(value: unknown, where: string): void {
  const stack: { v: unknown; depth: number; path: PathSegment[] }[] = [{ v: value, depth: 0, path: [] }];
  let nodes = 0;
  while (stack.length) {
    const { v, depth, path } = stack.pop()!;
    if (++nodes > MAX_NODES) throw aliasAbuse();
    if (v === null || typeof v !== "object") continue;
    if (depth >= MAX_DEPTH) {
      const at = formatPath(where, path);
      throw tooDeep(`at ${at.length > 60 ? `…${at.slice(-60)}` : at}`);
    }
    if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, depth: depth + 1, path: [...path, i] }));
    else
      for (const [k, x] of Object.entries(v)) {
        if (k === "__proto__" || k === "constructor" || k === "prototype") {
          const at = formatPath(where, [...path, k]);
          throw refuse("invalid_descriptor", `${at}: the key "${k}" is not allowed`, at);
        }
        stack.push({ v: x, depth: depth + 1, path: [...path, k] });
      }
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/**
 * Parses a descriptor body into its documents. Throws a UserError (413 `too_large`, 400
 * `invalid_encoding`, `too_deep`, `too_many_aliases`, `too_many_documents`, `invalid_descriptor`)
 * with field errors keyed by document path. Schema validation is separate (see readDescriptors).
 */
export function parseDescriptorBody(body: Uint8Array | ArrayBuffer | string): ParsedDescriptors {
  const text = decodeDescriptorBody(body);
  if (!text.trim()) throw refuse("empty_descriptor", "The body is empty: send an ODPS DataProduct document, with the ODCS contracts of its ports.");
  prescan(text);
  const format = /^\s*[[{]/.test(text) ? "json" : "yaml";
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter,
    schema: "core",
    merge: true,
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
    stringKeys: true,
  });
  const list = Array.isArray(docs) ? docs : [];
  if (list.length > MAX_DOCUMENTS) throw tooManyDocuments();
  const issues: DescriptorIssue[] = [];
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  const raw: RawDoc[] = [];
  list.forEach((doc, index) => {
    const where = list.length > 1 ? `documents[${index}]` : "";
    const problems = [...doc.errors, ...doc.warnings];
    for (const err of problems) {
      const path = yamlPathAt(doc, err.pos[0]);
      const pos = lineCounter.linePos(err.pos[0]);
      issues.push({ path: formatPath(where, path), message: `${yamlErrorMessage(err.code, err.message)} (line ${pos.line}, column ${pos.col})` });
    }
    if (problems.length) return;
    if (doc.contents === null) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (err) {
      if (err instanceof ReferenceError && /alias/i.test(err.message)) {
        if (/Excessive/.test(err.message)) throw aliasAbuse();
        issues.push({ path: where || "_", message: err.message });
        return;
      }
      throw err;
    }
    checkShape(value, where);
    raw.push({ value, index, yaml: doc, base: [] });
  });
  if (issues.length) throw descriptorError(issues, { lead: "The descriptor is not valid YAML or JSON" });
  if (!raw.length) throw refuse("empty_descriptor", "The body has no documents: send an ODPS DataProduct document, with the ODCS contracts of its ports.");

  const single = raw.length === 1 ? raw[0]! : null;
  // A bundle: { product: {...}, contracts: [...] }; or a list of documents.
  if (single && isRecord(single.value) && !("kind" in single.value) && ("product" in single.value || "contracts" in single.value)) {
    return fromBundle(single, format, lineAt);
  }
  if (single && Array.isArray(single.value)) {
    const items = single.value.map((value, i) => ({ ...single, value, base: [i] as PathSegment[] }));
    return classify(items, format, lineAt, (i) => `[${i}]`);
  }
  return classify(raw, format, lineAt, (i) => (raw.length > 1 ? `documents[${i}]` : ""));
}

function locator(raw: RawDoc, lineAt: (offset: number) => number) {
  return (path: DocPath): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = raw.yaml.getIn([...raw.base, ...path.slice(0, n)], true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return lineAt(node.range[0]);
    }
    return undefined;
  };
}

function fromBundle(single: RawDoc, format: "yaml" | "json", lineAt: (offset: number) => number): ParsedDescriptors {
  const bundle = single.value as Record<string, unknown>;
  const issues: DescriptorIssue[] = [];
  for (const key of Object.keys(bundle))
    if (key !== "product" && key !== "contracts") issues.push({ path: key, message: "is not part of a descriptor bundle (product, contracts)" });
  let product: ParsedDocument | null = null;
  if (bundle.product !== undefined) {
    if (!isRecord(bundle.product)) issues.push({ path: "product", message: "must be an ODPS DataProduct document (an object)" });
    else if (bundle.product.kind !== "DataProduct")
      issues.push({ path: "product.kind", message: `must be DataProduct (found ${JSON.stringify(bundle.product.kind ?? null)})` });
    else
      product = { kind: "DataProduct", doc: bundle.product, prefix: "product", lineOf: locator({ ...single, base: ["product"] }, lineAt) };
  }
  const contracts: ParsedDocument[] = [];
  if (bundle.contracts !== undefined && !Array.isArray(bundle.contracts)) issues.push({ path: "contracts", message: "must be a list of ODCS DataContract documents" });
  else
    ((bundle.contracts as unknown[] | undefined) ?? []).forEach((c, i) => {
      const prefix = `contracts[${i}]`;
      if (!isRecord(c)) issues.push({ path: prefix, message: "must be an ODCS DataContract document (an object)" });
      else if (c.kind !== "DataContract") issues.push({ path: `${prefix}.kind`, message: `must be DataContract (found ${JSON.stringify(c.kind ?? null)})` });
      else contracts.push({ kind: "DataContract", doc: c, prefix, lineOf: locator({ ...single, base: ["contracts", i] }, lineAt) });
    });
  if (contracts.length > MAX_DOCUMENTS) throw tooManyDocuments();
  if (issues.length) throw descriptorError(issues);
  return { format, product, contracts };
}

function classify(
  raw: RawDoc[],
  format: "yaml" | "json",
  lineAt: (offset: number) => number,
  where: (i: number) => string,
): ParsedDescriptors {
  if (raw.length > MAX_DOCUMENTS) throw tooManyDocuments();
  const issues: DescriptorIssue[] = [];
  let product: ParsedDocument | null = null;
  const contracts: ParsedDocument[] = [];
  raw.forEach((r, i) => {
    const at = where(i);
    if (!isRecord(r.value)) {
      issues.push({ path: at || "_", message: `must be a descriptor document (key: value pairs), not ${Array.isArray(r.value) ? "a list" : "a single value"}` });
      return;
    }
    const kind = r.value.kind;
    if (kind === "DataProduct") {
      if (product) {
        issues.push({ path: formatPath(at || "_", ["kind"]), message: "a second DataProduct; send one product (with its contracts) per request" });
        return;
      }
      product = { kind, doc: r.value, prefix: "", lineOf: locator(r, lineAt) };
    } else if (kind === "DataContract") {
      contracts.push({ kind, doc: r.value, prefix: `contracts[${contracts.length}]`, lineOf: locator(r, lineAt) });
    } else if (kind === undefined) {
      issues.push({ path: formatPath(at, ["kind"]), message: "required: DataProduct (ODPS) or DataContract (ODCS)" });
    } else {
      issues.push({
        path: formatPath(at, ["kind"]),
        message: `${JSON.stringify(kind)} is not a kind Canopy reads; use DataProduct (ODPS) or DataContract (ODCS)`,
      });
    }
  });
  if (issues.length) throw descriptorError(issues);
  return { format, product, contracts };
}
