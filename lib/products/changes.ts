import { SLA_PROPERTIES, type ColumnSpec, type PortSpec, type ProductSpec, type SlaSpec } from "@/lib/products/spec";

/**
 * The change classifier: what changed between two states of a product, and how much it matters
 * to the people who read it. Breaking changes (major) are those after which a consumer's query,
 * pipeline or expectation may fail: a column or port removed or renamed, a type narrowed or
 * changed, a column made required, a weaker SLA, data classified more strictly (masked for some
 * readers). Additions and relaxations are minor; wording is a patch. Client-safe (no server imports).
 */

export type ChangeLevel = "major" | "minor" | "patch";
export type Change = { level: ChangeLevel; path: string; message: string; port?: string };

const RANK: Record<ChangeLevel, number> = { patch: 1, minor: 2, major: 3 };
const CLASS_RANK = { public: 0, internal: 1, confidential: 2, restricted: 3 } as const;

export function highestLevel(changes: readonly Change[]): ChangeLevel | "none" {
  let best: ChangeLevel | "none" = "none";
  for (const c of changes) if (best === "none" || RANK[c.level] > RANK[best]) best = c.level;
  return best;
}

// ---------------------------------------------------------------------------------------------
// Types: widening vs narrowing

type ParsedType = { family: string; rank: number; params: number[] };

const INTEGER_RANK: Record<string, number> = { tinyint: 1, smallint: 2, integer: 3, int: 3, bigint: 4 };
const FLOAT_RANK: Record<string, number> = { real: 1, float: 1, double: 2, "double precision": 2 };

function parseType(raw: string): ParsedType {
  const t = raw.trim().toLowerCase().replace(/\s+/g, " ");
  const m = /^([a-z ]+?)\s*(?:\((\s*\d+\s*(?:,\s*\d+\s*)*)\))?(\s+with(?:out)? time zone)?$/.exec(t);
  if (!m) return { family: t, rank: 0, params: [] };
  const base = m[1]!.trim();
  const params = m[2] ? m[2].split(",").map((n) => Number.parseInt(n, 10)) : [];
  const tz = m[3]?.trim() ?? "";
  if (base in INTEGER_RANK) return { family: "integer", rank: INTEGER_RANK[base]!, params: [] };
  if (base in FLOAT_RANK) return { family: "float", rank: FLOAT_RANK[base]!, params: [] };
  if (base === "decimal" || base === "numeric") return { family: "decimal", rank: 0, params: params.length ? params : [38, 0] };
  if (base === "varchar" || base === "char" || base === "character varying" || base === "string" || base === "text")
    // Unbounded varchar is the widest string.
    return { family: "string", rank: 0, params: params.length ? params : [Number.POSITIVE_INFINITY] };
  if (base === "timestamp" || base === "time") return { family: `${base}${tz}`, rank: 0, params: params.length ? params : [3] };
  return { family: `${base}${tz}`, rank: 0, params };
}

/** "widened", "narrowed", "changed" (incompatible) or "same" for a physical type change. */
export function compareTypes(before: string, after: string): "same" | "widened" | "narrowed" | "changed" {
  const a = parseType(before);
  const b = parseType(after);
  if (a.family === b.family) {
    if (a.family === "integer" || a.family === "float") return a.rank === b.rank ? "same" : a.rank < b.rank ? "widened" : "narrowed";
    if (a.family === "decimal") {
      const [ap = 38, as = 0] = a.params;
      const [bp = 38, bs = 0] = b.params;
      if (ap === bp && as === bs) return "same";
      // Widening keeps every value representable: no fewer integer digits and no fewer fraction digits.
      if (bp - bs >= ap - as && bs >= as) return "widened";
      return "narrowed";
    }
    if (a.family === "string" || a.family.startsWith("timestamp") || a.family.startsWith("time")) {
      const x = a.params[0] ?? 0;
      const y = b.params[0] ?? 0;
      return x === y ? "same" : x < y ? "widened" : "narrowed";
    }
    return a.params.join(",") === b.params.join(",") ? "same" : "changed";
  }
  // Across families only the lossless promotions are widening.
  if (a.family === "integer" && (b.family === "float" || b.family === "decimal")) {
    if (b.family === "float") return b.rank >= 2 ? "widened" : "changed";
    const [p = 38, s = 0] = b.params;
    const digits = [0, 3, 5, 10, 19][a.rank] ?? 19;
    return p - s >= digits ? "widened" : "narrowed";
  }
  return "changed";
}

// ---------------------------------------------------------------------------------------------
// SLA: which direction is better

const UNIT_HOURS: Record<string, number> = { m: 1 / 60, h: 1, d: 24, w: 24 * 7, y: 24 * 365 };

function slaMagnitude(s: SlaSpec): number {
  if (s.unit === "%") return s.value;
  return s.value * (UNIT_HOURS[s.unit] ?? 1);
}

function describeSla(s: SlaSpec) {
  return `${s.property} ${s.value}${s.unit === "%" ? "%" : ` ${s.unit}`}${s.element ? ` on ${s.element}` : ""}`;
}

// ---------------------------------------------------------------------------------------------

const list = (xs: readonly string[]) => [...xs].sort().join(", ") || "none";

function columnChanges(port: string, base: string, before: ColumnSpec[], after: ColumnSpec[]): Change[] {
  const out: Change[] = [];
  const add = (level: ChangeLevel, path: string, message: string) => out.push({ level, path, message, port });
  const byName = (cs: ColumnSpec[]) => new Map(cs.map((c) => [c.name, c]));
  const was = byName(before);
  const now = byName(after);
  const removed = before.filter((c) => !now.has(c.name));
  const added = after.filter((c) => !was.has(c.name));
  // A removed and an added column at the same position with the same type read as a rename.
  const renamedTo = new Map<string, ColumnSpec>();
  for (const r of removed) {
    const i = before.indexOf(r);
    const candidate = added.find((a) => after.indexOf(a) === i && compareTypes(r.physicalType, a.physicalType) === "same");
    if (candidate && ![...renamedTo.values()].includes(candidate)) renamedTo.set(r.name, candidate);
  }
  const renamedTargets = new Set([...renamedTo.values()].map((c) => c.name));
  for (const r of removed) {
    const to = renamedTo.get(r.name);
    if (to) add("major", `${base}.${r.name}`, `Column ${r.name} renamed to ${to.name}`);
    else add("major", `${base}.${r.name}`, `Column ${r.name} removed`);
  }
  for (const a of added) {
    if (renamedTargets.has(a.name)) continue;
    if (a.required) add("major", `${base}.${a.name}`, `Required column ${a.name} added (${a.physicalType})`);
    else add("minor", `${base}.${a.name}`, `Optional column ${a.name} added (${a.physicalType})`);
  }
  for (const b of before) {
    const a = now.get(b.name);
    if (!a) continue;
    const path = `${base}.${b.name}`;
    const t = compareTypes(b.physicalType, a.physicalType);
    if (t === "narrowed") add("major", path, `Column ${b.name} narrowed from ${b.physicalType} to ${a.physicalType}`);
    else if (t === "changed") add("major", path, `Column ${b.name} changed type from ${b.physicalType} to ${a.physicalType}`);
    else if (t === "widened") add("minor", path, `Column ${b.name} widened from ${b.physicalType} to ${a.physicalType}`);
    if (b.logicalType !== a.logicalType && t !== "changed")
      add("major", path, `Column ${b.name} changed logical type from ${b.logicalType} to ${a.logicalType}`);
    if (!b.required && a.required) add("major", path, `Column ${b.name} is now required`);
    if (b.required && !a.required) add("minor", path, `Column ${b.name} is now optional (may be null)`);
    if (b.primaryKey && !a.primaryKey) add("major", path, `Column ${b.name} is no longer part of the primary key`);
    if (!b.primaryKey && a.primaryKey) add("minor", path, `Column ${b.name} added to the primary key`);
    if (CLASS_RANK[a.classification] > CLASS_RANK[b.classification])
      add("major", path, `Column ${b.name} classified ${a.classification} (was ${b.classification}): some readers may lose it`);
    else if (CLASS_RANK[a.classification] < CLASS_RANK[b.classification])
      add("minor", path, `Column ${b.name} classified ${a.classification} (was ${b.classification})`);
    if (!b.pii && a.pii) add("major", path, `Column ${b.name} marked as PII: masked for readers without PII access`);
    if (b.pii && !a.pii) add("minor", path, `Column ${b.name} no longer marked as PII`);
    if (b.description !== a.description) add("patch", path, `Description of column ${b.name} changed`);
  }
  const order = (cs: ColumnSpec[]) => cs.filter((c) => was.has(c.name) && now.has(c.name)).map((c) => c.name).join(",");
  if (order(before) !== order(after)) add("patch", base, "Column order changed");
  return out;
}

function contractChanges(port: string, base: string, b: PortSpec["contract"], a: PortSpec["contract"]): Change[] {
  const out: Change[] = [];
  const add = (level: ChangeLevel, path: string, message: string) => out.push({ level, path, message, port });
  // SLA, per property and element.
  const key = (s: SlaSpec) => `${s.property}|${s.element}`;
  const slaBefore = new Map(b.sla.map((s) => [key(s), s]));
  const slaAfter = new Map(a.sla.map((s) => [key(s), s]));
  for (const [k, s] of slaBefore) {
    const n = slaAfter.get(k);
    const path = `${base}.sla.${s.property}`;
    if (!n) {
      add("major", path, `SLA ${describeSla(s)} removed`);
      continue;
    }
    const better = SLA_PROPERTIES[s.property];
    const x = slaMagnitude(s);
    const y = slaMagnitude(n);
    if (x === y) continue;
    const worse = better === "lower" ? y > x : y < x;
    if (worse) add("major", path, `SLA weakened: ${describeSla(s)} → ${describeSla(n)}`);
    else add("minor", path, `SLA improved: ${describeSla(s)} → ${describeSla(n)}`);
  }
  for (const [k, n] of slaAfter) if (!slaBefore.has(k)) add("minor", `${base}.sla.${n.property}`, `SLA ${describeSla(n)} added`);
  // Quality rules: promises about the data, not its shape.
  const rule = (q: PortSpec["contract"]["quality"][number]) => `${q.metric}|${q.column}|${q.operator}|${q.threshold}|${q.query}`;
  const qb = new Set(b.quality.map(rule));
  const qa = new Set(a.quality.map(rule));
  const removedRules = b.quality.filter((q) => !qa.has(rule(q)));
  const addedRules = a.quality.filter((q) => !qb.has(rule(q)));
  for (const q of removedRules) add("minor", `${base}.quality`, `Quality check ${q.metric}${q.column ? ` on ${q.column}` : ""} removed or changed`);
  for (const q of addedRules) add("minor", `${base}.quality`, `Quality check ${q.metric}${q.column ? ` on ${q.column}` : ""} added`);
  if (removedRules.length === 0 && addedRules.length === 0) {
    // Where a check is written (on the table or on its column) decides its order in a contract; the
    // order is not part of the promise, so descriptions are compared per check.
    const descs = (qs: typeof b.quality) => qs.map((q) => `${rule(q)}|${q.description}`).sort().join("\n");
    if (descs(b.quality) !== descs(a.quality)) add("patch", `${base}.quality`, "Quality check descriptions changed");
  }
  for (const f of ["purpose", "limitations", "usage"] as const)
    if (b.terms[f] !== a.terms[f]) add("patch", `${base}.terms.${f}`, `Terms of use: ${f} changed`);
  if (list(b.approvers) !== list(a.approvers)) add("patch", `${base}.approvers`, `Approvers changed to ${list(a.approvers)}`);
  if (list(b.secondLevelApprovers) !== list(a.secondLevelApprovers))
    add("patch", `${base}.secondLevelApprovers`, `Second-step approvers changed to ${list(a.secondLevelApprovers)}`);
  const droppedPurposes = b.piiPurposes.filter((x) => !a.piiPurposes.includes(x));
  if (droppedPurposes.length) add("major", `${base}.piiPurposes`, `PII masked again for ${list(droppedPurposes)} purposes`);
  else if (list(b.piiPurposes) !== list(a.piiPurposes)) add("minor", `${base}.piiPurposes`, `PII shown unmasked also for ${list(a.piiPurposes.filter((x) => !b.piiPurposes.includes(x)))} purposes`);
  return out;
}

function portChanges(b: PortSpec, a: PortSpec): Change[] {
  const base = `outputPorts.${b.name}`;
  const out: Change[] = [];
  const add = (level: ChangeLevel, path: string, message: string) => out.push({ level, path, message, port: b.name });
  if (b.type !== a.type) add("major", `${base}.type`, `Port ${b.name} changed type from ${b.type} to ${a.type}`);
  if (b.location !== a.location) add("major", `${base}.location`, `Port ${b.name} moved from ${b.location} to ${a.location}`);
  const bc = b.classification ?? "internal";
  const ac = a.classification ?? "internal";
  if (CLASS_RANK[ac] > CLASS_RANK[bc]) add("major", `${base}.classification`, `Port ${b.name} classified ${ac} (was ${bc})`);
  else if (CLASS_RANK[ac] < CLASS_RANK[bc]) add("minor", `${base}.classification`, `Port ${b.name} classified ${ac} (was ${bc})`);
  if (b.description !== a.description) add("patch", `${base}.description`, `Description of port ${b.name} changed`);
  if (b.bucket && a.bucket && a.bucket.maxSizeGiB < b.bucket.maxSizeGiB)
    add("minor", `${base}.bucket`, `Bucket size limit lowered to ${a.bucket.maxSizeGiB} GiB`);
  else if (JSON.stringify(b.bucket ?? null) !== JSON.stringify(a.bucket ?? null)) add("patch", `${base}.bucket`, "Bucket limits changed");
  out.push(...columnChanges(b.name, `${base}.columns`, b.columns, a.columns));
  out.push(...contractChanges(b.name, `${base}.contract`, b.contract, a.contract));
  return out;
}

/** Every change from `before` to `after`, in a stable, readable order. */
export function classifyChanges(before: ProductSpec, after: ProductSpec): Change[] {
  const out: Change[] = [];
  const add = (level: ChangeLevel, path: string, message: string) => out.push({ level, path, message });
  if (before.name !== after.name) add("patch", "name", `Renamed from “${before.name}” to “${after.name}”`);
  if (before.summary !== after.summary) add("patch", "summary", "Summary changed");
  if (before.description !== after.description) add("patch", "description", "Description changed");
  if (list(before.tags) !== list(after.tags)) add("patch", "tags", `Tags changed to ${list(after.tags)}`);
  if (before.team !== after.team) add("patch", "team", `Owning team changed to ${after.team || "none"}`);
  if (list(before.owners) !== list(after.owners)) add("patch", "owners", `Owners changed to ${list(after.owners)}`);
  if (CLASS_RANK[after.classification] > CLASS_RANK[before.classification])
    add("major", "classification", `Product classified ${after.classification} (was ${before.classification})`);
  else if (CLASS_RANK[after.classification] < CLASS_RANK[before.classification])
    add("minor", "classification", `Product classified ${after.classification} (was ${before.classification})`);

  const portsBefore = new Map(before.outputPorts.map((p) => [p.name, p]));
  const portsAfter = new Map(after.outputPorts.map((p) => [p.name, p]));
  for (const p of before.outputPorts) {
    const n = portsAfter.get(p.name);
    if (!n) out.push({ level: "major", path: `outputPorts.${p.name}`, message: `Output port ${p.name} removed`, port: p.name });
    else out.push(...portChanges(p, n));
  }
  for (const p of after.outputPorts)
    if (!portsBefore.has(p.name)) out.push({ level: "minor", path: `outputPorts.${p.name}`, message: `Output port ${p.name} added (${p.type})`, port: p.name });

  const inputKey = (i: ProductSpec["inputs"][number]) => `${i.product}/${i.port}`;
  const ib = new Set(before.inputs.map(inputKey));
  const ia = new Set(after.inputs.map(inputKey));
  for (const k of ib) if (!ia.has(k)) add("minor", "inputs", `No longer reads ${k}`);
  for (const k of ia) if (!ib.has(k)) add("minor", "inputs", `Now reads ${k}`);
  return out;
}
