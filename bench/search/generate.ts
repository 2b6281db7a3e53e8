import type { RawSql } from "@/lib/db/client";
import * as W from "./words";

/**
 * Deterministic synthetic data mesh for the search benchmark.
 *
 * `generateMesh({ products, seed })` returns the small tables (domains, teams, users) eagerly and every
 * product lazily: `mesh.product(i)` is a pure function of (seed, i), so 100k products × ~20 columns are
 * generated and loaded chunk by chunk without holding the mesh in memory. Product names are unique by
 * construction (a bijection from the product index onto qualifier × subject × metric × region).
 */

export type MeshOptions = { products: number; seed?: number };
export type Status = "draft" | "published" | "deprecated" | "retired";
export type Classification = "public" | "internal" | "confidential" | "restricted";
export type PortType = "trino_table" | "s3_bucket" | "api";

export type DomainRow = { id: string; slug: string; name: string; description: string; stewardUserIndexes: number[] };
export type TeamRow = { id: string; slug: string; name: string; domainIndex: number };
export type UserRow = { id: string; email: string; name: string; teamIndex: number };
export type ColumnRow = {
  id: string;
  name: string;
  type: string;
  logicalType: string;
  description: string;
  classification: Classification;
  pii: boolean;
  nullable: boolean;
  primaryKey: boolean;
  position: number;
};
export type PortRow = {
  id: string;
  name: string;
  type: PortType;
  location: string;
  description: string;
  classification: Classification | null;
  contractId: string;
  columns: ColumnRow[];
};
export type ProductRow = {
  index: number;
  id: string;
  slug: string;
  name: string;
  summary: string;
  description: string;
  domainIndex: number;
  teamIndex: number;
  status: Status;
  version: string;
  tags: string[];
  classification: Classification;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
  ownerUserIndexes: number[];
  ports: PortRow[];
  upstream: { id: string; inputName: string; portId: string }[];
  parts: { qualifier: string; subject: string; metric: string; variant: string };
  /** The rare column this product alone has (judged products only). */
  rareColumn: string | null;
};

export type Mesh = {
  options: Required<MeshOptions>;
  domains: DomainRow[];
  teams: TeamRow[];
  users: UserRow[];
  product(i: number): ProductRow;
  /** Indexes of the products the judged queries are written for (published, one rare column each). */
  judgedIndexes: number[];
};

// ---------------------------------------------------------------------------------------------------------
// Deterministic randomness

/** 32-bit integer hash of a list of integers (murmur3 finaliser chained). */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    h = (h + 0x7f4a7c15) | 0;
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

export type Rng = { next(): number; int(n: number): number; pick<T>(xs: readonly T[]): T; chance(p: number): boolean };

export function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (xs) => xs[Math.floor(next() * xs.length)]!,
    chance: (p) => next() < p,
  };
}

const KIND = { user: 1, domain: 2, team: 3, product: 4, port: 5, column: 6, dep: 7, contract: 8 } as const;

/** A deterministic UUID (version-4 layout) for (seed, kind, a, b). */
export function uuidFor(seed: number, kind: number, a: number, b = 0): string {
  // Four independent 32-bit chains (the salt goes first, so one chain's collision says nothing about the others).
  const w = [1, 2, 3, 4].map((salt) => hash32(salt * 0x3c6ef372, seed, kind, a, b));
  const hex = w.map((x) => x.toString(16).padStart(8, "0")).join("");
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const title = (s: string) => s.replace(/(^|[\s_-])([a-z])/g, (_m, sep: string, c: string) => (sep === "_" ? " " : sep) + c.toUpperCase());
const kebab = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
const snake = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "");

// ---------------------------------------------------------------------------------------------------------
// The mesh

const NAME_SPACE = W.QUALIFIERS.length * W.SUBJECTS.length * W.METRICS.length * W.VARIANTS.length;
const NAME_STRIDE = 1_000_003; // prime, larger than half of NAME_SPACE and not one of its factors

function nameParts(seed: number, i: number) {
  let c = Number((BigInt(i) * BigInt(NAME_STRIDE) + BigInt(hash32(seed, 99))) % BigInt(NAME_SPACE));
  const q = c % W.QUALIFIERS.length;
  c = Math.floor(c / W.QUALIFIERS.length);
  const s = c % W.SUBJECTS.length;
  c = Math.floor(c / W.SUBJECTS.length);
  const m = c % W.METRICS.length;
  c = Math.floor(c / W.METRICS.length);
  const v = c % W.VARIANTS.length;
  return { qualifier: W.QUALIFIERS[q]!, subject: W.SUBJECTS[s]!, metric: W.METRICS[m]!, variant: W.VARIANTS[v]!, subjectIndex: s };
}

function portCount(seed: number, i: number) {
  const r = hash32(seed, KIND.port, i) % 100;
  return r < 55 ? 1 : r < 85 ? 2 : 3;
}

function portTypeOf(seed: number, i: number, k: number): PortType {
  const r = hash32(seed, KIND.port, i, k + 1) % 100;
  return r < 60 ? "trino_table" : r < 85 ? "s3_bucket" : "api";
}

function attributeDescription(entity: string | null, attr: string) {
  const words = attr.replace(/_/g, " ");
  return entity ? `The ${words} of the ${entity}.` : `The record's ${words}.`;
}

export function generateMesh(opts: MeshOptions): Mesh {
  const seed = opts.seed ?? 42;
  const products = opts.products;
  if (!Number.isInteger(products) || products < 1) throw new Error("products must be a positive integer");
  if (products > NAME_SPACE) throw new Error(`at most ${NAME_SPACE} products (unique names)`);

  const domains: DomainRow[] = W.DOMAINS.map(([slug, name], d) => ({
    id: uuidFor(seed, KIND.domain, d),
    slug,
    name,
    description: `Data products of the ${name} domain.`,
    stewardUserIndexes: [],
  }));
  const nTeams = Math.max(domains.length * 2, Math.ceil(products / 40));
  const teams: TeamRow[] = [];
  for (let t = 0; t < nTeams; t++) {
    const domainIndex = t % domains.length;
    const r = rng(hash32(seed, KIND.team, t));
    const base = `${domains[domainIndex]!.name} ${r.pick(W.TEAM_WORDS)}`;
    const n = Math.floor(t / domains.length) + 1;
    teams.push({ id: uuidFor(seed, KIND.team, t), slug: kebab(`${base} ${n}`), name: `${base} ${n}`, domainIndex });
  }
  const nUsers = Math.max(nTeams * 2, Math.ceil(products / 10));
  const users: UserRow[] = [];
  for (let u = 0; u < nUsers; u++) {
    const r = rng(hash32(seed, KIND.user, u));
    const first = r.pick(W.FIRST_NAMES);
    const last = r.pick(W.LAST_NAMES);
    users.push({ id: uuidFor(seed, KIND.user, u), email: `${first}.${last}.${u}@bench.example`.toLowerCase(), name: `${first} ${last}`, teamIndex: u % nTeams });
  }
  // Two stewards per domain: the first users of the domain's first team.
  for (let d = 0; d < domains.length; d++) domains[d]!.stewardUserIndexes = [d, d + nTeams].filter((u) => u < nUsers);

  const teamUsers = (t: number) => {
    const out: number[] = [];
    for (let u = t; u < nUsers; u += nTeams) out.push(u);
    return out;
  };

  const nJudged = Math.min(60, products);
  const judgedIndexes = Array.from({ length: nJudged }, (_, k) => Math.floor(((k + (hash32(seed, 5150, k) % 1000) / 1000) * products) / nJudged));
  const judgedRank = new Map(judgedIndexes.map((i, k) => [i, k]));

  const base = Date.UTC(2024, 0, 1);
  const day = 86_400_000;

  function product(i: number): ProductRow {
    if (i < 0 || i >= products) throw new Error(`product index ${i} out of range`);
    const r = rng(hash32(seed, KIND.product, i));
    const parts = nameParts(seed, i);
    const judged = judgedRank.get(i);
    const name = [title(parts.qualifier), title(parts.subject), title(parts.metric), parts.variant].filter(Boolean).join(" ");
    const slug = kebab(name);
    const domainIndex = r.chance(0.7) ? parts.subjectIndex % domains.length : r.int(domains.length);
    const domainTeams = Math.ceil((nTeams - domainIndex) / domains.length);
    const teamIndex = domainIndex + domains.length * r.int(domainTeams);
    const domain = domains[domainIndex]!;

    const sr = r.next();
    const status: Status = judged !== undefined ? "published" : sr < 0.8 ? "published" : sr < 0.9 ? "draft" : sr < 0.95 ? "deprecated" : "retired";
    const cr = r.next();
    const classification: Classification =
      judged !== undefined ? (cr < 0.5 ? "public" : "internal") : cr < 0.2 ? "public" : cr < 0.7 ? "internal" : cr < 0.9 ? "confidential" : "restricted";

    const tags = new Set<string>();
    const nTags = 2 + r.int(4);
    if (classification === "confidential" || classification === "restricted") tags.add(r.chance(0.5) ? "pii" : "sensitive");
    while (tags.size < nTags) tags.add(r.pick(W.TAGS));

    const other = () => {
      let o = r.pick(W.SUBJECTS);
      if (o === parts.subject) o = r.pick(W.SUBJECTS);
      return o;
    };
    const fill = (tpl: string) =>
      tpl.replace(/\{s\}/g, parts.subject).replace(/\{m\}/g, parts.metric).replace(/\{q\}/g, parts.qualifier).replace(/\{d\}/g, domain.name).replace(/\{o\}/g, other);
    const summary = `${title(parts.qualifier)} ${parts.metric} per ${parts.subject}${parts.variant ? ` in ${parts.variant}` : ""}, curated by ${domain.name}.`;
    const nSentences = 3 + r.int(4);
    const sentences: string[] = [];
    const used = new Set<number>();
    while (sentences.length < nSentences) {
      const k = r.int(W.SENTENCES.length);
      if (used.has(k)) continue;
      used.add(k);
      sentences.push(fill(W.SENTENCES[k]!));
    }
    const description = sentences.join(" ");

    const createdAt = new Date(base + r.int(600) * day + r.int(day));
    const updatedAt = new Date(createdAt.getTime() + r.int(120) * day);
    const publishedAt = status === "draft" ? null : new Date(createdAt.getTime() + r.int(10) * day);
    const version = status === "draft" ? "0.1.0" : `${1 + r.int(3)}.${r.int(8)}.${r.int(5)}`;

    const members = teamUsers(teamIndex);
    const owners = new Set<number>([r.pick(members)]);
    if (r.chance(0.4)) owners.add(r.pick(members));

    // Ports and columns: ~20 columns in total, spread over the ports.
    const nPorts = portCount(seed, i);
    const totalColumns = 16 + r.int(9);
    const ports: PortRow[] = [];
    const subjectSnake = snake(parts.subject);
    const metricSnake = snake(parts.metric);
    const portSuffixes = ["", "_daily", "_events", "_snapshot", "_v2"];
    for (let k = 0; k < nPorts; k++) {
      const type = portTypeOf(seed, i, k);
      const portName = `${subjectSnake}_${metricSnake}${portSuffixes[k] ?? `_${k}`}`;
      const location =
        type === "trino_table"
          ? `${snake(domain.slug)}.${snake(slug)}.${portName}`
          : type === "s3_bucket"
            ? `s3://${domain.slug}-products/${slug}/${portName}/`
            : `https://api.bench.example/${domain.slug}/${slug}/${portName}`;
      const n = k === nPorts - 1 ? totalColumns - Math.floor(totalColumns / nPorts) * (nPorts - 1) : Math.floor(totalColumns / nPorts);
      const names = new Set<string>();
      const columns: ColumnRow[] = [];
      const add = (colName: string, attr: readonly [string, string, string], entity: string | null, primaryKey: boolean) => {
        names.add(colName);
        const pii = W.PII_ATTRIBUTES.has(attr[0]);
        columns.push({
          id: uuidFor(seed, KIND.column, i, k * 1000 + columns.length),
          name: colName,
          type: attr[1],
          logicalType: attr[2],
          description: attributeDescription(entity, attr[0]),
          classification: pii ? "confidential" : classification === "restricted" ? "restricted" : "internal",
          pii,
          nullable: !primaryKey && r.chance(0.7),
          primaryKey,
          position: columns.length,
        });
      };
      add(`${subjectSnake}_id`, W.COLUMN_ATTRIBUTES[0]!, parts.subject, true);
      if (k === 0 && judged !== undefined && judged < W.RARE_COLUMNS.length) {
        add(W.RARE_COLUMNS[judged]!, ["code", "varchar", "string"], null, false);
      }
      let guard = 0;
      while (columns.length < n && guard++ < 200) {
        const attr = r.pick(W.COLUMN_ATTRIBUTES);
        const er = r.next();
        const entity = er < 0.45 ? parts.subject : er < 0.75 ? r.pick(W.COLUMN_ENTITIES) : null;
        const colName = entity ? `${snake(entity)}_${attr[0]}` : attr[0];
        if (names.has(colName)) continue;
        add(colName, attr, entity, false);
      }
      ports.push({
        id: uuidFor(seed, KIND.port, i, k),
        name: portName,
        type,
        location,
        description: `${title(parts.metric)} of ${parts.subject} records${k ? `, ${portSuffixes[k]!.slice(1) || "variant"}` : ""}, served as ${type.replace("_", " ")}.`,
        classification: r.chance(0.2) ? classification : null,
        contractId: uuidFor(seed, KIND.contract, i, k),
        columns,
      });
    }

    // Consumers: ~30% of products read 1–3 ports of earlier products, skewed towards a popular few.
    const upstream: ProductRow["upstream"] = [];
    if (i > 10 && r.chance(0.3)) {
      const n = 1 + r.int(3);
      const seen = new Set<string>();
      for (let k = 0; k < n; k++) {
        const j = Math.floor(i * Math.pow(r.next(), 3));
        const portId = uuidFor(seed, KIND.port, j, r.int(portCount(seed, j)));
        if (seen.has(portId)) continue;
        seen.add(portId);
        upstream.push({ id: uuidFor(seed, KIND.dep, i, k), inputName: `input_${k + 1}`, portId });
      }
    }

    return {
      index: i,
      id: uuidFor(seed, KIND.product, i),
      slug,
      name,
      summary,
      description,
      domainIndex,
      teamIndex,
      status,
      version,
      tags: [...tags],
      classification,
      createdAt,
      updatedAt,
      publishedAt,
      ownerUserIndexes: [...owners],
      ports,
      upstream,
      parts: { qualifier: parts.qualifier, subject: parts.subject, metric: parts.metric, variant: parts.variant },
      rareColumn: judged !== undefined && judged < W.RARE_COLUMNS.length ? W.RARE_COLUMNS[judged]! : null,
    };
  }

  return { options: { products, seed }, domains, teams, users, product, judgedIndexes };
}

/** Products start..end-1 (end clamped to the mesh size). */
export function* productRange(mesh: Mesh, start = 0, end = mesh.options.products): Generator<ProductRow> {
  for (let i = start; i < Math.min(end, mesh.options.products); i++) yield mesh.product(i);
}

/** The text a document-oriented engine indexes for one product (one document per product). */
export function productDocument(mesh: Mesh, p: ProductRow): { title: string; text: string; location: string; slug: string } {
  const domain = mesh.domains[p.domainIndex]!;
  const team = mesh.teams[p.teamIndex]!;
  const columns = p.ports.flatMap((port) => port.columns.map((c) => c.name));
  const text = [
    p.summary,
    p.description,
    `Ports: ${p.ports.map((port) => port.name).join(", ")}.`,
    `Columns: ${columns.join(", ")}.`,
    `Tags: ${p.tags.join(", ")}.`,
    `Domain: ${domain.name}. Owner: ${team.name}.`,
  ].join("\n");
  return { title: p.name, text, location: `/products/${p.slug}`, slug: p.slug };
}

// ---------------------------------------------------------------------------------------------------------
// Loading

type Conn = Pick<RawSql, "exec" | "query">;

/**
 * INSERT … SELECT FROM unnest($1::text[], $2::text[], …): one statement, one text-array parameter per
 * column, cast to the column type in SQL (PGlite cannot serialise arrays of enums or dates itself).
 */
async function insertRows(conn: Conn, table: string, columns: [name: string, sqlType: string][], rows: unknown[][], maxRows = 40_000) {
  const toText = (v: unknown) => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v));
  for (let start = 0; start < rows.length; start += maxRows) {
    const batch = rows.slice(start, start + maxRows);
    if (!batch.length) continue;
    const params = columns.map((_, c) => batch.map((row) => toText(row[c])));
    const names = columns.map(([n]) => `"${n}"`).join(", ");
    const select = columns
      .map(([n, t]) => (n === "tags" ? `string_to_array(u."${n}", '|')` : `u."${n}"::${t}`))
      .join(", ");
    await conn.query(
      `INSERT INTO "${table}" (${names}) SELECT ${select} FROM unnest(${columns.map((_, c) => `$${c + 1}::text[]`).join(", ")}) AS u(${names})`,
      params,
    );
  }
}

export type LoadOptions = {
  /** Products per round trip (~20 columns each). Default 1000. */
  chunk?: number;
  /** Run the load with `session_replication_role = replica` (no triggers, no FK checks). Default true. */
  disableTriggers?: boolean;
  onProgress?: (loaded: number, total: number) => void;
};

export type LoadReport = { products: number; ports: number; columns: number; dependencies: number; ms: number };

/** Inserts the mesh into a migrated database, chunk by chunk. */
export async function loadMesh(raw: RawSql, mesh: Mesh, opts: LoadOptions = {}): Promise<LoadReport> {
  const chunk = Math.max(1, opts.chunk ?? 1000);
  const disableTriggers = opts.disableTriggers ?? true;
  const started = performance.now();
  const report: LoadReport = { products: 0, ports: 0, columns: 0, dependencies: 0, ms: 0 };
  await raw.session(async (conn) => {
    if (disableTriggers) await conn.exec("SET session_replication_role = replica");
    try {
      await insertRows(conn, "users", [["id", "uuid"], ["email", "text"], ["name", "text"], ["provider", "text"]],
        mesh.users.map((u) => [u.id, u.email, u.name, "bench"]));
      await insertRows(conn, "domains", [["id", "uuid"], ["slug", "text"], ["name", "text"], ["description", "text"]],
        mesh.domains.map((d) => [d.id, d.slug, d.name, d.description]));
      await insertRows(conn, "domain_members", [["domain_id", "uuid"], ["user_id", "uuid"], ["role", '"DomainRole"']],
        mesh.domains.flatMap((d) => d.stewardUserIndexes.map((u) => [d.id, mesh.users[u]!.id, "steward"])));
      await insertRows(conn, "teams", [["id", "uuid"], ["slug", "text"], ["name", "text"], ["domain_id", "uuid"]],
        mesh.teams.map((t) => [t.id, t.slug, t.name, mesh.domains[t.domainIndex]!.id]));
      await insertRows(conn, "team_members", [["team_id", "uuid"], ["user_id", "uuid"]],
        mesh.users.map((u) => [mesh.teams[u.teamIndex]!.id, u.id]));

      const total = mesh.options.products;
      for (let start = 0; start < total; start += chunk) {
        const productRows: unknown[][] = [];
        const ownerRows: unknown[][] = [];
        const portRows: unknown[][] = [];
        const columnRows: unknown[][] = [];
        const depRows: unknown[][] = [];
        for (const p of productRange(mesh, start, start + chunk)) {
          productRows.push([
            p.id, p.slug, p.name, p.summary, p.description, mesh.domains[p.domainIndex]!.id, mesh.teams[p.teamIndex]!.id,
            p.status, p.version, p.tags.join("|"), p.classification, p.createdAt, p.updatedAt, p.publishedAt,
          ]);
          for (const u of p.ownerUserIndexes) ownerRows.push([p.id, mesh.users[u]!.id]);
          for (const port of p.ports) {
            portRows.push([port.id, p.id, port.name, port.type, port.location, port.description, port.classification, p.createdAt, port.contractId]);
            for (const c of port.columns) {
              columnRows.push([c.id, port.id, c.name, c.type, c.description, c.classification, c.pii, c.nullable, c.primaryKey, c.position, c.logicalType]);
            }
          }
          for (const d of p.upstream) depRows.push([d.id, p.id, d.inputName, d.portId, p.updatedAt]);
        }
        await insertRows(conn, "data_products", [
          ["id", "uuid"], ["slug", "text"], ["name", "text"], ["summary", "text"], ["description", "text"], ["domain_id", "uuid"],
          ["owner_team_id", "uuid"], ["status", '"LifecycleStatus"'], ["version", "text"], ["tags", "text"],
          ["classification", '"Classification"'], ["created_at", "timestamptz"], ["updated_at", "timestamptz"], ["published_at", "timestamptz"],
        ], productRows);
        await insertRows(conn, "product_owners", [["product_id", "uuid"], ["user_id", "uuid"]], ownerRows);
        await insertRows(conn, "output_ports", [
          ["id", "uuid"], ["product_id", "uuid"], ["name", "text"], ["type", '"PortType"'], ["location", "text"], ["description", "text"],
          ["classification", '"Classification"'], ["created_at", "timestamptz"], ["contract_id", "text"],
        ], portRows);
        await insertRows(conn, "schema_fields", [
          ["id", "uuid"], ["port_id", "uuid"], ["name", "text"], ["type", "text"], ["description", "text"], ["classification", '"Classification"'],
          ["pii", "boolean"], ["nullable", "boolean"], ["primary_key", "boolean"], ["position", "integer"], ["logical_type", "text"],
        ], columnRows);
        await insertRows(conn, "product_dependencies", [["id", "uuid"], ["product_id", "uuid"], ["input_name", "text"], ["upstream_port_id", "uuid"], ["created_at", "timestamptz"]], depRows);
        report.products += productRows.length;
        report.ports += portRows.length;
        report.columns += columnRows.length;
        report.dependencies += depRows.length;
        opts.onProgress?.(report.products, total);
      }
    } finally {
      if (disableTriggers) await conn.exec("SET session_replication_role = DEFAULT");
    }
  });
  report.ms = performance.now() - started;
  return report;
}
