import type { RawSql } from "@/lib/db/client";
import { hash32, rng, uuidFor } from "../search/generate";

/**
 * Deterministic lineage mesh for the lineage benchmark: products in layers (sources → staging → marts),
 * each with 1–3 output ports (the first always a trino_table) and their schema fields; product
 * dependencies forming a layered DAG (fan-in: up to 8 inputs; fan-out: a few popular products per layer
 * consumed by many); and asset lineage — a table asset for every trino_table port (fqn = its location),
 * a column asset for every field of those ports, raw source tables feeding the first layer, table → table
 * edges following the product dependencies and the products' own derived ports, column → column edges
 * under every table edge, from three sources (dbt, OpenMetadata, manual; some pairs reported by two),
 * and a few cycles (write-backs and loops closing over three tables) the traversal must survive.
 *
 * `generateLineageMesh({ products, seed })` is a pure function of its options.
 */

export type LineageMeshOptions = { products: number; seed?: number };
export type Source = "manual" | "dbt" | "openmetadata";
type PortType = "trino_table" | "s3_bucket" | "api";

export type LineageMesh = {
  options: Required<LineageMeshOptions>;
  domains: { id: string; slug: string; name: string }[];
  teams: { id: string; slug: string; name: string; domainId: string }[];
  products: { id: string; slug: string; name: string; domainId: string; teamId: string; status: string; layer: number; createdAt: Date }[];
  ports: { id: string; productId: string; name: string; type: PortType; location: string; contractId: string }[];
  fields: { id: string; portId: string; name: string; type: string; position: number; primaryKey: boolean }[];
  dependencies: { id: string; productId: string; inputName: string; upstreamPortId: string }[];
  assets: { id: string; kind: "table" | "column"; fqn: string; name: string; tableId: string | null }[];
  edges: { id: string; fromId: string; toId: string; source: Source; kind: "table" | "column"; details: string }[];
  /** Table assets served by a trino_table port, and raw source tables (no port). */
  tableIds: string[];
  columnIds: string[];
  counts: Record<string, number>;
};

const LAYERS = [0.15, 0.2, 0.2, 0.2, 0.15, 0.1];
const DOMAINS = ["sales", "marketing", "finance", "logistics", "supply_chain", "customer_service", "risk", "payments", "ecommerce", "manufacturing", "procurement", "energy"];
const SUBJECTS = ["customer", "order", "invoice", "shipment", "payment", "subscription", "account", "supplier", "inventory", "campaign", "contract", "claim", "store", "refund", "delivery", "vehicle", "ticket", "session", "merchant", "ledger"];
const METRICS = ["revenue", "churn", "margin", "events", "snapshots", "scores", "segments", "forecasts", "costs", "balances", "returns", "demand"];
const ATTRIBUTES: [string, string][] = [
  ["id", "bigint"], ["name", "varchar"], ["email", "varchar"], ["status", "varchar"], ["created_at", "timestamp"], ["updated_at", "timestamp"],
  ["amount", "decimal(18,2)"], ["amount_eur", "decimal(18,2)"], ["quantity", "integer"], ["country_code", "varchar"], ["region", "varchar"],
  ["segment", "varchar"], ["channel", "varchar"], ["score", "double"], ["is_active", "boolean"], ["valid_from", "date"], ["valid_to", "date"],
  ["currency", "varchar"], ["category", "varchar"], ["discount", "decimal(9,4)"], ["tax_amount", "decimal(18,2)"], ["store_id", "bigint"],
  ["customer_id", "bigint"], ["order_id", "bigint"], ["product_id", "bigint"], ["event_time", "timestamp"], ["event_type", "varchar"],
  ["source_system", "varchar"], ["batch_id", "varchar"], ["revenue", "decimal(18,2)"], ["cost", "decimal(18,2)"], ["margin", "decimal(18,2)"],
];
const SYSTEMS = ["erp", "crm", "web", "pos", "billing", "wms", "iot"];
const ENTITIES = ["orders", "customers", "invoices", "items", "events", "accounts", "payments", "shipments"];
const STATUS = (x: number) => (x < 0.85 ? "published" : x < 0.93 ? "draft" : x < 0.98 ? "deprecated" : "retired");
const K = { domain: 201, team: 202, product: 203, port: 204, field: 205, dep: 206, asset: 207, edge: 208, contract: 209 } as const;

function pickSource(x: number): Source {
  return x < 0.55 ? "dbt" : x < 0.85 ? "openmetadata" : "manual";
}

export function generateLineageMesh(opts: LineageMeshOptions): LineageMesh {
  const seed = opts.seed ?? 42;
  const n = opts.products;
  if (!Number.isInteger(n) || n < 20) throw new Error("--products must be an integer ≥ 20");
  const r = rng(hash32(seed, 7001));

  const domains = DOMAINS.map((slug, d) => ({ id: uuidFor(seed, K.domain, d), slug: `lineage-${slug.replace(/_/g, "-")}`, name: `Lineage ${slug.replace(/_/g, " ")}` }));
  const nTeams = Math.max(domains.length, Math.ceil(n / 50));
  const teams = Array.from({ length: nTeams }, (_, t) => ({ id: uuidFor(seed, K.team, t), slug: `lineage-team-${t}`, name: `Lineage team ${t}`, domainId: domains[t % domains.length]!.id }));

  // Layers: contiguous index ranges.
  const layerOf: number[] = [];
  const layerMembers: number[][] = LAYERS.map(() => []);
  {
    let acc = 0;
    let l = 0;
    for (let i = 0; i < n; i++) {
      while (l < LAYERS.length - 1 && i >= Math.round((acc + LAYERS[l]!) * n)) acc += LAYERS[l++]!;
      layerOf.push(l);
      layerMembers[l]!.push(i);
    }
  }

  const products: LineageMesh["products"] = [];
  const ports: LineageMesh["ports"] = [];
  const fields: LineageMesh["fields"] = [];
  const assets: LineageMesh["assets"] = [];
  const portsOf: { id: string; type: PortType; tableId: string | null }[][] = [];
  const columnsOf = new Map<string, { id: string; name: string }[]>(); // table asset id → its column assets
  const tableIds: string[] = [];
  const columnIds: string[] = [];
  let assetSeq = 0;

  const addTableAsset = (fqn: string, name: string, cols: string[]) => {
    const id = uuidFor(seed, K.asset, assetSeq++);
    assets.push({ id, kind: "table", fqn, name, tableId: null });
    tableIds.push(id);
    const list: { id: string; name: string }[] = [];
    for (const c of cols) {
      const cid = uuidFor(seed, K.asset, assetSeq++);
      assets.push({ id: cid, kind: "column", fqn: `${fqn}.${c}`, name: c, tableId: id });
      columnIds.push(cid);
      list.push({ id: cid, name: c });
    }
    columnsOf.set(id, list);
    return id;
  };

  const base = Date.UTC(2025, 0, 1);
  for (let i = 0; i < n; i++) {
    const pr = rng(hash32(seed, K.product, i));
    const domainIndex = pr.int(domains.length);
    const domain = domains[domainIndex]!;
    const subject = pr.pick(SUBJECTS);
    const metric = pr.pick(METRICS);
    const id = uuidFor(seed, K.product, i);
    const slug = `${subject}-${metric}-${i}`;
    products.push({
      id,
      slug,
      name: `${subject[0]!.toUpperCase()}${subject.slice(1)} ${metric} ${i}`,
      domainId: domain.id,
      teamId: teams[(domainIndex + domains.length * pr.int(Math.max(1, Math.floor(nTeams / domains.length)))) % nTeams]!.id,
      status: STATUS(pr.next()),
      layer: layerOf[i]!,
      createdAt: new Date(base + pr.int(300) * 86_400_000),
    });
    const x = pr.next();
    const nPorts = x < 0.6 ? 1 : x < 0.9 ? 2 : 3;
    const mine: { id: string; type: PortType; tableId: string | null }[] = [];
    for (let k = 0; k < nPorts; k++) {
      const type: PortType = k === 0 || pr.chance(0.5) ? "trino_table" : pr.chance(0.6) ? "s3_bucket" : "api";
      const portName = `${subject}_${metric}${["", "_daily", "_snapshot"][k]}`;
      const schema = domain.slug.replace(/-/g, "_");
      const location =
        type === "trino_table" ? `lake.${schema}.p${i}_${portName}` : type === "s3_bucket" ? `s3://${domain.slug}/${slug}/${portName}/` : `https://api.example.com/${slug}/${portName}`;
      const portId = uuidFor(seed, K.port, i, k);
      ports.push({ id: portId, productId: id, name: portName, type, location, contractId: uuidFor(seed, K.contract, i, k) });
      const nCols = type === "trino_table" ? 6 + pr.int(9) : 4 + pr.int(5);
      const names = new Set<string>([`${subject}_id`]);
      while (names.size < nCols) names.add(pr.pick(ATTRIBUTES)[0]);
      const cols = [...names];
      cols.forEach((c, pos) =>
        fields.push({ id: uuidFor(seed, K.field, i, k * 100 + pos), portId, name: c, type: ATTRIBUTES.find((a) => a[0] === c)?.[1] ?? "bigint", position: pos, primaryKey: pos === 0 }),
      );
      // The table the port serves (Trino lower-cases identifiers; so does the fqn).
      const tableId = type === "trino_table" ? addTableAsset(location.toLowerCase(), `p${i}_${portName}`, cols) : null;
      mine.push({ id: portId, type, tableId });
    }
    portsOf.push(mine);
  }

  // Product dependencies: a layered DAG. Most inputs come from the layer just below, the rest from any
  // lower layer; within a layer a few products are popular (index skewed by u^2.5).
  const dependencies: LineageMesh["dependencies"] = [];
  const upstreamTables = new Map<string, string[]>(); // table id → tables feeding it (for cycles)
  const edges: LineageMesh["edges"] = [];
  const edgeKeys = new Set<string>();
  let edgeSeq = 0;
  const pushEdge = (fromId: string, toId: string, source: Source, kind: "table" | "column") => {
    if (fromId === toId) return false;
    const key = `${fromId}|${toId}|${source}`;
    if (edgeKeys.has(key)) return false;
    edgeKeys.add(key);
    const details = source === "dbt" ? `{"project":"bench_${kind === "table" ? "models" : "columns"}"}` : source === "openmetadata" ? `{"lineageSource":"QueryLineage"}` : "{}";
    edges.push({ id: uuidFor(seed, K.edge, edgeSeq++), fromId, toId, source, kind, details });
    if (kind === "table") {
      const ups = upstreamTables.get(toId) ?? [];
      if (!ups.includes(fromId)) ups.push(fromId);
      upstreamTables.set(toId, ups);
    }
    return true;
  };
  /** A table edge reported by one source (15%: by two), and column edges under it from the same sources. */
  const tableEdge = (fromTable: string, toTable: string) => {
    const s1 = pickSource(r.next());
    const sources: Source[] = [s1];
    if (r.chance(0.15)) sources.push(s1 === "dbt" ? "openmetadata" : "dbt");
    for (const s of sources) pushEdge(fromTable, toTable, s, "table");
    const fromCols = columnsOf.get(fromTable)!;
    const toCols = columnsOf.get(toTable)!;
    const m = Math.min(toCols.length, 2 + r.int(5));
    const start = r.int(toCols.length);
    for (let c = 0; c < m; c++) {
      const target = toCols[(start + c) % toCols.length]!;
      const same = fromCols.find((f) => f.name === target.name);
      const src = same ?? fromCols[r.int(fromCols.length)]!;
      for (const s of sources) pushEdge(src.id, target.id, s, "column");
      // Some derived columns combine two inputs.
      if (r.chance(0.2)) {
        const other = fromCols[r.int(fromCols.length)]!;
        for (const s of sources) pushEdge(other.id, target.id, s, "column");
      }
    }
  };

  for (let i = 0; i < n; i++) {
    const layer = layerOf[i]!;
    const mine = portsOf[i]!;
    const myTables = mine.filter((p) => p.tableId).map((p) => p.tableId!);
    if (layer === 0) {
      // Raw source tables (no port serves them) feed the first layer.
      const nRaw = 1 + r.int(3);
      for (let k = 0; k < nRaw; k++) {
        const system = SYSTEMS[r.int(SYSTEMS.length)]!;
        const entity = ENTITIES[r.int(ENTITIES.length)]!;
        const cols = new Set<string>(["id"]);
        const nCols = 6 + r.int(5);
        while (cols.size < nCols) cols.add(r.pick(ATTRIBUTES)[0]);
        const raw = addTableAsset(`raw.${system}.${entity}_${i}_${k}`, `${entity}_${i}_${k}`, [...cols]);
        tableEdge(raw, myTables[0]!);
      }
    } else {
      const x = r.next();
      const nInputs = x < 0.25 ? 1 : x < 0.55 ? 2 : x < 0.8 ? 3 : 4 + r.int(5);
      const seen = new Set<string>();
      for (let k = 0; k < nInputs; k++) {
        const fromLayer = r.chance(0.75) ? layer - 1 : r.int(layer);
        const members = layerMembers[fromLayer]!;
        const j = members[Math.floor(members.length * r.next() ** 2.5)]!;
        const theirs = portsOf[j]!;
        const port = r.chance(0.7) ? theirs[0]! : theirs[r.int(theirs.length)]!;
        if (seen.has(port.id)) continue;
        seen.add(port.id);
        dependencies.push({ id: uuidFor(seed, K.dep, i, k), productId: products[i]!.id, inputName: `input_${seen.size}`, upstreamPortId: port.id });
        if (port.tableId) {
          tableEdge(port.tableId, myTables[0]!);
          for (const t of myTables.slice(1)) if (r.chance(0.5)) tableEdge(port.tableId, t);
        }
      }
    }
    // A product's further trino ports derive from its first one.
    for (const t of myTables.slice(1)) tableEdge(myTables[0]!, t);
  }

  // Cycles: write-backs (B → A next to A → B) and loops closing over three tables (C → A where A → B → C).
  const tableEdgeCount = edges.filter((e) => e.kind === "table").length;
  const targets = [...upstreamTables.keys()];
  let cycles = 0;
  for (let k = 0; k < Math.max(3, Math.round(tableEdgeCount * 0.004)); k++) {
    const c = targets[r.int(targets.length)]!;
    const b = upstreamTables.get(c)![0]!;
    const a = upstreamTables.get(b)?.[0];
    const back = a && r.chance(0.5) ? a : b;
    if (pushEdge(c, back, r.chance(0.5) ? "manual" : "openmetadata", "table")) cycles++;
  }
  const columnEdges = edges.filter((e) => e.kind === "column");
  for (let k = 0; k < Math.max(3, Math.round(columnEdges.length * 0.002)); k++) {
    const e = columnEdges[r.int(columnEdges.length)]!;
    if (pushEdge(e.toId, e.fromId, "manual", "column")) cycles++;
  }

  const counts = {
    products: products.length,
    ports: ports.length,
    trinoTablePorts: ports.filter((p) => p.type === "trino_table").length,
    schemaFields: fields.length,
    productDependencies: dependencies.length,
    tableAssets: tableIds.length,
    columnAssets: columnIds.length,
    tableEdges: edges.filter((e) => e.kind === "table").length,
    columnEdges: edges.filter((e) => e.kind === "column").length,
    assetEdges: edges.length,
    cycleEdges: cycles,
    ...Object.fromEntries((["dbt", "openmetadata", "manual"] as const).map((s) => [`${s}Edges`, edges.filter((e) => e.source === s).length])),
  };
  return { options: { products: n, seed }, domains, teams, products, ports, fields, dependencies, assets, edges, tableIds, columnIds, counts };
}

// ---------------------------------------------------------------------------------------------------------
// Loading

type Conn = Pick<RawSql, "exec" | "query">;

/** INSERT … SELECT FROM unnest($1::text[], …): one statement per batch, one text array per column, cast in SQL. */
async function insertRows(conn: Conn, table: string, columns: [name: string, sqlType: string][], rows: unknown[][], maxRows = 20_000) {
  const toText = (v: unknown) => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v));
  const names = columns.map(([c]) => `"${c}"`).join(", ");
  const select = columns.map(([c, t]) => `u."${c}"::${t}`).join(", ");
  const sql = `INSERT INTO "${table}" (${names}) SELECT ${select} FROM unnest(${columns.map((_, c) => `$${c + 1}::text[]`).join(", ")}) AS u(${names})`;
  for (let start = 0; start < rows.length; start += maxRows) {
    const batch = rows.slice(start, start + maxRows);
    await conn.query(sql, columns.map((_, c) => batch.map((row) => toText(row[c]))));
  }
}

export type LoadTimings = { catalogMs: number; assetsMs: number; edgesMs: number; totalMs: number };

/**
 * Inserts the mesh into a migrated database. Runs with `session_replication_role = replica`: no
 * triggers (the search index is not maintained — search is not what this benchmark measures) and no
 * foreign-key checks (the generator keeps references consistent).
 */
export async function loadLineageMesh(raw: RawSql, mesh: LineageMesh): Promise<LoadTimings> {
  const t0 = performance.now();
  const timings: LoadTimings = { catalogMs: 0, assetsMs: 0, edgesMs: 0, totalMs: 0 };
  await raw.session(async (conn) => {
    await conn.exec("SET session_replication_role = replica");
    try {
      let t = performance.now();
      await insertRows(conn, "domains", [["id", "uuid"], ["slug", "text"], ["name", "text"]], mesh.domains.map((d) => [d.id, d.slug, d.name]));
      await insertRows(conn, "teams", [["id", "uuid"], ["slug", "text"], ["name", "text"], ["domain_id", "uuid"]], mesh.teams.map((x) => [x.id, x.slug, x.name, x.domainId]));
      await insertRows(
        conn,
        "data_products",
        [["id", "uuid"], ["slug", "text"], ["name", "text"], ["domain_id", "uuid"], ["owner_team_id", "uuid"], ["status", '"LifecycleStatus"'], ["created_at", "timestamptz"], ["updated_at", "timestamptz"]],
        mesh.products.map((p) => [p.id, p.slug, p.name, p.domainId, p.teamId, p.status, p.createdAt, p.createdAt]),
      );
      await insertRows(
        conn,
        "output_ports",
        [["id", "uuid"], ["product_id", "uuid"], ["name", "text"], ["type", '"PortType"'], ["location", "text"], ["contract_id", "text"]],
        mesh.ports.map((p) => [p.id, p.productId, p.name, p.type, p.location, p.contractId]),
      );
      await insertRows(
        conn,
        "schema_fields",
        [["id", "uuid"], ["port_id", "uuid"], ["name", "text"], ["type", "text"], ["position", "integer"], ["primary_key", "boolean"]],
        mesh.fields.map((f) => [f.id, f.portId, f.name, f.type, f.position, f.primaryKey]),
      );
      await insertRows(
        conn,
        "product_dependencies",
        [["id", "uuid"], ["product_id", "uuid"], ["input_name", "text"], ["upstream_port_id", "uuid"]],
        mesh.dependencies.map((d) => [d.id, d.productId, d.inputName, d.upstreamPortId]),
      );
      timings.catalogMs = performance.now() - t;
      t = performance.now();
      // Tables before their columns (column rows reference their table).
      const tables = mesh.assets.filter((a) => a.kind === "table");
      const columns = mesh.assets.filter((a) => a.kind === "column");
      const assetColumns: [string, string][] = [["id", "uuid"], ["kind", "text"], ["fqn", "text"], ["name", "text"], ["table_id", "uuid"]];
      await insertRows(conn, "lineage_assets", assetColumns, tables.map((a) => [a.id, a.kind, a.fqn, a.name, a.tableId]));
      await insertRows(conn, "lineage_assets", assetColumns, columns.map((a) => [a.id, a.kind, a.fqn, a.name, a.tableId]));
      timings.assetsMs = performance.now() - t;
      t = performance.now();
      await insertRows(
        conn,
        "lineage_edges",
        [["id", "uuid"], ["from_id", "uuid"], ["to_id", "uuid"], ["source", "text"], ["details", "jsonb"]],
        mesh.edges.map((e) => [e.id, e.fromId, e.toId, e.source, e.details]),
      );
      timings.edgesMs = performance.now() - t;
    } finally {
      await conn.exec("SET session_replication_role = DEFAULT");
    }
  });
  timings.totalMs = performance.now() - t0;
  return timings;
}
