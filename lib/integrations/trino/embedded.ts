/**
 * Embedded stand-in for Trino (mode "embedded"), used when no TRINO_URL is configured.
 *
 * It serves the catalogue's own trino_table output ports: catalogs, schemas and tables come from
 * the ports' locations (`catalog.schema.table`), columns from their schema fields, and previews and
 * snapshot histories are generated deterministically from each column's name and type, so the
 * portal shows realistic-looking data without a query engine. Ports of draft products are never
 * served (they are "not found", exactly like tables that do not exist). There are no Trino access
 * rules for these: every signed-in user sees the same sample data.
 *
 * Beside them it serves a few "staging" tables that no data product claims yet (`STAGING_TABLES`),
 * the raw material a domain team turns into a new product with the onboarding wizard. Like a
 * domain's own schemas in a real lakehouse, a staging table is visible only to members of its
 * domain and to platform admins; to everyone else it does not exist. Once a published product
 * serves the same location, the product's port wins and the table is served like any other port.
 */

import { fnv1a } from "@/lib/hash";
import { NotFoundError } from "@/lib/errors";
import type { Tx } from "@/lib/db/client";
import { IntegrationError, probe, type HealthStatus } from "@/lib/integrations/http";
import { formatTableRef, isValidIdentifier, sqlLimit, validateIdentifier, validateTableRef, validateTrinoUser } from "@/lib/integrations/trino/identifiers";
import type { PreviewResult, QueryOptions, Snapshot, TableRef, TrinoColumn, TrinoQueryEngine } from "@/lib/integrations/trino/types";

export type EmbeddedTrinoOptions = {
  db: Tx;
  maxRows?: number;
  /** Unclaimed tables served besides the catalogue's ports; `STAGING_TABLES` unless given. */
  staging?: readonly StagingTable[];
};

type Field = { name: string; type: string; nullable: boolean; primaryKey: boolean; description: string };

/** A table in the lakehouse that no data product serves yet, readable by its domain's members. */
export type StagingTable = { domain: string; location: string; fields: Field[] };

const col = (name: string, type: string, description: string, o: { nullable?: boolean; primaryKey?: boolean } = {}): Field => ({
  name,
  type,
  nullable: o.nullable ?? true,
  primaryKey: o.primaryKey ?? false,
  description,
});

export const STAGING_TABLES: readonly StagingTable[] = [
  {
    domain: "sales",
    location: "lakehouse.sales_staging.returns",
    fields: [
      col("return_id", "bigint", "Return identifier assigned by the returns portal", { nullable: false, primaryKey: true }),
      col("order_id", "bigint", "Order the returned items belong to (order_id of Sales Orders)", { nullable: false }),
      col("line_number", "integer", "Order line the returned item was bought on", { nullable: false }),
      col("sku", "varchar", "Stock keeping unit of the returned item", { nullable: false }),
      col("quantity", "integer", "Number of units returned", { nullable: false }),
      col("return_reason", "varchar", "Reason the customer picked: `damaged`, `wrong_size`, `not_as_described`, `changed_mind`, `late_delivery`"),
      col("refund_amount", "decimal(12,2)", "Amount refunded, in the order currency; null until the refund is booked"),
      col("currency", "varchar(3)", "ISO 4217 currency of the refund", { nullable: false }),
      col("customer_email", "varchar", "E-mail address the customer entered in the returns portal"),
      col("requested_at", "timestamp(6) with time zone", "When the customer registered the return", { nullable: false }),
      col("received_at", "timestamp(6) with time zone", "When the warehouse received the parcel; null until then"),
      col("status", "varchar", "Processing state: `requested`, `in_transit`, `received`, `refunded`, `rejected`", { nullable: false }),
      col("warehouse_code", "varchar", "Warehouse that received the parcel"),
    ],
  },
  {
    domain: "sales",
    location: "lakehouse.sales_staging.customer_visits",
    fields: [
      col("visit_id", "varchar", "Visit identifier from the field-sales app", { nullable: false, primaryKey: true }),
      col("account_id", "bigint", "CRM account that was visited", { nullable: false }),
      col("rep_email", "varchar", "E-mail address of the sales representative", { nullable: false }),
      col("visit_date", "date", "Day of the visit", { nullable: false }),
      col("duration_minutes", "integer", "Length of the visit in minutes, as logged by the representative"),
      col("visit_type", "varchar", "Kind of visit: `first_meeting`, `follow_up`, `demo`, `renewal`", { nullable: false }),
      col("outcome", "varchar", "Result: `opportunity_created`, `follow_up_planned`, `no_interest`"),
      col("notes", "varchar", "Free-text notes of the representative; may mention people by name"),
      col("latitude", "double", "Where the visit was checked in (WGS 84)"),
      col("longitude", "double", "Where the visit was checked in (WGS 84)"),
      col("is_remote", "boolean", "True for video calls", { nullable: false }),
      col("topics", "array(varchar)", "Topics discussed, as tagged in the app"),
      col("recorded_at", "timestamp(3)", "When the app synchronised the visit", { nullable: false }),
    ],
  },
  {
    domain: "logistics",
    location: "lakehouse.logistics_staging.parcel_scans",
    fields: [
      col("scan_id", "varchar", "Scan event identifier from the carrier feed", { nullable: false, primaryKey: true }),
      col("tracking_number", "varchar", "Carrier tracking number of the parcel", { nullable: false }),
      col("carrier_code", "varchar", "Carrier that reported the scan", { nullable: false }),
      col("scan_type", "varchar", "Event: `picked_up`, `in_transit`, `out_for_delivery`, `delivered`, `exception`", { nullable: false }),
      col("location_code", "varchar", "Depot or hub where the parcel was scanned"),
      col("scanned_at", "timestamp(6) with time zone", "When the scan happened, in the carrier's clock", { nullable: false }),
      col("weight_kg", "double", "Weight measured at the scan, if any"),
      col("attributes", "map(varchar, varchar)", "Additional carrier-specific fields"),
    ],
  },
];

/** Reference time of all generated dates (fixed, so output never changes between runs). */
const BASE_MS = Date.UTC(2025, 8, 30, 12, 0, 0);
const DAY_MS = 86_400_000;
const DEFAULT_SNAPSHOTS = 50;

function hash(text: string): number {
  let h = fnv1a(text);
  // Final avalanche so neighbouring keys (row 1, row 2, …) spread well.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}

function pick<T>(list: readonly T[], seed: number): T {
  return list[seed % list.length]!;
}

/** Number of sample rows a table has (40–120, stable per table). */
export function embeddedRowCount(location: string): number {
  return 40 + (hash(`rows:${location.toLowerCase()}`) % 81);
}

const COUNTRIES = ["DE", "FR", "NL", "SE", "IT", "ES", "AT", "BE", "PL", "DK", "GB", "CH"];
const CURRENCIES = ["EUR", "USD", "GBP", "SEK", "CHF", "DKK", "PLN"];
const LANGUAGES = ["de-DE", "en-GB", "fr-FR", "sv-SE", "nl-NL", "it-IT"];
const FIRST_NAMES = ["Anna", "Lukas", "Sofia", "Jonas", "Emma", "Noah", "Mia", "Elias", "Lea", "Finn", "Clara", "Oskar", "Ines", "Milan"];
const LAST_NAMES = ["Schmidt", "Andersson", "Dubois", "Rossi", "de Vries", "Novak", "García", "Berg", "Keller", "Laurent", "Nielsen", "Weber"];
const COMPANIES = ["Nordlicht GmbH", "Alpenblick AG", "Baltic Trade AB", "Rivière SARL", "Delta Logistics BV", "Kronos Retail Oy", "Vega Foods SpA"];
const CITIES = ["Berlin", "Hamburg", "Munich", "Stockholm", "Gothenburg", "Paris", "Lyon", "Amsterdam", "Milan", "Vienna", "Copenhagen"];
const STREETS = ["Hauptstraße", "Kungsgatan", "Rue de la Paix", "Keizersgracht", "Via Roma", "Ringstraße"];
const SENTENCES = [
  "Parcel arrived damaged, customer asked for a replacement.",
  "Customer could not find the invoice in the account area.",
  "Delivery slot changed at short notice.",
  "Size did not fit; exchange requested.",
  "Payment was captured twice and refunded.",
];
const NAMED_LISTS: [RegExp, readonly string[]][] = [
  [/(^|_)region$/, ["north", "south", "east", "west", "central"]],
  [/(^|_)channel$/, ["webshop", "field_sales", "marketplace"]],
  [/(^|_)status$/, ["open", "closed", "pending", "cancelled"]],
  [/categor/, ["apparel", "electronics", "home", "sports", "toys", "garden"]],
  [/(^|_)platform$/, ["google_ads", "meta", "linkedin", "tiktok"]],
  [/(^|_)segment(_name)?$/, ["champions", "loyal", "at_risk", "new", "hibernating"]],
  [/^carrier(_code)?$/, ["DHL", "UPS", "DPD", "GLS", "POSTNORD"]],
  [/(warehouse|location)_code$|warehouse$/, ["WH-BER-01", "WH-HAM-02", "WH-MUC-01", "WH-GOT-01"]],
  [/^company_code$/, ["DE01", "FR01", "SE01", "NL01"]],
  [/^service_level$/, ["standard", "express", "same_day"]],
  [/^device_category$/, ["desktop", "mobile", "tablet"]],
  [/^payment_method$/, ["card", "paypal", "invoice", "klarna"]],
  [/^(source|source_system)$/, ["sap", "salesforce", "shopify", "zendesk"]],
  [/^utm_source$/, ["google", "newsletter", "facebook", "linkedin"]],
  [/^utm_medium$/, ["cpc", "email", "social", "organic"]],
  [/^utm_campaign$/, ["spring_sale_2025", "summer_clearance", "black_friday", "loyalty_q3"]],
  [/^referrer_domain$/, ["google.com", "bing.com", "instagram.com", "newsletter.canopy.demo"]],
  [/^(risk|score|age)_band$/, ["low", "medium", "high"]],
  [/^(model|policy)(_version)?$/, ["v1.4.0", "v2.0.1", "v2.1.0"]],
];

/** Back-ticked code words in a description (`webshop`, `field_sales`, …) when there are at least two. */
function enumFromDescription(description: string): string[] | undefined {
  const words = [...description.matchAll(/`([A-Za-z0-9_.-]{1,40})`/g)].map((m) => m[1]!).filter((w) => !/^\d+$/.test(w));
  const unique = [...new Set(words)];
  return unique.length >= 2 ? unique : undefined;
}

function prefixOf(name: string): string {
  const word = name.split("_")[0] ?? name;
  return (word.length >= 3 ? word.slice(0, 3) : word.padEnd(3, "X")).toUpperCase();
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function trinoTimestamp(ms: number, precision: number, withZone: boolean, seed: number): string {
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const fraction = pad(seed % 1_000_000, 6).padEnd(precision, "0").slice(0, precision);
  const text = `${iso.slice(0, 10)} ${iso.slice(11, 19)}${precision > 0 ? `.${fraction}` : ""}`;
  return withZone ? `${text} UTC` : text;
}

function stringValue(f: Field, name: string, maxLength: number | undefined, seed: number, row: number, location: string): string {
  const s = seed;
  const fit = (v: string) => (maxLength !== undefined ? v.slice(0, maxLength) : v);
  if (/email/.test(name)) return `user${1 + (s % 500)}@example.com`;
  if (/phone/.test(name)) return `+49 ${30 + (s % 60)} ${pad(1_000_000 + (s % 8_999_999), 7)}`;
  if (/iban/.test(name)) return `DE${pad(s % 100, 2)} ${pad(s % 10000, 4)} ${pad((s >>> 4) % 10000, 4)} ${pad((s >>> 8) % 10000, 4)} ${pad((s >>> 12) % 10000, 4)} ${pad(s % 100, 2)}`;
  if (/vat_id/.test(name)) return `${pick(COUNTRIES, s)}${pad(s % 1_000_000_000, 9)}`;
  if (/country/.test(name) || maxLength === 2) return pick(COUNTRIES, s);
  if (/currency/.test(name) || maxLength === 3) return pick(CURRENCIES, s);
  if (/language|locale/.test(name) || maxLength === 5) return fit(pick(LANGUAGES, s));
  if (name === "sku" || name.endsWith("_sku")) return `SKU-${pad(10000 + (s % 90000), 5)}`;
  if (/(^|_)(id)$/.test(name)) {
    const n = f.primaryKey ? (hash(`base:${location}`) % 900) * 1000 + row + 1 : s % 1_000_000;
    return fit(`${prefixOf(name)}-${pad(n, 6)}`);
  }
  if (/(number|reference)$/.test(name)) return fit(`${prefixOf(name)}-2025-${pad(s % 1_000_000, 6)}`);
  if (/(company|account)_name$/.test(name)) return pick(COMPANIES, s);
  if (/(full|customer|contact|billing|owner)_name$/.test(name) || name === "name") return `${pick(FIRST_NAMES, s)} ${pick(LAST_NAMES, s >>> 5)}`;
  if (/campaign_name$/.test(name)) return `${pick(["Spring", "Summer", "Autumn", "Winter"], s)} ${pick(["Sale", "Launch", "Newsletter", "Retargeting"], s >>> 3)} ${2024 + (s % 2)}`;
  if (name === "city") return pick(CITIES, s);
  if (/postal_code/.test(name)) return pad(10000 + (s % 89999), 5);
  if (/postal_area/.test(name)) return pad(10 + (s % 89), 2);
  if (/address/.test(name)) return `${pick(STREETS, s)} ${1 + (s % 120)}`;
  if (/(url|link|landing_page)$/.test(name)) return `https://www.canopy.demo/${pick(["p", "c", "lp"], s)}/${pad(s % 100000, 5)}`;
  if (/(subject|text|commentary|comment|note)$/.test(name)) return pick(SENTENCES, s);
  // Values the description names (`webshop`, `field_sales`, …) beat generic lists.
  const described = enumFromDescription(f.description);
  if (described) return fit(pick(described, s));
  if (/_code$/.test(name) && !NAMED_LISTS.some(([pattern]) => pattern.test(name))) return fit(`${prefixOf(name)}${pad(s % 100, 2)}`);
  for (const [pattern, list] of NAMED_LISTS) if (pattern.test(name)) return fit(pick(list, s));
  return fit(`${name}_${1 + (s % 12)}`);
}

function numberInRange(seed: number, min: number, max: number, decimals: number): number {
  const steps = Math.round((max - min) * 10 ** decimals);
  return Number((min + (seed % (steps + 1)) / 10 ** decimals).toFixed(decimals));
}

function integerValue(f: Field, name: string, seed: number, row: number, location: string, big: boolean): number {
  if (f.primaryKey) return (1 + (hash(`base:${location}`) % 900)) * 10_000 + row + 1;
  if (name.endsWith("_id")) return 1000 + (seed % 900_000);
  if (name === "line_number") return 1 + (row % 6);
  if (/quantity|_units$|units_/.test(name)) return 1 + (seed % 12);
  if (/probability|_pct$|percent/.test(name)) return seed % 101;
  if (/_days$|^days_|recency/.test(name)) return seed % 366;
  if (/months/.test(name)) return seed % 121;
  if (/impressions/.test(name)) return 1_000 + (seed % 200_000);
  if (/clicks|pageviews|sessions/.test(name)) return seed % 5_000;
  if (/count|orders|tickets|shipments|level/.test(name)) return seed % 250;
  if (/score/.test(name)) return 1 + (seed % 100);
  if (/year/.test(name)) return 2020 + (seed % 6);
  return seed % (big ? 1_000_000 : 10_000);
}

function doubleValue(name: string, seed: number): number {
  if (/^(lat|latitude)$/.test(name)) return numberInRange(seed, 47, 56, 5);
  if (/^(lon|longitude)$/.test(name)) return numberInRange(seed, 5, 19, 5);
  if (/rate$|share$|probability|confidence|^score$|_score$/.test(name)) return numberInRange(seed, 0, 1, 3);
  if (/_pct$|percent/.test(name)) return numberInRange(seed, 0, 100, 1);
  if (/speed/.test(name)) return numberInRange(seed, 0, 90, 1);
  if (/distance|_km$/.test(name)) return numberInRange(seed, 0, 400, 1);
  if (/weight/.test(name)) return numberInRange(seed, 0, 30, 2);
  if (/csat/.test(name)) return numberInRange(seed, 1, 5, 2);
  if (/roas/.test(name)) return numberInRange(seed, 0, 8, 2);
  return numberInRange(seed, 0, 1000, 2);
}

function decimalValue(name: string, precision: number, scale: number, seed: number): string {
  const cap = 10 ** (precision - scale) - 1;
  let [min, max] = [5, 2500];
  if (/rate$/.test(name)) [min, max] = [0, 12];
  else if (/_pct$|percent|margin|share/.test(name)) [min, max] = [0, 100];
  else if (/tax|vat|discount|fee|shipping|avg|average|price|cost_per/.test(name)) [min, max] = [1, 400];
  else if (/balance|budget|limit|lifetime|revenue|figure|_eur$/.test(name)) [min, max] = [100, 250_000];
  max = Math.min(max, cap);
  min = Math.min(min, max);
  const units = (seed % Math.max(1, Math.round(max - min))) + min;
  const fraction = scale > 0 ? ((seed >>> 7) % 10 ** Math.min(scale, 9)) / 10 ** Math.min(scale, 9) : 0;
  return Math.min(cap, units + fraction).toFixed(scale);
}

/** One generated value for a column of a table's row (deterministic, Trino's JSON rendering). */
export function sampleValue(f: Field, location: string, row: number): unknown {
  const name = f.name.toLowerCase();
  const type = f.type.toLowerCase().trim();
  const seed = hash(`${location.toLowerCase()}|${name}|${row}`);
  if (f.nullable && !f.primaryKey && hash(`null:${location}|${name}|${row}`) % 9 === 0) return null;
  let m: RegExpExecArray | null;
  if (type === "boolean") return /^is_|^has_/.test(name) ? seed % 4 === 0 : seed % 2 === 0;
  if (type === "bigint" || type === "integer" || type === "smallint" || type === "tinyint") return integerValue(f, name, seed, row, location, type === "bigint");
  if ((m = /^decimal\((\d+),\s*(\d+)\)$/.exec(type))) return decimalValue(name, Number(m[1]), Number(m[2]), seed);
  if (type === "double" || type === "real") return doubleValue(name, seed);
  if (type === "date") {
    if (/birth/.test(name)) return new Date(BASE_MS - (18 * 365 + (seed % (60 * 365))) * DAY_MS).toISOString().slice(0, 10);
    const future = /due|valid_to|end_date|expected|promised/.test(name);
    return new Date(BASE_MS + (future ? 1 : -1) * (seed % (future ? 90 : 540)) * DAY_MS).toISOString().slice(0, 10);
  }
  if ((m = /^timestamp(?:\((\d+)\))?( with time zone)?$/.exec(type))) {
    return trinoTimestamp(BASE_MS - (seed % (540 * 86_400)) * 1000, Number(m[1] ?? 3), Boolean(m[2]), seed >>> 3);
  }
  if ((m = /^array\((.*)\)$/.exec(type))) {
    const count = 1 + (seed % 3);
    return Array.from({ length: count }, (_, i) => sampleValue({ ...f, name: name.replace(/s$/, ""), type: m![1]!, nullable: false }, location, row * 7 + i + 1000));
  }
  if (/^map\(/.test(type)) return { source: pick(["web", "app", "store"], seed), version: String(1 + (seed % 3)) };
  const len = /^(?:var)?char\((\d+)\)$/.exec(type);
  return stringValue(f, name, len ? Number(len[1]) : undefined, seed, row, location);
}

/** Generated snapshot history of a table, newest first. */
export function sampleSnapshots(location: string): Snapshot[] {
  const loc = location.toLowerCase();
  const count = 3 + (hash(`snaps:${loc}`) % 4);
  const total = embeddedRowCount(loc);
  const out: Snapshot[] = [];
  let records = 0;
  let parent: string | null = null;
  let at = BASE_MS - (count + 1) * 7 * DAY_MS;
  for (let i = 0; i < count; i++) {
    const h = hash(`snap:${loc}#${i}`);
    const id = (((BigInt(h) & 0x7fffffffn) << 32n) | BigInt(hash(`snap2:${loc}#${i}`))).toString();
    const last = i === count - 1;
    const operation = i === 0 ? "append" : last || i % 3 !== 2 ? "append" : "overwrite";
    const added = last ? total - records : Math.max(1, Math.floor(total / (count + 1)) + ((h % 5) - 2));
    records = operation === "overwrite" ? added : records + added;
    if (last) records = total;
    at += (5 + (h % 4)) * DAY_MS + (h % 36_000) * 1000;
    out.push({
      snapshotId: id,
      committedAt: new Date(at).toISOString(),
      operation,
      parentId: parent,
      summary: {
        "added-data-files": String(1 + (h % 4)),
        "added-records": String(added),
        "total-records": String(records),
        "changed-partition-count": String(1 + (h % 3)),
      },
    });
    parent = id;
  }
  return out.reverse();
}

type Located = { catalog: string; schema: string; table: string; location: string };

function splitLocation(location: string): Located | undefined {
  const parts = location.split(".");
  if (parts.length !== 3 || !parts.every(isValidIdentifier)) return undefined;
  const [catalog, schema, table] = parts.map((p) => p.toLowerCase()) as [string, string, string];
  return { catalog, schema, table, location: `${catalog}.${schema}.${table}` };
}

export function createEmbeddedTrinoEngine(opts: EmbeddedTrinoOptions): TrinoQueryEngine {
  const db = opts.db;
  const maxRows = opts.maxRows ?? 1000;
  const staging = opts.staging ?? STAGING_TABLES;
  /** Ports served: trino tables of products that are not drafts. */
  const servedWhere = { type: "trino_table" as const, product: { status: { not: "draft" as const } } };

  /**
   * Domains whose staging tables a Trino user reads: the user's domains, or all of them for a
   * platform admin. The Trino user is an e-mail address or its local part (TRINO_USER_MAPPING);
   * a local part shared by several users matches nobody.
   */
  async function stagingDomainsOf(user: string): Promise<"all" | Set<string>> {
    const needle = user.toLowerCase();
    const users = await db.user.findMany({
      where: { OR: [{ email: { equals: needle, mode: "insensitive" } }, { email: { startsWith: `${needle}@`, mode: "insensitive" } }] },
      select: { email: true, roles: true, domainMemberships: { select: { domain: { select: { slug: true } } } } },
      take: 5,
    });
    const match = users.find((u) => u.email.toLowerCase() === needle) ?? (users.length === 1 ? users[0] : undefined);
    if (!match) return new Set();
    if (match.roles.includes("platform_admin")) return "all";
    return new Set(match.domainMemberships.map((m) => m.domain.slug));
  }

  async function stagingFor(user: string): Promise<StagingTable[]> {
    if (staging.length === 0) return [];
    const domains = await stagingDomainsOf(user);
    return staging.filter((t) => domains === "all" || domains.has(t.domain));
  }

  async function tables(user?: string): Promise<Located[]> {
    const ports = await db.outputPort.findMany({ where: servedWhere, select: { location: true } });
    const seen = new Map<string, Located>();
    for (const p of ports) {
      const t = splitLocation(p.location);
      if (t) seen.set(t.location, t);
    }
    if (user !== undefined) {
      for (const s of await stagingFor(user)) {
        const t = splitLocation(s.location);
        if (t && !seen.has(t.location)) seen.set(t.location, t);
      }
    }
    return [...seen.values()];
  }

  async function fieldsOf(user: string, ref: TableRef): Promise<{ location: string; fields: Field[] }> {
    const location = formatTableRef(validateTableRef(ref)).toLowerCase();
    const port = await db.outputPort.findFirst({
      where: { ...servedWhere, location: { equals: location, mode: "insensitive" } },
      orderBy: { createdAt: "asc" },
      select: { fields: { orderBy: { position: "asc" }, select: { name: true, type: true, nullable: true, primaryKey: true, description: true } } },
    });
    if (port) return { location, fields: port.fields };
    const table = (await stagingFor(user)).find((t) => t.location === location);
    if (table) return { location, fields: table.fields };
    throw new NotFoundError(`Table '${location}' does not exist`);
  }

  function checkSignal(signal?: AbortSignal) {
    if (signal?.aborted) throw new IntegrationError("trino", "The Trino query was cancelled", { reason: "Aborted" });
  }

  return {
    mode: "embedded",

    async listCatalogs(user) {
      validateTrinoUser(user);
      return [...new Set((await tables(user)).map((t) => t.catalog))].sort();
    },

    async listSchemas(user, catalog) {
      validateTrinoUser(user);
      const c = validateIdentifier(catalog, "catalog").toLowerCase();
      const all = (await tables(user)).filter((t) => t.catalog === c);
      if (all.length === 0) throw new NotFoundError(`Catalog '${c}' not found`);
      return [...new Set(all.map((t) => t.schema))].sort();
    },

    async listTables(user, catalog, schema) {
      validateTrinoUser(user);
      const c = validateIdentifier(catalog, "catalog").toLowerCase();
      const s = validateIdentifier(schema, "schema").toLowerCase();
      const all = await tables(user);
      if (!all.some((t) => t.catalog === c)) throw new NotFoundError(`Catalog '${c}' not found`);
      const inSchema = all.filter((t) => t.catalog === c && t.schema === s);
      if (inSchema.length === 0) throw new NotFoundError(`Schema '${c}.${s}' does not exist`);
      return [...new Set(inSchema.map((t) => t.table))].sort();
    },

    async describeTable(user, table): Promise<TrinoColumn[]> {
      validateTrinoUser(user);
      const { fields } = await fieldsOf(user, table);
      return fields.map((f, i) => ({ name: f.name, type: f.type, nullable: f.nullable, comment: f.description, position: i + 1 }));
    },

    async previewRows(user, table, o: QueryOptions = {}): Promise<PreviewResult> {
      validateTrinoUser(user);
      const n = sqlLimit(o.limit, maxRows);
      checkSignal(o.signal);
      const { location, fields } = await fieldsOf(user, table);
      const total = embeddedRowCount(location);
      const count = Math.min(n, total);
      const rows = Array.from({ length: count }, (_, r) => fields.map((f) => sampleValue(f, location, r)));
      return { columns: fields.map((f) => ({ name: f.name, type: f.type })), rows, truncated: total > n, queryId: null };
    },

    async snapshots(user, table, o: QueryOptions = {}): Promise<Snapshot[]> {
      validateTrinoUser(user);
      const n = sqlLimit(o.limit, maxRows, DEFAULT_SNAPSHOTS);
      checkSignal(o.signal);
      const { location } = await fieldsOf(user, table);
      return sampleSnapshots(location).slice(0, n);
    },

    health(): Promise<HealthStatus> {
      return probe("trino", "embedded", async () => ({ tables: String((await tables()).length), source: "catalogue", staging: String(staging.length) }));
    },
  };
}
