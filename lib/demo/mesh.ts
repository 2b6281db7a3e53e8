// The demo mesh: static, typed content written by seedDemoMesh (lib/demo/seed.ts).
// Plain data only (no Prisma imports). Everything refers to other things by slug / port name /
// e-mail; the seed resolves and validates those references and fails loudly on a typo.
//
// Layout: types → column/port builders → users → domains → teams → products (by domain)
// → dependencies → access requests.
//
// The four personas (lib/demo/personas.ts) are users too; their domain and team memberships are
// declared there and merged with the ones below.

// ---------------------------------------------------------------------------------------------
// Types (string unions mirror the Prisma enums in lib/db/generated/enums.ts)
// ---------------------------------------------------------------------------------------------

export type DemoClassification = "public" | "internal" | "confidential" | "restricted";
export type DemoLifecycleStatus = "draft" | "published" | "deprecated" | "retired";
export type DemoPortType = "trino_table" | "s3_bucket" | "api";
export type DemoRequestStatus =
  | "pending"
  | "approved"
  | "rejected"
  | "cancelled"
  | "provisioning"
  | "active"
  | "expired"
  | "revoked"
  | "failed";

export interface DemoUser {
  email: string;
  name: string;
}

export interface DemoDomain {
  slug: string;
  name: string;
  description: string;
}

export interface DemoDomainMember {
  domain: string;
  email: string;
  role: "steward" | "member";
}

export interface DemoTeam {
  slug: string;
  name: string;
  /** Domain slug, or null for cross-cutting teams. */
  domain: string | null;
  /** Non-persona members (persona team memberships live in personas.ts). */
  members: string[];
}

export interface DemoField {
  name: string;
  type: string;
  description: string;
  classification: DemoClassification;
  pii: boolean;
  nullable: boolean;
  primaryKey: boolean;
}

/** The access-related parts of a port's contract (lib/products/spec.ts contractSpec). */
export interface DemoContract {
  /** E-mails of the first approval step; none = the product's owners. */
  approvers?: string[];
  /** E-mails of a second approval step. */
  secondLevelApprovers?: string[];
  /** Purpose categories that see PII unmasked. */
  piiPurposes?: string[];
  terms?: { purpose?: string; limitations?: string; usage?: string };
}

export interface DemoPort {
  name: string;
  type: DemoPortType;
  location: string;
  description: string;
  classification?: DemoClassification;
  fields: DemoField[];
  contract?: DemoContract;
}

export interface DemoProduct {
  slug: string;
  name: string;
  summary: string;
  /** Markdown, 2–6 lines. */
  description: string;
  domain: string;
  ownerTeam: string;
  /** User e-mails. */
  owners: string[];
  status: DemoLifecycleStatus;
  tags: string[];
  classification: DemoClassification;
  version: string;
  ports: DemoPort[];
}

export interface DemoDependency {
  /** Consuming product slug. */
  product: string;
  /** Name of the consuming product's input port. */
  inputName: string;
  upstreamProduct: string;
  upstreamPort: string;
}

export interface DemoAccessRequest {
  /** Requester e-mail. */
  requester: string;
  product: string;
  port: string;
  /** Defaults to the requester themself. */
  principal?: { type: "group"; ref: string } | { type: "product"; ref: string };
  purpose: string;
  /** A key of PURPOSE_CATEGORIES (lib/products/spec.ts). */
  purposeCategory?: string;
  durationDays: 30 | 90 | 180;
  status: DemoRequestStatus;
  /** Owner or steward who decided (approved / rejected / revoked). */
  decidedBy?: string;
  /**
   * On a port with two approval steps: who approved step 1 (defaults to an owner other than the
   * final decider). A pending request with this set waits for step 2.
   */
  firstStepBy?: string;
  decisionNote?: string;
  createdDaysAgo: number;
  /** Days before "now" the decision (or cancellation) happened. */
  decidedDaysAgo?: number;
}

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

const TS = "timestamp(6) with time zone";
const MONEY = "decimal(12,2)";
const BIG_MONEY = "decimal(14,2)";

interface ColOpts {
  cls?: DemoClassification;
  pii?: boolean;
  /** Not null. */
  nn?: boolean;
  pk?: boolean;
}

/** A column. Defaults: internal, not PII, nullable (unless primary key). */
function c(name: string, type: string, description: string, o: ColOpts = {}): DemoField {
  const pii = o.pii ?? false;
  return {
    name,
    type,
    description,
    classification: o.cls ?? (pii ? "confidential" : "internal"),
    pii,
    nullable: !(o.nn || o.pk),
    primaryKey: o.pk ?? false,
  };
}

/** Not-null column. */
function nn(name: string, type: string, description: string, o: Omit<ColOpts, "nn"> = {}): DemoField {
  return c(name, type, description, { ...o, nn: true });
}

/** Primary-key column (not null). */
function pk(name: string, description: string, type = "varchar"): DemoField {
  return c(name, type, description, { pk: true });
}

/** Personal data: always PII and at least confidential. */
function pii(
  name: string,
  type: string,
  description: string,
  o: { cls?: "confidential" | "restricted"; nn?: boolean } = {},
): DemoField {
  return c(name, type, description, { pii: true, cls: o.cls ?? "confidential", nn: o.nn });
}

function ingestedAt(): DemoField {
  return nn("ingested_at", TS, "When the row landed in the lakehouse (UTC). Use it for incremental reads, not for business logic.");
}

function trino(
  name: string,
  domain: string,
  table: string,
  description: string,
  fields: DemoField[],
  classification?: DemoClassification,
  contract?: DemoContract,
): DemoPort {
  return { name, type: "trino_table", location: `iceberg.${domain}.${table}`, description, classification, fields, ...(contract ? { contract } : {}) };
}

function s3(
  name: string,
  bucket: string,
  prefix: string,
  description: string,
  opts: { classification?: DemoClassification; fields?: DemoField[] } = {},
): DemoPort {
  return {
    name,
    type: "s3_bucket",
    location: `s3://${bucket}/${prefix}/`,
    description,
    classification: opts.classification,
    fields: opts.fields ?? [],
  };
}

function api(name: string, url: string, description: string, classification?: DemoClassification): DemoPort {
  return { name, type: "api", location: url, description, classification, fields: [] };
}

/** Markdown from lines (keeps the 2–6 line budget visible). */
function md(...lines: string[]): string {
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// People (non-persona). Personas are in personas.ts.
// ---------------------------------------------------------------------------------------------

export const DEMO_USERS: readonly DemoUser[] = [
  { email: "marcus.lindqvist@canopy.demo", name: "Marcus Lindqvist" },
  { email: "priya.nair@canopy.demo", name: "Priya Nair" },
  { email: "tom.becker@canopy.demo", name: "Tom Becker" },
  { email: "hannah.okafor@canopy.demo", name: "Hannah Okafor" },
  { email: "lukas.weber@canopy.demo", name: "Lukas Weber" },
  { email: "mei.chen@canopy.demo", name: "Mei Chen" },
  { email: "daniel.moreau@canopy.demo", name: "Daniel Moreau" },
  { email: "aisha.rahman@canopy.demo", name: "Aisha Rahman" },
  { email: "noah.fischer@canopy.demo", name: "Noah Fischer" },
  { email: "jonas.eriksson@canopy.demo", name: "Jonas Eriksson" },
  { email: "elena.rossi@canopy.demo", name: "Elena Rossi" },
  { email: "grace.kim@canopy.demo", name: "Grace Kim" },
  { email: "ravi.patel@canopy.demo", name: "Ravi Patel" },
  { email: "chloe.martin@canopy.demo", name: "Chloé Martin" },
];

// Short aliases used in the product definitions below.
const OLIVIA = "olivia.owner@canopy.demo";
const CARLOS = "carlos.consumer@canopy.demo";
const SOFIA = "sofia.steward@canopy.demo";
const MARCUS = "marcus.lindqvist@canopy.demo";
const PRIYA = "priya.nair@canopy.demo";
const TOM = "tom.becker@canopy.demo";
const HANNAH = "hannah.okafor@canopy.demo";
const LUKAS = "lukas.weber@canopy.demo";
const MEI = "mei.chen@canopy.demo";
const DANIEL = "daniel.moreau@canopy.demo";
const AISHA = "aisha.rahman@canopy.demo";
const NOAH = "noah.fischer@canopy.demo";
const JONAS = "jonas.eriksson@canopy.demo";
const ELENA = "elena.rossi@canopy.demo";
const GRACE = "grace.kim@canopy.demo";
const RAVI = "ravi.patel@canopy.demo";
const CHLOE = "chloe.martin@canopy.demo";

// ---------------------------------------------------------------------------------------------
// Domains, memberships, teams
// ---------------------------------------------------------------------------------------------

export const DEMO_DOMAINS: readonly DemoDomain[] = [
  {
    slug: "sales",
    name: "Sales",
    description:
      "Orders, pipeline and pricing across every sales channel — web shop, field sales and marketplaces. The source of truth for what was sold, to whom and at what price.",
  },
  {
    slug: "logistics",
    name: "Logistics",
    description:
      "Warehousing, shipping, returns and fleet operations: where the goods are, where they are going and how long it takes to get them there.",
  },
  {
    slug: "finance",
    name: "Finance",
    description:
      "General ledger, invoicing, revenue recognition and controlling. Owns the numbers that go to the board, the auditors and the tax authorities.",
  },
  {
    slug: "customer",
    name: "Customer",
    description:
      "The customer golden record, consent, support interactions and customer-level analytics. Holds most of the personal data in the mesh — access is reviewed by the domain steward.",
  },
  {
    slug: "marketing",
    name: "Marketing",
    description:
      "Campaigns, CRM e-mail, paid media, web analytics and attribution. Consumes consent from the Customer domain before activating any audience.",
  },
];

/** Non-persona domain memberships; exactly one steward per domain once personas are merged in. */
export const DEMO_DOMAIN_MEMBERS: readonly DemoDomainMember[] = [
  { domain: "sales", email: MARCUS, role: "steward" },
  { domain: "sales", email: PRIYA, role: "member" },
  { domain: "sales", email: TOM, role: "member" },
  { domain: "logistics", email: HANNAH, role: "steward" },
  { domain: "logistics", email: LUKAS, role: "member" },
  { domain: "logistics", email: MEI, role: "member" },
  { domain: "finance", email: DANIEL, role: "steward" },
  { domain: "finance", email: AISHA, role: "member" },
  { domain: "finance", email: NOAH, role: "member" },
  { domain: "customer", email: JONAS, role: "member" },
  { domain: "customer", email: ELENA, role: "member" },
  { domain: "marketing", email: GRACE, role: "steward" },
  { domain: "marketing", email: RAVI, role: "member" },
  { domain: "marketing", email: CHLOE, role: "member" },
];

export const DEMO_TEAMS: readonly DemoTeam[] = [
  { slug: "sales-analytics", name: "Sales Analytics", domain: "sales", members: [PRIYA] },
  { slug: "sales-platform", name: "Sales Platform", domain: "sales", members: [TOM, MARCUS] },
  { slug: "logistics-ops-data", name: "Logistics Operations Data", domain: "logistics", members: [HANNAH, LUKAS] },
  { slug: "fleet-telemetry", name: "Fleet Telemetry", domain: "logistics", members: [MEI, LUKAS] },
  { slug: "finance-reporting", name: "Finance Reporting", domain: "finance", members: [AISHA] },
  { slug: "finance-controlling", name: "Finance Controlling", domain: "finance", members: [DANIEL, NOAH] },
  // Analysts who consume data and own none: Carlos's team.
  { slug: "finance-analysts", name: "Finance Analysts", domain: "finance", members: [] },
  { slug: "customer-data", name: "Customer Data", domain: "customer", members: [JONAS] },
  { slug: "customer-support-analytics", name: "Customer Support Analytics", domain: "customer", members: [ELENA] },
  { slug: "marketing-analytics", name: "Marketing Analytics", domain: "marketing", members: [GRACE, RAVI] },
  { slug: "digital-analytics", name: "Digital Analytics", domain: "marketing", members: [CHLOE] },
  { slug: "data-platform", name: "Data Platform", domain: null, members: [] },
];

// ---------------------------------------------------------------------------------------------
// Products — Sales
// ---------------------------------------------------------------------------------------------

const SALES_PRODUCTS: DemoProduct[] = [
  {
    slug: "sales-orders",
    name: "Sales Orders",
    summary: "Every order and order line from the web shop, field sales and marketplaces, refreshed every 15 minutes.",
    description: md(
      "### Sales orders",
      "One row per order from every channel (web shop, field sales, Amazon and Zalando marketplaces), plus one row per line in `order_lines`.",
      "- Refreshed **every 15 minutes** from the order-service CDC stream; late edits (cancellations, address fixes) land within 24 h.",
      "- Amounts are in order currency — join `iceberg.finance.fx_daily` to convert to EUR.",
      "- Marketplace orders placed before March 2023 have no `sales_rep_id`. Full contract: [docs.canopy.demo/sales/orders](https://docs.canopy.demo/sales/orders).",
    ),
    domain: "sales",
    ownerTeam: "sales-platform",
    owners: [TOM, OLIVIA],
    status: "published",
    tags: ["orders", "sales", "core", "near-real-time"],
    classification: "internal",
    version: "3.2.0",
    ports: [
      trino("orders", "sales", "orders", "One row per order header, all channels. Soft-deleted orders are excluded.", [
        pk("order_id", "Surrogate order key, stable across order edits.", "bigint"),
        nn("order_number", "varchar", "Customer-facing order number as printed on the confirmation e-mail (e.g. `SO-2024-118734`)."),
        nn("customer_id", "varchar", "Pseudonymous customer key; join to Customer Master for attributes."),
        nn("channel", "varchar", "Sales channel: `webshop`, `field_sales`, `marketplace_amazon`, `marketplace_zalando`."),
        nn("order_status", "varchar", "Latest status: `placed`, `paid`, `fulfilled`, `partially_returned`, `cancelled`."),
        nn("ordered_at", TS, "When the customer placed the order."),
        nn("currency", "varchar(3)", "ISO 4217 currency the order was priced in."),
        nn("net_amount", MONEY, "Order value after discounts, before tax, in order currency."),
        nn("tax_amount", MONEY, "VAT / sales tax charged, in order currency."),
        nn("gross_amount", MONEY, "Net amount plus tax; what the customer paid."),
        nn("discount_amount", MONEY, "Total discount applied across all lines and order-level promotions."),
        nn("shipping_country", "varchar(2)", "ISO 3166-1 alpha-2 destination country."),
        c("sales_rep_id", "varchar", "Employee id of the responsible field-sales rep; null for self-service channels."),
        c("promo_code", "varchar", "Promotion code redeemed on the order, if any."),
        nn("updated_at", TS, "Last change to the order in the source system."),
      ]),
      trino("order-lines", "sales", "order_lines", "One row per order line; join to `orders` on `order_id`.", [
        pk("order_line_id", "Surrogate key of the order line.", "bigint"),
        nn("order_id", "bigint", "Parent order (`orders.order_id`)."),
        nn("line_number", "integer", "1-based position of the line within the order."),
        nn("sku", "varchar", "Stock-keeping unit of the item sold."),
        nn("product_category", "varchar", "Merchandise category at the time of sale (level 2 of the category tree)."),
        nn("quantity", "integer", "Units ordered; negative values never occur — returns live in the Returns product."),
        nn("unit_price", MONEY, "List price per unit in order currency at the time of sale."),
        nn("line_discount", MONEY, "Discount allocated to this line, including its share of order-level promotions."),
        nn("line_net_amount", MONEY, "quantity × unit_price − line_discount, before tax."),
        c("fulfilment_warehouse", "varchar", "Warehouse code that picked the line; null until allocated."),
        nn("is_gift", "boolean", "True when the customer asked for gift wrapping and a price-free packing slip."),
      ]),
      s3(
        "orders-daily-export",
        "canopy-sales-exports",
        "orders/daily",
        "Daily Parquet snapshot of both tables, partitioned by `dt=YYYY-MM-DD`, for consumers outside Trino.",
      ),
    ],
  },
  {
    slug: "sales-pipeline",
    name: "Sales Pipeline",
    summary: "Open and closed B2B opportunities from the CRM, with full stage history for pipeline and win-rate analysis.",
    description: md(
      "### B2B pipeline from the CRM",
      "Opportunities synced nightly from Salesforce, including closed-lost deals from the last five years.",
      "- `amount_eur` is converted at the rate of the opportunity's creation date, so it will not match invoiced revenue.",
      "- Stage names were harmonised in 2024; older history uses the mapping in [the pipeline glossary](https://wiki.canopy.demo/sales/pipeline-stages).",
    ),
    domain: "sales",
    ownerTeam: "sales-analytics",
    owners: [OLIVIA, PRIYA],
    status: "published",
    tags: ["crm", "pipeline", "b2b"],
    classification: "confidential",
    version: "1.4.0",
    ports: [
      trino("opportunities", "sales", "opportunities", "Current state of every opportunity, one row each.", [
        pk("opportunity_id", "Salesforce opportunity id (18 characters)."),
        nn("account_id", "varchar", "Salesforce account id of the customer company."),
        nn("account_name", "varchar", "Registered company name of the account."),
        pii("owner_rep_email", "varchar", "E-mail of the sales rep who owns the opportunity.", { nn: true }),
        nn("stage", "varchar", "Harmonised stage: `qualify`, `discover`, `propose`, `negotiate`, `closed_won`, `closed_lost`."),
        nn("amount_eur", BIG_MONEY, "Expected contract value in EUR at the creation-date rate."),
        nn("probability", "integer", "Win probability in percent as set by the stage (0–100)."),
        c("expected_close_date", "date", "Date the rep expects the deal to close."),
        nn("created_date", "date", "Date the opportunity was created in the CRM."),
        c("last_activity_at", TS, "Last logged call, meeting or e-mail on the opportunity."),
        c("lead_source", "varchar", "Where the lead came from: `inbound_web`, `event`, `partner`, `outbound`."),
        nn("is_closed", "boolean", "True for closed-won and closed-lost."),
        nn("is_won", "boolean", "True only for closed-won."),
      ]),
      trino("stage-history", "sales", "opportunity_stage_history", "Every stage transition, for funnel-velocity analysis.", [
        pk("stage_change_id", "Surrogate key of the transition.", "bigint"),
        nn("opportunity_id", "varchar", "Opportunity that changed stage."),
        c("from_stage", "varchar", "Previous stage; null for the creation event."),
        nn("to_stage", "varchar", "New stage."),
        nn("changed_at", TS, "When the stage changed in the CRM."),
        pii("changed_by_email", "varchar", "E-mail of the CRM user who changed the stage."),
        c("days_in_previous_stage", "integer", "Whole days spent in `from_stage`."),
      ]),
    ],
  },
  {
    slug: "daily-sales-kpis",
    name: "Daily Sales KPIs",
    summary: "Board-level daily sales KPIs per channel and region, in EUR, backing the executive dashboard.",
    description: md(
      "### Daily sales KPIs",
      "Refreshed daily at 06:00 CET; today's row is partial until `is_complete_day` is true. See the [exec dashboard](https://bi.canopy.demo/d/sales-daily).",
      "| KPI | Definition |",
      "|---|---|",
      "| `net_revenue_eur` | Gross minus tax, discounts and cancellations, at the daily ECB rate |",
      "| `average_order_value_eur` | Net revenue ÷ non-cancelled orders |",
    ),
    domain: "sales",
    ownerTeam: "sales-analytics",
    owners: [OLIVIA],
    status: "published",
    tags: ["kpi", "daily", "dashboard"],
    classification: "internal",
    version: "2.0.1",
    ports: [
      trino("daily-kpis", "sales", "daily_kpis", "One row per day, channel and sales region.", [
        pk("kpi_date", "Calendar day (Europe/Berlin).", "date"),
        pk("channel", "Sales channel, as in Sales Orders."),
        pk("region", "Sales region: `dach`, `benelux`, `nordics`, `france`, `uk_ie`, `rest_of_world`."),
        nn("orders_count", "bigint", "Orders placed that day, excluding test orders."),
        nn("gross_revenue_eur", BIG_MONEY, "Gross order value in EUR."),
        nn("net_revenue_eur", BIG_MONEY, "Net revenue in EUR (see definition above)."),
        nn("average_order_value_eur", MONEY, "Net revenue divided by non-cancelled orders."),
        nn("units_sold", "bigint", "Units across all order lines."),
        nn("new_customer_orders", "bigint", "Orders from customers with no previous order."),
        nn("cancellation_rate", "double", "Share of the day's orders cancelled so far (0–1)."),
        nn("is_complete_day", "boolean", "False while the day is still being loaded."),
      ]),
      api(
        "kpi-api",
        "https://api.canopy.demo/sales/kpis/v2",
        "JSON endpoint behind the executive dashboard tiles; last 400 days, cached for 5 minutes.",
      ),
    ],
  },
  {
    slug: "price-book",
    name: "Price Book",
    summary: "Current and historical list prices per SKU and price list, as a table and a low-latency lookup API.",
    description: md(
      "### Price book",
      "List prices per SKU for every price list (`retail_eu`, `retail_uk`, `b2b_standard`, `b2b_key_accounts`), with validity ranges.",
      "- The table is SCD type 2: filter `valid_to IS NULL` for today's prices.",
      "- The API answers in < 20 ms p99 and is safe for checkout-path use; rate limit 200 req/s per client.",
    ),
    domain: "sales",
    ownerTeam: "sales-platform",
    owners: [TOM],
    status: "published",
    tags: ["pricing", "reference", "api"],
    classification: "internal",
    version: "1.9.0",
    ports: [
      trino("list-prices", "sales", "list_prices", "Price history, one row per SKU, price list and validity period.", [
        pk("price_id", "Surrogate key of the price version.", "bigint"),
        nn("sku", "varchar", "Stock-keeping unit."),
        nn("price_list", "varchar", "Price list code."),
        nn("currency", "varchar(3)", "ISO 4217 currency of the price list."),
        nn("list_price", MONEY, "List price per unit, excluding VAT."),
        c("min_price", MONEY, "Floor price sales reps may discount to without approval."),
        nn("valid_from", "date", "First day the price applies."),
        c("valid_to", "date", "Last day the price applies; null for the current price."),
        nn("vat_category", "varchar", "VAT category: `standard`, `reduced`, `zero`."),
      ]),
      api("prices-api", "https://pricing.canopy.demo/v1/prices", "REST lookup of the current price for a SKU and price list."),
    ],
  },
  {
    slug: "sales-forecast-v2",
    name: "Sales Forecast v2",
    summary: "Weekly net-revenue forecast per region and category from the new gradient-boosting model — still in shadow mode.",
    description: md(
      "### Sales forecast v2 (draft)",
      "Weekly forecast with 80 % prediction intervals, 26 weeks ahead, re-trained every Monday.",
      "- **Shadow mode:** numbers run alongside the v1 spreadsheet forecast until Q3 sign-off — do not use for planning yet.",
      "- Feedback welcome in `#sales-forecasting` or on the [design doc](https://wiki.canopy.demo/sales/forecast-v2).",
    ),
    domain: "sales",
    ownerTeam: "sales-analytics",
    owners: [OLIVIA, PRIYA],
    status: "draft",
    tags: ["forecasting", "ml", "experimental"],
    classification: "confidential",
    version: "0.3.0",
    ports: [
      trino("weekly-forecast", "sales", "forecast_weekly_v2", "Latest forecast run per week, region and category.", [
        pk("forecast_id", "Surrogate key of the forecast row.", "bigint"),
        nn("forecast_run_at", TS, "When the model run that produced the row finished."),
        nn("week_start", "date", "Monday of the forecast week."),
        nn("region", "varchar", "Sales region."),
        nn("product_category", "varchar", "Merchandise category (level 2)."),
        nn("predicted_net_revenue_eur", BIG_MONEY, "Point forecast of net revenue in EUR."),
        nn("lower_bound_eur", BIG_MONEY, "Lower bound of the 80 % prediction interval."),
        nn("upper_bound_eur", BIG_MONEY, "Upper bound of the 80 % prediction interval."),
        nn("model_version", "varchar", "Model registry version, e.g. `gbm-2.3.1`."),
        c("mape_last_8w", "double", "Mean absolute percentage error of this series over the last 8 actual weeks."),
      ]),
    ],
  },
  {
    slug: "sales-orders-csv-export",
    name: "Sales Orders CSV Export",
    summary: "Nightly CSV dump of orders for legacy tools — deprecated in favour of the Parquet export in Sales Orders.",
    description: md(
      "### Deprecated",
      "This CSV drop predates the mesh and is kept only for the old commission tool. Please move to the `orders-daily-export` port of **Sales Orders**.",
      "- Files are semicolon-separated, Latin-1 encoded, with German decimal commas.",
      "- Will be switched off once the last consumer has migrated — see the [migration guide](https://docs.canopy.demo/sales/csv-migration).",
    ),
    domain: "sales",
    ownerTeam: "sales-platform",
    owners: [TOM],
    status: "deprecated",
    tags: ["orders", "export", "legacy"],
    classification: "internal",
    version: "1.7.3",
    ports: [
      s3(
        "csv-drop",
        "canopy-legacy-exports",
        "sales/orders-csv",
        "One `orders_YYYYMMDD.csv` file per night with the previous day's orders.",
      ),
    ],
  },
  {
    slug: "legacy-pos-transactions",
    name: "Legacy POS Transactions",
    summary: "Till transactions from the former brick-and-mortar stores, frozen when the stores closed.",
    description: md(
      "### Retired",
      "The retail stores closed and this data no longer changes. The table stays readable for tax audits until the retention period ends.",
      "- Loyalty card numbers are kept only because the auditors asked for them; do not join them to anything.",
    ),
    domain: "sales",
    ownerTeam: "sales-platform",
    owners: [TOM, MARCUS],
    status: "retired",
    tags: ["pos", "retail", "legacy"],
    classification: "confidential",
    version: "1.2.0",
    ports: [
      trino("pos-transactions", "sales", "pos_transactions_legacy", "One row per till transaction, 2016–2023.", [
        pk("transaction_id", "Till-system transaction id.", "bigint"),
        nn("store_id", "varchar", "Store code, e.g. `HAM-01`."),
        nn("till_id", "varchar", "Till within the store."),
        nn("transacted_at", TS, "When the receipt was printed."),
        nn("cashier_id", "varchar", "Pseudonymous cashier key."),
        nn("basket_value", MONEY, "Receipt total including VAT."),
        nn("currency", "varchar(3)", "Receipt currency."),
        nn("payment_method", "varchar", "`cash`, `card`, `voucher` or `mixed`."),
        pii("loyalty_card_number", "varchar", "Loyalty card scanned at the till, if any."),
      ]),
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// Products — Logistics
// ---------------------------------------------------------------------------------------------

const LOGISTICS_PRODUCTS: DemoProduct[] = [
  {
    slug: "shipments",
    name: "Shipments",
    summary: "Every parcel shipped from our warehouses, with carrier, service level, costs and the full tracking-event trail.",
    description: md(
      "### Shipments",
      "One row per shipment and one row per carrier scan event. Recipient names and addresses are **not** exposed here — join Customer Master if you have a lawful basis.",
      "- Updated hourly; carrier events can arrive up to 3 days late.",
      "- `shipping_cost_eur` is our contracted rate, not the carrier invoice — see the [cost caveats](https://wiki.canopy.demo/logistics/shipping-costs).",
    ),
    domain: "logistics",
    ownerTeam: "logistics-ops-data",
    owners: [HANNAH, LUKAS],
    status: "published",
    tags: ["shipping", "fulfilment", "core"],
    classification: "internal",
    version: "2.3.0",
    ports: [
      trino("shipments", "logistics", "shipments", "Current state of every shipment.", [
        pk("shipment_id", "Warehouse-management shipment id."),
        nn("order_id", "bigint", "Order the shipment fulfils (`sales.orders.order_id`)."),
        nn("warehouse_code", "varchar", "Shipping warehouse, e.g. `DE-HAM`, `NL-VNL`."),
        nn("carrier_code", "varchar", "Carrier: `dhl`, `dpd`, `ups`, `postnl`, `own_fleet`."),
        nn("service_level", "varchar", "`standard`, `express` or `same_day`."),
        c("tracking_number", "varchar", "Carrier tracking number; null until the label is printed."),
        nn("shipped_at", TS, "When the carrier picked the parcel up."),
        c("delivered_at", TS, "Proof-of-delivery timestamp; null while in transit."),
        nn("promised_delivery_date", "date", "Delivery date promised to the customer at checkout."),
        nn("destination_country", "varchar(2)", "ISO country of the delivery address."),
        nn("parcel_count", "integer", "Number of parcels in the shipment."),
        nn("weight_kg", "double", "Total billed weight."),
        c("shipping_cost_eur", MONEY, "Contracted shipping cost in EUR."),
        nn("status", "varchar", "`label_created`, `in_transit`, `delivered`, `exception`, `returned_to_sender`."),
      ]),
      trino("shipment-events", "logistics", "shipment_events", "Carrier scan events, append-only.", [
        pk("event_id", "Unique event id (carrier id + sequence)."),
        nn("shipment_id", "varchar", "Shipment the event belongs to."),
        nn("event_type", "varchar", "Normalised event: `picked_up`, `hub_scan`, `out_for_delivery`, `delivered`, `failed_attempt`."),
        nn("event_at", TS, "When the carrier recorded the event."),
        c("location_code", "varchar", "Carrier depot or hub code."),
        c("carrier_status_code", "varchar", "Raw carrier status code before normalisation."),
        c("raw_status_text", "varchar", "Raw carrier status text, in the carrier's language."),
        ingestedAt(),
      ]),
      api(
        "tracking-api",
        "https://tracking.canopy.demo/v1/shipments",
        "Look up the latest status of a shipment by id or tracking number.",
      ),
    ],
  },
  {
    slug: "warehouse-inventory",
    name: "Warehouse Inventory",
    summary: "Daily stock snapshots per warehouse and SKU, plus a live stock-level API for availability checks.",
    description: md(
      "### Warehouse inventory",
      "End-of-day snapshot taken at 23:30 local time per warehouse; the API serves near-real-time availability.",
      "- `available_units` = on hand − reserved; inbound stock is not sellable until received.",
      "- Cycle counts on Sundays can cause corrections of ±2 % on Monday snapshots.",
    ),
    domain: "logistics",
    ownerTeam: "logistics-ops-data",
    owners: [LUKAS],
    status: "published",
    tags: ["inventory", "warehouse", "stock"],
    classification: "internal",
    version: "1.6.0",
    ports: [
      trino("inventory-snapshots", "logistics", "inventory_snapshots", "One row per day, warehouse and SKU.", [
        pk("snapshot_id", "Surrogate key.", "bigint"),
        nn("snapshot_date", "date", "Day of the snapshot."),
        nn("warehouse_code", "varchar", "Warehouse code."),
        nn("sku", "varchar", "Stock-keeping unit."),
        nn("on_hand_units", "integer", "Physically present units."),
        nn("reserved_units", "integer", "Units allocated to open orders."),
        nn("available_units", "integer", "Sellable units (on hand − reserved)."),
        nn("inbound_units", "integer", "Units on open purchase orders due within 14 days."),
        c("days_of_cover", "double", "Available units ÷ average daily sales of the last 28 days; null for new SKUs."),
        nn("stock_value_eur", BIG_MONEY, "On-hand units at moving average cost."),
        nn("is_below_safety_stock", "boolean", "True when available units are below the SKU's safety stock."),
      ]),
      api("stock-levels-api", "https://inventory.canopy.demo/v1/stock", "Current available units per SKU and warehouse."),
    ],
  },
  {
    slug: "carrier-performance",
    name: "Carrier Performance",
    summary: "Weekly on-time, transit-time and cost scorecard per carrier, service level and destination country.",
    description: md(
      "### Carrier scorecard",
      "Built from **Shipments** every Monday for the previous ISO week; used in quarterly carrier reviews.",
      "- On time = delivered on or before `promised_delivery_date`; failed first attempts count as late.",
      "- Weeks with fewer than 50 shipments for a lane are included but flagged in the dashboard.",
    ),
    domain: "logistics",
    ownerTeam: "logistics-ops-data",
    owners: [HANNAH],
    status: "published",
    tags: ["carriers", "sla", "kpi"],
    classification: "internal",
    version: "1.2.0",
    ports: [
      trino("carrier-scorecard", "logistics", "carrier_scorecard_weekly", "One row per week, carrier, service level and country.", [
        pk("scorecard_id", "Surrogate key.", "bigint"),
        nn("week_start", "date", "Monday of the ISO week."),
        nn("carrier_code", "varchar", "Carrier code."),
        nn("service_level", "varchar", "Service level."),
        nn("destination_country", "varchar(2)", "ISO destination country."),
        nn("shipments_count", "bigint", "Shipments handed over that week."),
        c("on_time_rate", "double", "Share delivered on time (0–1); null while shipments are still in transit."),
        c("avg_transit_days", "double", "Mean days from pick-up to delivery."),
        nn("damage_claims", "integer", "Claims filed for damaged or lost parcels."),
        nn("cost_per_parcel_eur", MONEY, "Average contracted cost per parcel."),
      ]),
    ],
  },
  {
    slug: "fleet-telemetry",
    name: "Fleet Telemetry",
    summary: "Hourly positions and driving metrics for our own delivery vans, plus the raw 10-second telemetry feed.",
    description: md(
      "### Fleet telemetry",
      "Hourly aggregates of the van telematics feed for the own-fleet same-day service in Hamburg, Berlin and Amsterdam.",
      "- Positions identify a driver's whereabouts during a shift: **personal data under the works-council agreement** — no individual performance analysis.",
      "- Raw feed is kept 90 days; aggregates for 3 years. Agreement text: [works council FAQ](https://wiki.canopy.demo/logistics/telemetry-agreement).",
    ),
    domain: "logistics",
    ownerTeam: "fleet-telemetry",
    owners: [MEI],
    status: "published",
    tags: ["iot", "fleet", "telemetry", "streaming"],
    classification: "confidential",
    version: "1.0.4",
    ports: [
      trino("vehicle-positions", "logistics", "vehicle_positions_hourly", "One row per van and hour with movement.", [
        pk("position_id", "Surrogate key.", "bigint"),
        nn("vehicle_id", "varchar", "Fleet number of the van, e.g. `HH-VAN-017`."),
        nn("recorded_hour", TS, "Start of the hour (UTC)."),
        pii("latitude", "double", "Last known latitude in the hour (WGS84); locates the driver."),
        pii("longitude", "double", "Last known longitude in the hour (WGS84); locates the driver."),
        c("avg_speed_kmh", "double", "Average speed while moving."),
        nn("distance_km", "double", "Distance driven in the hour."),
        c("battery_level_pct", "double", "State of charge at the end of the hour (electric vans only)."),
        c("route_id", "varchar", "Planned route the van was on, if any."),
      ], "confidential"),
      s3(
        "raw-telemetry",
        "canopy-fleet-telemetry",
        "raw/v1",
        "Raw 10-second CAN-bus pings as Parquet, partitioned by `dt` and `vehicle_id`.",
        {
          classification: "confidential",
          fields: [
            nn("vehicle_id", "varchar", "Fleet number of the van."),
            nn("ts", TS, "Ping timestamp (UTC)."),
            pii("lat", "double", "Latitude (WGS84).", { nn: true }),
            pii("lon", "double", "Longitude (WGS84).", { nn: true }),
            c("speed_kmh", "double", "Instantaneous speed."),
            c("odometer_km", "double", "Odometer reading."),
          ],
        },
      ),
    ],
  },
  {
    slug: "delivery-eta",
    name: "Delivery ETA Predictions",
    summary: "Predicted delivery time per in-flight shipment, for proactive customer notifications — under construction.",
    description: md(
      "### Delivery ETA (draft)",
      "Predicts `predicted_delivery_at` for each open shipment from carrier history, live van positions and lane scorecards.",
      "- Currently evaluated on own-fleet shipments only; carrier parcels follow in v0.3.",
      "- The API contract may still change — talk to the Fleet Telemetry team before integrating.",
    ),
    domain: "logistics",
    ownerTeam: "fleet-telemetry",
    owners: [MEI, LUKAS],
    status: "draft",
    tags: ["eta", "ml", "api"],
    classification: "internal",
    version: "0.2.0",
    ports: [
      trino("eta-predictions", "logistics", "eta_predictions", "Every prediction made, with the actual outcome once known.", [
        pk("prediction_id", "Surrogate key.", "bigint"),
        nn("shipment_id", "varchar", "Shipment predicted."),
        nn("predicted_at", TS, "When the prediction was made."),
        nn("predicted_delivery_at", TS, "Predicted delivery time."),
        nn("confidence", "double", "Model confidence that delivery happens within ±60 minutes (0–1)."),
        nn("model_version", "varchar", "Model registry version."),
        c("actual_delivered_at", TS, "Actual delivery time, filled once delivered."),
        c("error_minutes", "integer", "Actual minus predicted, in minutes."),
      ]),
      api("eta-api", "https://eta.canopy.demo/v1/predictions", "Latest ETA for a shipment id."),
    ],
  },
  {
    slug: "returns",
    name: "Returns",
    summary: "Every returned item with reason, condition grade, refund amount and whether it went back into stock.",
    description: md(
      "### Returns",
      "One row per returned order line, recorded when the parcel is processed at the returns centre (not when the customer announces it).",
      "- `return_reason_text` is free text typed by the customer and can contain personal data — treat as confidential.",
      "- Refunds are the amount credited, which may differ from the line value after goodwill adjustments.",
    ),
    domain: "logistics",
    ownerTeam: "logistics-ops-data",
    owners: [LUKAS, HANNAH],
    status: "published",
    tags: ["returns", "reverse-logistics"],
    classification: "confidential",
    version: "1.3.1",
    ports: [
      trino("returns", "logistics", "returns", "One row per returned order line.", [
        pk("return_id", "Returns-centre id of the processed item."),
        nn("order_id", "bigint", "Original order."),
        nn("order_line_id", "bigint", "Original order line."),
        nn("sku", "varchar", "Returned SKU."),
        nn("return_reason_code", "varchar", "Reason picked by the customer: `size`, `damaged`, `not_as_described`, `changed_mind`, `late`."),
        pii("return_reason_text", "varchar", "Optional free-text comment from the customer."),
        nn("received_at", TS, "When the returns centre scanned the item."),
        nn("condition_grade", "varchar", "`A` resellable as new, `B` outlet, `C` write-off."),
        nn("refund_amount_eur", MONEY, "Amount credited to the customer."),
        nn("restocked", "boolean", "True when the item went back into sellable stock."),
        nn("warehouse_code", "varchar", "Returns centre that processed the item."),
      ]),
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// Products — Finance
// ---------------------------------------------------------------------------------------------

const FINANCE_PRODUCTS: DemoProduct[] = [
  {
    slug: "general-ledger",
    name: "General Ledger",
    summary: "All posted journal entries from SAP for every company code, plus monthly trial balances — SOX-controlled.",
    description: md(
      "### General ledger",
      "Posted entries from SAP S/4HANA, loaded nightly. Parked and held documents are excluded.",
      "- **Restricted:** access requires a finance or audit role; every query is logged.",
      "- Periods are locked after close; corrections appear as new entries in the next open period, never as updates.",
      "- Chart of accounts: [finance wiki](https://wiki.canopy.demo/finance/chart-of-accounts).",
    ),
    domain: "finance",
    ownerTeam: "finance-controlling",
    owners: [DANIEL, NOAH],
    status: "published",
    tags: ["ledger", "accounting", "sox"],
    classification: "restricted",
    version: "4.1.0",
    ports: [
      trino("gl-entries", "finance", "gl_entries", "One row per journal-entry line.", [
        pk("entry_id", "SAP document number + line item, e.g. `1000-4900012345-003`."),
        nn("journal_id", "varchar", "SAP document number."),
        nn("company_code", "varchar", "Legal entity, e.g. `1000` (Canopy GmbH), `2000` (Canopy B.V.)."),
        nn("account_number", "varchar", "G/L account."),
        nn("account_name", "varchar", "G/L account description (English)."),
        c("cost_center", "varchar", "Cost centre for P&L accounts; null for balance-sheet accounts."),
        nn("posting_date", "date", "Posting date."),
        nn("fiscal_period", "varchar", "Fiscal year and period, e.g. `2025-07`."),
        nn("debit_eur", "decimal(16,2)", "Debit amount in group currency."),
        nn("credit_eur", "decimal(16,2)", "Credit amount in group currency."),
        nn("document_currency", "varchar(3)", "Currency of the source document."),
        c("document_reference", "varchar", "External reference, e.g. invoice number."),
        nn("posted_by", "varchar", "SAP user id of the poster (technical id, not a name)."),
        nn("source_system", "varchar", "`sap_fi`, `sap_sd`, `billing` or `manual`."),
      ], "restricted"),
      trino("trial-balance", "finance", "trial_balance_monthly", "Monthly trial balance per company code and account.", [
        pk("trial_balance_id", "Surrogate key.", "bigint"),
        nn("fiscal_period", "varchar", "Fiscal period."),
        nn("company_code", "varchar", "Legal entity."),
        nn("account_number", "varchar", "G/L account."),
        nn("opening_balance_eur", "decimal(16,2)", "Balance at the start of the period."),
        nn("period_debit_eur", "decimal(16,2)", "Sum of debits in the period."),
        nn("period_credit_eur", "decimal(16,2)", "Sum of credits in the period."),
        nn("closing_balance_eur", "decimal(16,2)", "Balance at the end of the period."),
        nn("is_closed_period", "boolean", "True once the period is locked after month-end close."),
      ], "restricted"),
    ],
  },
  {
    slug: "fx-rates",
    name: "FX Rates",
    summary: "Daily ECB reference exchange rates against EUR, as a table and a simple API — the one rate everyone should use.",
    description: md(
      "### FX rates",
      "Daily ECB reference rates, published around 16:00 CET on TARGET business days; weekends carry Friday's rate forward.",
      "- Use `rate_date` = the business date of your fact, not the load date.",
      "- Source: [ECB euro reference rates](https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/html/index.en.html).",
    ),
    domain: "finance",
    ownerTeam: "finance-controlling",
    owners: [NOAH],
    status: "published",
    tags: ["fx", "reference", "currency"],
    classification: "public",
    version: "1.0.0",
    ports: [
      trino("fx-daily", "finance", "fx_daily", "One row per day and currency pair.", [
        pk("rate_date", "Date the rate applies to.", "date"),
        pk("base_currency", "Always `EUR`."),
        pk("quote_currency", "ISO 4217 currency quoted against EUR."),
        nn("rate", "decimal(18,8)", "Units of quote currency per 1 EUR."),
        nn("source", "varchar", "`ecb` or `carried_forward` for non-business days."),
        nn("published_at", TS, "When the rate was published by the source."),
      ], "public"),
      api("fx-api", "https://fx.canopy.demo/v1/rates", "Rates for a date and currency, JSON; no authentication needed inside the network.", "public"),
    ],
  },
  {
    slug: "invoices",
    name: "Customer Invoices",
    summary: "Every customer invoice and credit note with billing details, amounts and payment status.",
    description: md(
      "### Customer invoices",
      "Invoices and credit notes from the billing system, one row per document, updated hourly as payments arrive.",
      "- Billing name, address and IBAN are personal data: the IBAN column is **restricted** and masked for most roles.",
      "- PDFs are in the `invoice-pdfs` port; keys follow `yyyy/mm/<invoice_number>.pdf`.",
    ),
    domain: "finance",
    ownerTeam: "finance-controlling",
    owners: [NOAH, DANIEL],
    status: "published",
    tags: ["invoicing", "billing", "receivables"],
    classification: "confidential",
    version: "2.2.0",
    ports: [
      trino("invoices", "finance", "invoices", "One row per invoice or credit note.", [
        pk("invoice_id", "Billing-system document id."),
        nn("invoice_number", "varchar", "Legal invoice number, gap-free per company code."),
        c("order_id", "bigint", "Order invoiced; null for manual invoices."),
        nn("customer_id", "varchar", "Pseudonymous customer key."),
        pii("billing_name", "varchar", "Name of the person or company billed.", { nn: true }),
        pii("billing_address", "varchar", "Billing address as printed on the invoice.", { nn: true }),
        c("vat_id", "varchar", "Customer VAT registration number (B2B only).", { cls: "confidential" }),
        pii("iban", "varchar", "IBAN for SEPA direct-debit customers only.", { cls: "restricted" }),
        nn("invoice_date", "date", "Invoice date."),
        nn("due_date", "date", "Payment due date."),
        nn("net_amount_eur", MONEY, "Net amount in EUR; negative for credit notes."),
        nn("vat_amount_eur", MONEY, "VAT in EUR."),
        nn("gross_amount_eur", MONEY, "Gross amount in EUR."),
        nn("payment_status", "varchar", "`open`, `partially_paid`, `paid`, `written_off`."),
        c("paid_at", TS, "When the invoice was settled in full."),
      ]),
      s3(
        "invoice-pdfs",
        "canopy-finance-invoices",
        "pdf",
        "Rendered PDF invoices exactly as sent to customers, retained for 10 years.",
        { classification: "restricted" },
      ),
    ],
  },
  {
    slug: "revenue-recognition",
    name: "Recognised Revenue",
    summary: "IFRS 15 revenue per order and fiscal period, reconciled to the general ledger every month-end.",
    description: md(
      "### Recognised revenue",
      "Revenue is recognised on delivery (`shipments.delivered_at`), not on order; undelivered orders sit in `deferred_amount_eur`.",
      "- Reconciles to G/L accounts 4000–4499 within ±0.1 % after close; differences are listed in the close checklist.",
      "- Figures for an open period change daily until it is locked.",
    ),
    domain: "finance",
    ownerTeam: "finance-controlling",
    owners: [DANIEL],
    status: "published",
    tags: ["revenue", "ifrs15", "month-end"],
    classification: "confidential",
    version: "1.5.0",
    ports: [
      trino("recognised-revenue", "finance", "recognised_revenue", "One row per order and recognition event.", [
        pk("recognition_id", "Surrogate key.", "bigint"),
        nn("order_id", "bigint", "Order the revenue belongs to."),
        c("shipment_id", "varchar", "Shipment that triggered recognition; null for services."),
        nn("recognised_on", "date", "Date the revenue was recognised."),
        nn("fiscal_period", "varchar", "Fiscal period, e.g. `2025-07`."),
        nn("revenue_stream", "varchar", "`goods`, `shipping_fees`, `services`, `marketplace_commission`."),
        nn("company_code", "varchar", "Legal entity."),
        nn("amount_eur", BIG_MONEY, "Recognised amount in EUR."),
        nn("deferred_amount_eur", BIG_MONEY, "Amount still deferred for the order after this event."),
        nn("recognition_rule", "varchar", "Rule applied, e.g. `on_delivery`, `ratable_12m`."),
        nn("is_adjustment", "boolean", "True for manual month-end adjustments."),
      ]),
    ],
  },
  {
    slug: "accounts-receivable-ageing",
    name: "Accounts Receivable Ageing",
    summary: "Daily open receivables per customer bucketed by days overdue, with credit limits and dunning level.",
    description: md(
      "### AR ageing",
      "Daily snapshot of open items from **Customer Invoices**, bucketed by days past due date.",
      "- B2C customers below €50 open are aggregated into one `small_b2c` row per day to keep the table light.",
      "- Used by credit control for dunning runs and by treasury for the cash forecast.",
    ),
    domain: "finance",
    ownerTeam: "finance-reporting",
    owners: [AISHA],
    status: "published",
    tags: ["receivables", "credit", "cash"],
    classification: "confidential",
    version: "1.1.2",
    ports: [
      trino("ar-ageing", "finance", "ar_ageing_daily", "One row per snapshot day and customer with open items.", [
        pk("snapshot_date", "Snapshot day.", "date"),
        pk("customer_id", "Pseudonymous customer key, or `small_b2c`."),
        pii("customer_name", "varchar", "Billing name of the customer (person or company)."),
        nn("open_amount_eur", MONEY, "Total open amount."),
        nn("current_eur", MONEY, "Not yet due."),
        nn("overdue_1_30_eur", MONEY, "1–30 days past due."),
        nn("overdue_31_60_eur", MONEY, "31–60 days past due."),
        nn("overdue_61_90_eur", MONEY, "61–90 days past due."),
        nn("overdue_90_plus_eur", MONEY, "More than 90 days past due."),
        c("credit_limit_eur", MONEY, "Approved credit limit (B2B only)."),
        nn("dunning_level", "integer", "Highest dunning level reached (0 = none, 3 = handed to collections)."),
      ]),
    ],
  },
  {
    slug: "cost-to-serve",
    name: "Cost to Serve",
    summary: "Contribution margin per order after shipping, returns and payment fees — first version under review.",
    description: md(
      "### Cost to serve (draft)",
      "Allocates logistics, returns and payment costs to individual orders to show which channels and regions really make money.",
      "- Allocation method is still being agreed with Logistics; expect numbers to move between versions.",
      "- Methodology draft: [cost-to-serve RFC](https://wiki.canopy.demo/finance/cost-to-serve-rfc).",
    ),
    domain: "finance",
    ownerTeam: "finance-controlling",
    owners: [NOAH],
    status: "draft",
    tags: ["profitability", "logistics", "experimental"],
    classification: "confidential",
    version: "0.4.0",
    ports: [
      trino("order-profitability", "finance", "order_cost_to_serve", "One row per delivered order.", [
        pk("order_id", "Order.", "bigint"),
        nn("fiscal_period", "varchar", "Fiscal period of recognition."),
        nn("net_revenue_eur", MONEY, "Recognised net revenue."),
        nn("cogs_eur", MONEY, "Cost of goods sold at moving average cost."),
        nn("shipping_cost_eur", MONEY, "Allocated outbound shipping cost."),
        nn("returns_cost_eur", MONEY, "Allocated returns handling and write-off cost."),
        nn("payment_fees_eur", MONEY, "Payment-provider fees."),
        nn("contribution_margin_eur", MONEY, "Revenue minus all costs above."),
        c("margin_pct", "double", "Contribution margin ÷ net revenue; null when revenue is zero."),
        nn("allocation_method", "varchar", "Version tag of the allocation rules used."),
      ]),
    ],
  },
  {
    slug: "management-reporting-pack",
    name: "Monthly Management Reporting Pack",
    summary: "The monthly P&L pack for the leadership team as figures and rendered Excel/PDF files — being phased out.",
    description: md(
      "### Deprecated",
      "Replaced by the self-service finance dashboards built directly on **Recognised Revenue** and the **General Ledger** trial balance.",
      "- Packs are still produced for year-end close; after that the port is frozen.",
      "- Questions: `#finance-reporting`.",
    ),
    domain: "finance",
    ownerTeam: "finance-reporting",
    owners: [AISHA],
    status: "deprecated",
    tags: ["reporting", "month-end", "legacy"],
    classification: "confidential",
    version: "2.4.0",
    ports: [
      trino("pack-figures", "finance", "management_pack_figures", "Every figure printed in the pack, one row per line item and segment.", [
        pk("figure_id", "Surrogate key.", "bigint"),
        nn("fiscal_period", "varchar", "Fiscal period of the pack."),
        nn("line_item", "varchar", "P&L line, e.g. `net_revenue`, `gross_margin`, `ebitda`."),
        nn("segment", "varchar", "Reporting segment: `group`, `webshop`, `b2b`, `marketplaces`."),
        nn("actual_eur", BIG_MONEY, "Actual value."),
        c("budget_eur", BIG_MONEY, "Budget value."),
        c("prior_year_eur", BIG_MONEY, "Same period last year."),
        c("variance_pct", "double", "Actual vs budget in percent."),
        c("commentary", "varchar", "Controller's commentary on the variance."),
      ]),
      s3(
        "rendered-packs",
        "canopy-finance-reporting",
        "management-pack",
        "The Excel and PDF packs as distributed, one folder per fiscal period.",
        { classification: "confidential" },
      ),
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// Products — Customer
// ---------------------------------------------------------------------------------------------

const CUSTOMER_PRODUCTS: DemoProduct[] = [
  {
    slug: "customer-master",
    name: "Customer Master",
    summary: "The golden customer record — identity, contact details and addresses — with a pseudonymised view for analytics.",
    description: md(
      "### Customer master",
      "Matched and de-duplicated from web-shop accounts, CRM contacts and loyalty cards; one row per real customer.",
      "- **Use `customers-pseudonymised` unless you genuinely need contact details.** Access to `customers` needs a DPIA reference in the request.",
      "- GDPR erasures are applied within 72 h; rows flagged `gdpr_erasure_requested` must not be exported.",
      "- Matching rules: [identity resolution](https://wiki.canopy.demo/customer/identity-resolution).",
    ),
    domain: "customer",
    ownerTeam: "customer-data",
    owners: [JONAS, SOFIA],
    status: "published",
    tags: ["customer", "golden-record", "pii", "gdpr"],
    classification: "restricted",
    version: "3.0.0",
    ports: [
      trino("customers", "customer", "customers", "Full customer record including contact details.", [
        pk("customer_id", "Pseudonymous customer key used across the mesh."),
        nn("customer_type", "varchar", "`b2c` or `b2b`."),
        pii("full_name", "varchar", "First and last name (B2C) or contact person (B2B).", { cls: "restricted", nn: true }),
        pii("email", "varchar", "Primary e-mail address, lower-cased.", { cls: "restricted", nn: true }),
        pii("phone_number", "varchar", "Phone number in E.164 format.", { cls: "restricted" }),
        pii("date_of_birth", "date", "Date of birth, when given for age verification.", { cls: "restricted" }),
        pii("street_address", "varchar", "Street and house number of the default address.", { cls: "restricted" }),
        pii("postal_code", "varchar", "Postal code of the default address."),
        pii("city", "varchar", "City of the default address."),
        nn("country_code", "varchar(2)", "ISO country of the default address."),
        nn("preferred_language", "varchar(5)", "BCP 47 language tag, e.g. `de-DE`."),
        nn("created_at", TS, "When the customer was first seen."),
        nn("is_active", "boolean", "False for closed or merged accounts."),
        nn("gdpr_erasure_requested", "boolean", "True once an erasure request was received; the row will be anonymised."),
        nn("updated_at", TS, "Last change to the record."),
      ], "restricted", {
        approvers: [JONAS],
        secondLevelApprovers: [SOFIA],
        piiPurposes: ["customer-service", "fraud-prevention"],
        terms: {
          purpose: "Serving and protecting customers: support, fraud prevention, legally required contact.",
          limitations: "Contact details must not be exported outside the EU or used for marketing without consent from Customer Consent. Name a DPIA reference in the request.",
          usage: "Query through Trino only; do not copy rows into other products. Personal data is masked unless your purpose is customer service or fraud prevention.",
        },
      }),
      trino("customers-pseudonymised", "customer", "customers_pseudonymised", "Analytics-safe view: no direct identifiers, coarse location and age.", [
        pk("customer_id", "Pseudonymous customer key."),
        nn("customer_type", "varchar", "`b2c` or `b2b`."),
        nn("country_code", "varchar(2)", "ISO country of the default address."),
        c("postal_area", "varchar", "First two characters of the postal code."),
        c("age_band", "varchar", "`18-24`, `25-34`, … `65+`; null when unknown."),
        nn("signup_date", "date", "Date of first registration or purchase."),
        nn("is_active", "boolean", "False for closed or merged accounts."),
        nn("tenure_months", "integer", "Whole months since signup."),
      ], "internal"),
    ],
  },
  {
    slug: "customer-consent",
    name: "Customer Consent",
    summary: "Marketing and profiling consents per customer, channel and purpose, with full capture history.",
    description: md(
      "### Customer consent",
      "The legal record of what each customer agreed to. Marketing **must** check this before any activation.",
      "- Consent is per channel (`email`, `sms`, `phone`, `postal`) and purpose (`newsletter`, `personalisation`, `profiling`).",
      "- Withdrawals propagate to the API immediately and to the table within 15 minutes.",
    ),
    domain: "customer",
    ownerTeam: "customer-data",
    owners: [SOFIA, JONAS],
    status: "published",
    tags: ["consent", "gdpr", "marketing"],
    classification: "confidential",
    version: "1.2.0",
    ports: [
      trino("consents", "customer", "consents", "Current and historical consent records.", [
        pk("consent_id", "Consent-record id."),
        nn("customer_id", "varchar", "Pseudonymous customer key."),
        pii("email", "varchar", "E-mail address the consent was given for.", { nn: true }),
        nn("channel", "varchar", "`email`, `sms`, `phone` or `postal`."),
        nn("purpose", "varchar", "`newsletter`, `personalisation` or `profiling`."),
        nn("granted", "boolean", "True when consent is given."),
        nn("captured_at", TS, "When the customer gave or refused consent."),
        nn("capture_source", "varchar", "Where it was captured: `checkout`, `account_settings`, `preference_centre`, `call_centre`."),
        nn("policy_version", "varchar", "Privacy-policy version shown at capture."),
        c("withdrawn_at", TS, "When the consent was withdrawn, if it was."),
      ]),
      api("consent-api", "https://consent.canopy.demo/v1/consents", "Real-time consent check for one customer, channel and purpose."),
    ],
  },
  {
    slug: "support-tickets",
    name: "Support Tickets",
    summary: "Customer-service tickets from all channels with timings, categories and satisfaction scores.",
    description: md(
      "### Support tickets",
      "Tickets from Zendesk (e-mail, chat, phone call notes), synced every 30 minutes; message bodies are not included.",
      "- `subject` is typed by the customer and can contain names or order details — treat as personal data.",
      "- Daily metrics are pre-aggregated in `ticket-metrics-daily` for dashboards that don't need ticket-level access.",
    ),
    domain: "customer",
    ownerTeam: "customer-support-analytics",
    owners: [ELENA],
    status: "published",
    tags: ["support", "zendesk", "cx"],
    classification: "confidential",
    version: "2.1.0",
    ports: [
      trino("tickets", "customer", "support_tickets", "One row per ticket.", [
        pk("ticket_id", "Zendesk ticket id.", "bigint"),
        c("customer_id", "varchar", "Pseudonymous customer key; null when the requester could not be matched."),
        pii("requester_email", "varchar", "E-mail of the person who opened the ticket.", { nn: true }),
        nn("channel", "varchar", "`email`, `chat`, `phone` or `web_form`."),
        nn("category", "varchar", "Agent-assigned category, e.g. `delivery`, `returns`, `payment`, `product_question`."),
        nn("priority", "varchar", "`low`, `normal`, `high`, `urgent`."),
        nn("status", "varchar", "`new`, `open`, `pending`, `solved`, `closed`."),
        pii("subject", "varchar", "Ticket subject line as entered by the customer."),
        nn("created_at", TS, "When the ticket was opened."),
        c("first_response_at", TS, "First public agent reply."),
        c("solved_at", TS, "When the ticket was last set to solved."),
        c("csat_score", "integer", "Satisfaction rating 1–5 from the post-solve survey."),
        c("order_id", "bigint", "Order referenced by the ticket, when linked by the agent."),
        nn("agent_team", "varchar", "Support team handling the ticket, e.g. `tier1_de`, `tier2_returns`."),
      ]),
      trino("ticket-metrics-daily", "customer", "support_ticket_metrics_daily", "Aggregated daily metrics, no personal data.", [
        pk("metric_date", "Calendar day.", "date"),
        pk("agent_team", "Support team."),
        pk("channel", "Contact channel."),
        nn("tickets_created", "integer", "Tickets opened that day."),
        nn("tickets_solved", "integer", "Tickets solved that day."),
        c("median_first_response_minutes", "double", "Median minutes to first reply for tickets opened that day."),
        nn("backlog_open", "integer", "Open tickets at end of day."),
        c("csat_avg", "double", "Average satisfaction score of surveys answered that day."),
      ], "internal"),
    ],
  },
  {
    slug: "customer-360",
    name: "Customer 360",
    summary: "One analytics-ready row per customer combining orders, returns, invoices, support and engagement.",
    description: md(
      "### Customer 360",
      "Joins the pseudonymised customer master with purchase, returns, billing, support and e-mail engagement history — no direct identifiers.",
      "- Rebuilt nightly at 03:00 CET; `updated_at` tells you how fresh a row is.",
      "- `segment` replaces the retired RFM segments; definitions in [segment glossary](https://wiki.canopy.demo/customer/segments).",
    ),
    domain: "customer",
    ownerTeam: "customer-data",
    owners: [JONAS, SOFIA],
    status: "published",
    tags: ["customer", "analytics", "features"],
    classification: "confidential",
    version: "2.5.0",
    ports: [
      trino("customer-profile", "customer", "customer_360", "One row per active or recently inactive customer.", [
        pk("customer_id", "Pseudonymous customer key."),
        nn("customer_type", "varchar", "`b2c` or `b2b`."),
        nn("country_code", "varchar(2)", "ISO country."),
        c("age_band", "varchar", "Age band, when known."),
        c("first_order_date", "date", "Date of the first order."),
        c("last_order_date", "date", "Date of the most recent order."),
        nn("lifetime_orders", "integer", "Non-cancelled orders to date."),
        nn("lifetime_net_revenue_eur", BIG_MONEY, "Net revenue to date in EUR."),
        c("avg_order_value_eur", MONEY, "Average net order value."),
        nn("return_rate", "double", "Returned units ÷ purchased units over the last 12 months."),
        nn("open_invoice_amount_eur", MONEY, "Unpaid invoice amount today."),
        nn("tickets_last_90d", "integer", "Support tickets opened in the last 90 days."),
        c("avg_csat_12m", "double", "Average CSAT over the last 12 months."),
        c("email_engagement_score", "double", "0–100 score from opens and clicks over 180 days (consented customers only)."),
        nn("segment", "varchar", "`champion`, `loyal`, `promising`, `at_risk`, `dormant`, `new`."),
        nn("categories_bought", "array(varchar)", "Distinct merchandise categories bought in the last 24 months."),
        nn("updated_at", TS, "When the row was last rebuilt."),
      ]),
      s3(
        "features-export",
        "canopy-ml-features",
        "customer-360",
        "Daily Parquet feature snapshot for the ML platform, partitioned by `dt`.",
        { classification: "confidential" },
      ),
    ],
  },
  {
    slug: "churn-risk-scores",
    name: "Churn Risk Scores",
    summary: "Weekly probability that each customer stops buying in the next 90 days, with the top drivers behind the score.",
    description: md(
      "### Churn risk",
      "Scored every Sunday on Customer 360 features; calibrated so that `churn_probability` is a true probability.",
      "- AUC 0.81 on the last holdout; performance is reviewed monthly.",
      "- Scores are not to be used for pricing or credit decisions (see the model card).",
    ),
    domain: "customer",
    ownerTeam: "customer-data",
    owners: [JONAS],
    status: "published",
    tags: ["churn", "ml", "retention"],
    classification: "confidential",
    version: "1.3.0",
    ports: [
      trino("churn-scores", "customer", "churn_scores", "Latest score per customer and scoring date.", [
        pk("customer_id", "Pseudonymous customer key."),
        pk("scored_on", "Scoring date.", "date"),
        nn("churn_probability", "double", "Probability of no purchase in the next 90 days (0–1)."),
        nn("risk_band", "varchar", "`low`, `medium`, `high`."),
        c("top_driver_1", "varchar", "Feature contributing most to the score."),
        c("top_driver_2", "varchar", "Second-strongest driver."),
        c("top_driver_3", "varchar", "Third-strongest driver."),
        nn("model_version", "varchar", "Model registry version."),
        c("recommended_action", "varchar", "Suggested retention play, e.g. `win_back_voucher`, `service_call`."),
      ]),
    ],
  },
  {
    slug: "customer-segments-legacy",
    name: "Customer Segments (RFM, legacy)",
    summary: "Old RFM segmentation of customers — retired, superseded by the segment column in Customer 360.",
    description: md(
      "### Retired",
      "Superseded by `segment` in **Customer 360**. The table is frozen and kept read-only for reproducing historical campaign selections.",
    ),
    domain: "customer",
    ownerTeam: "customer-data",
    owners: [JONAS],
    status: "retired",
    tags: ["segmentation", "rfm", "legacy"],
    classification: "internal",
    version: "1.8.0",
    ports: [
      trino("rfm-segments", "customer", "rfm_segments_legacy", "Last computed RFM segment per customer.", [
        pk("customer_id", "Pseudonymous customer key."),
        nn("recency_days", "integer", "Days since last order at computation time."),
        nn("frequency_12m", "integer", "Orders in the 12 months before computation."),
        nn("monetary_12m_eur", MONEY, "Net revenue in the 12 months before computation."),
        nn("rfm_score", "varchar(3)", "Concatenated quintiles, e.g. `545`."),
        nn("segment_name", "varchar", "Named segment, e.g. `champions`, `hibernating`."),
        nn("computed_on", "date", "Date of the last computation."),
      ]),
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// Products — Marketing
// ---------------------------------------------------------------------------------------------

const MARKETING_PRODUCTS: DemoProduct[] = [
  {
    slug: "web-analytics-sessions",
    name: "Web Analytics Sessions",
    summary: "Web-shop sessions with traffic source, landing page, device and conversion, sessionised from the clickstream.",
    description: md(
      "### Web sessions",
      "Sessionised from the first-party clickstream (30-minute inactivity timeout), consented visitors only.",
      "- `customer_id` is set only when the visitor logged in during the session.",
      "- Raw events include IP addresses and are **restricted**; most questions can be answered from `sessions`.",
    ),
    domain: "marketing",
    ownerTeam: "digital-analytics",
    owners: [CHLOE],
    status: "published",
    tags: ["web", "clickstream", "sessions"],
    classification: "internal",
    version: "2.0.0",
    ports: [
      trino("sessions", "marketing", "web_sessions", "One row per session.", [
        pk("session_id", "Session id."),
        nn("anonymous_visitor_id", "varchar", "First-party cookie id, rotated yearly."),
        c("customer_id", "varchar", "Pseudonymous customer key when logged in."),
        nn("session_start", TS, "First event of the session."),
        nn("session_end", TS, "Last event of the session."),
        nn("landing_page", "varchar", "Path of the first page view, without query string."),
        c("referrer_domain", "varchar", "Referring domain, if any."),
        c("utm_source", "varchar", "`utm_source` of the landing URL."),
        c("utm_medium", "varchar", "`utm_medium` of the landing URL."),
        c("utm_campaign", "varchar", "`utm_campaign` of the landing URL; matches campaign ids in Paid Media Spend."),
        nn("device_category", "varchar", "`desktop`, `mobile` or `tablet`."),
        c("country_code", "varchar(2)", "Country from IP geolocation (IP itself is not stored here)."),
        nn("pageviews", "integer", "Page views in the session."),
        nn("converted", "boolean", "True when an order was placed in the session."),
        c("order_id", "bigint", "Order placed in the session, if any."),
      ]),
      s3(
        "raw-events",
        "canopy-clickstream",
        "events/v2",
        "Raw enriched events as gzipped JSON lines, partitioned by hour; contains IP addresses and user agents.",
        { classification: "restricted" },
      ),
    ],
  },
  {
    slug: "campaign-engagement",
    name: "Campaign Engagement",
    summary: "E-mail and push campaign events — sends, opens, clicks, bounces and unsubscribes — per customer.",
    description: md(
      "### Campaign engagement",
      "Events from the e-mail service provider, joined to customers and filtered to those with a valid `email/newsletter` consent.",
      "- Apple Mail privacy protection inflates opens since 2021: prefer clicks, and exclude `is_bot_suspected`.",
      "- Events arrive within an hour; bounces may take up to 72 h.",
    ),
    domain: "marketing",
    ownerTeam: "marketing-analytics",
    owners: [RAVI],
    status: "published",
    tags: ["email", "crm", "engagement"],
    classification: "confidential",
    version: "1.4.0",
    ports: [
      trino("engagement-events", "marketing", "campaign_engagement", "One row per engagement event.", [
        pk("event_id", "ESP event id."),
        nn("campaign_id", "varchar", "Campaign id, shared with Paid Media Spend and Campaign Performance."),
        nn("customer_id", "varchar", "Pseudonymous customer key."),
        pii("email", "varchar", "Recipient address the message was sent to.", { nn: true }),
        nn("channel", "varchar", "`email` or `push`."),
        nn("event_type", "varchar", "`sent`, `delivered`, `open`, `click`, `bounce`, `unsubscribe`."),
        nn("event_at", TS, "When the event happened."),
        c("link_url", "varchar", "Clicked URL for `click` events."),
        c("device_category", "varchar", "Device of the open or click."),
        nn("is_bot_suspected", "boolean", "True for opens/clicks from security scanners or privacy proxies."),
      ]),
    ],
  },
  {
    slug: "ad-spend",
    name: "Paid Media Spend",
    summary: "Daily spend, impressions and clicks from Google Ads, Meta and affiliate networks, normalised to EUR.",
    description: md(
      "### Paid media spend",
      "Pulled from the ad platforms' reporting APIs every morning; the last 7 days are restated daily as platforms finalise their numbers.",
      "- Spend is converted to EUR with **FX Rates** of the spend date.",
      "- Affiliate commissions arrive monthly and are spread evenly over the days of the month.",
    ),
    domain: "marketing",
    ownerTeam: "marketing-analytics",
    owners: [RAVI, GRACE],
    status: "published",
    tags: ["paid-media", "spend", "ads"],
    classification: "internal",
    version: "1.1.0",
    ports: [
      trino("daily-spend", "marketing", "ad_spend_daily", "One row per day, platform and campaign.", [
        pk("spend_date", "Day of the spend.", "date"),
        pk("platform", "`google_ads`, `meta`, `tiktok`, `awin`."),
        pk("campaign_id", "Campaign id (matches `utm_campaign`)."),
        nn("campaign_name", "varchar", "Campaign name in the platform."),
        nn("impressions", "bigint", "Impressions reported by the platform."),
        nn("clicks", "bigint", "Clicks reported by the platform."),
        nn("spend_eur", MONEY, "Spend converted to EUR."),
        nn("currency_original", "varchar(3)", "Currency billed by the platform."),
        nn("spend_original", MONEY, "Spend in the billed currency."),
        ingestedAt(),
      ]),
    ],
  },
  {
    slug: "campaign-performance",
    name: "Campaign Performance",
    summary: "Spend, traffic, orders and ROAS per campaign, combining paid media, web sessions, CRM engagement and orders.",
    description: md(
      "### Campaign performance",
      "Last-click attribution on sessions (`utm_campaign`) and e-mail clicks within 7 days, joined to **Sales Orders** for revenue.",
      "- ROAS = attributed net revenue ÷ spend; campaigns without spend (CRM e-mails) have a null ROAS.",
      "- The multi-touch model in **Multi-Touch Attribution** will replace last-click once it is published.",
    ),
    domain: "marketing",
    ownerTeam: "marketing-analytics",
    owners: [GRACE],
    status: "published",
    tags: ["campaigns", "roas", "kpi"],
    classification: "internal",
    version: "1.6.0",
    ports: [
      trino("campaign-kpis", "marketing", "campaign_kpis", "One row per campaign, lifetime to date.", [
        pk("campaign_id", "Campaign id."),
        nn("campaign_name", "varchar", "Campaign name."),
        nn("channel", "varchar", "`paid_search`, `paid_social`, `affiliate`, `email`, `push`."),
        nn("start_date", "date", "First day with spend or sends."),
        c("end_date", "date", "Last day; null while running."),
        c("spend_eur", MONEY, "Total spend; null for owned channels."),
        nn("sessions", "bigint", "Sessions attributed to the campaign."),
        nn("orders", "bigint", "Orders attributed (last click, 7 days)."),
        nn("attributed_revenue_eur", BIG_MONEY, "Net revenue of attributed orders."),
        c("roas", "double", "Attributed revenue ÷ spend."),
        c("cost_per_order_eur", MONEY, "Spend ÷ attributed orders."),
      ]),
      api(
        "campaign-kpis-api",
        "https://marketing-api.canopy.demo/v1/campaigns/kpis",
        "Campaign KPIs as JSON for the marketing cockpit; updated hourly.",
      ),
    ],
  },
  {
    slug: "marketing-attribution",
    name: "Multi-Touch Attribution",
    summary: "Credit for each order shared across all marketing touchpoints in the 30 days before purchase — in development.",
    description: md(
      "### Multi-touch attribution (draft)",
      "Three models side by side — `linear`, `time_decay` (7-day half-life) and `data_driven` (Shapley values).",
      "- Touchpoints: sessions with UTM parameters, e-mail clicks and paid impressions where the platform shares them.",
      "- Validation against the geo-holdout test is pending; numbers are **not** for budget decisions yet.",
    ),
    domain: "marketing",
    ownerTeam: "digital-analytics",
    owners: [CHLOE, RAVI],
    status: "draft",
    tags: ["attribution", "experimental"],
    classification: "internal",
    version: "0.1.0",
    ports: [
      trino("touchpoint-credits", "marketing", "attribution_credits", "One row per order, touchpoint and model.", [
        pk("credit_id", "Surrogate key.", "bigint"),
        nn("order_id", "bigint", "Order being attributed."),
        nn("touchpoint_at", TS, "When the touchpoint happened."),
        nn("channel", "varchar", "Marketing channel of the touchpoint."),
        c("campaign_id", "varchar", "Campaign of the touchpoint, if known."),
        nn("model", "varchar", "`linear`, `time_decay` or `data_driven`."),
        nn("credit_share", "double", "Share of the order credited to this touchpoint (sums to 1 per order and model)."),
        nn("attributed_revenue_eur", MONEY, "credit_share × order net revenue."),
      ]),
    ],
  },
  {
    slug: "lead-scoring",
    name: "B2B Lead Scoring",
    summary: "Rule-based scores for inbound B2B leads — deprecated now that sales qualifies leads directly in the CRM.",
    description: md(
      "### Deprecated",
      "Sales now qualifies inbound leads in the CRM, so this score is no longer maintained. Consumers should read **Sales Pipeline** instead.",
      "- Scores stopped updating for leads created after the deprecation date.",
    ),
    domain: "marketing",
    ownerTeam: "marketing-analytics",
    owners: [RAVI],
    status: "deprecated",
    tags: ["leads", "b2b", "scoring"],
    classification: "confidential",
    version: "1.0.3",
    ports: [
      trino("lead-scores", "marketing", "lead_scores", "Latest score per lead.", [
        pk("lead_id", "CRM lead id."),
        nn("company_name", "varchar", "Company of the lead."),
        pii("contact_name", "varchar", "Name of the contact person."),
        pii("contact_email", "varchar", "Business e-mail of the contact person.", { nn: true }),
        nn("score", "integer", "Lead score 0–100."),
        nn("score_band", "varchar", "`cold`, `warm`, `hot`."),
        nn("last_scored_at", TS, "When the score was last computed."),
        nn("source", "varchar", "Lead source, e.g. `webinar`, `whitepaper`, `contact_form`."),
      ]),
    ],
  },
];

export const DEMO_PRODUCTS: readonly DemoProduct[] = [
  ...SALES_PRODUCTS,
  ...LOGISTICS_PRODUCTS,
  ...FINANCE_PRODUCTS,
  ...CUSTOMER_PRODUCTS,
  ...MARKETING_PRODUCTS,
];

// ---------------------------------------------------------------------------------------------
// Lineage: consuming product → upstream product's output port
// ---------------------------------------------------------------------------------------------

function dep(product: string, inputName: string, upstreamProduct: string, upstreamPort: string): DemoDependency {
  return { product, inputName, upstreamProduct, upstreamPort };
}

export const DEMO_DEPENDENCIES: readonly DemoDependency[] = [
  // Sales
  dep("daily-sales-kpis", "orders", "sales-orders", "orders"),
  dep("daily-sales-kpis", "order-lines", "sales-orders", "order-lines"),
  dep("daily-sales-kpis", "fx-rates", "fx-rates", "fx-daily"),
  dep("sales-forecast-v2", "orders", "sales-orders", "orders"),
  dep("sales-forecast-v2", "pipeline", "sales-pipeline", "opportunities"),
  dep("sales-forecast-v2", "campaign-kpis", "campaign-performance", "campaign-kpis"),
  dep("sales-orders-csv-export", "orders", "sales-orders", "orders"),
  // Logistics
  dep("shipments", "orders", "sales-orders", "orders"),
  dep("carrier-performance", "shipments", "shipments", "shipments"),
  dep("carrier-performance", "shipment-events", "shipments", "shipment-events"),
  dep("delivery-eta", "shipments", "shipments", "shipments"),
  dep("delivery-eta", "van-positions", "fleet-telemetry", "vehicle-positions"),
  dep("delivery-eta", "lane-scorecard", "carrier-performance", "carrier-scorecard"),
  dep("returns", "shipments", "shipments", "shipments"),
  dep("returns", "order-lines", "sales-orders", "order-lines"),
  // Finance
  dep("invoices", "orders", "sales-orders", "orders"),
  dep("invoices", "customers", "customer-master", "customers"),
  dep("revenue-recognition", "orders", "sales-orders", "orders"),
  dep("revenue-recognition", "shipments", "shipments", "shipments"),
  dep("revenue-recognition", "gl-entries", "general-ledger", "gl-entries"),
  dep("revenue-recognition", "fx-rates", "fx-rates", "fx-daily"),
  dep("accounts-receivable-ageing", "invoices", "invoices", "invoices"),
  dep("accounts-receivable-ageing", "customers", "customer-master", "customers-pseudonymised"),
  dep("cost-to-serve", "shipments", "shipments", "shipments"),
  dep("cost-to-serve", "carrier-costs", "carrier-performance", "carrier-scorecard"),
  dep("cost-to-serve", "revenue", "revenue-recognition", "recognised-revenue"),
  dep("cost-to-serve", "returns", "returns", "returns"),
  dep("management-reporting-pack", "trial-balance", "general-ledger", "trial-balance"),
  dep("management-reporting-pack", "revenue", "revenue-recognition", "recognised-revenue"),
  // Customer
  dep("customer-360", "customers", "customer-master", "customers-pseudonymised"),
  dep("customer-360", "orders", "sales-orders", "orders"),
  dep("customer-360", "returns", "returns", "returns"),
  dep("customer-360", "invoices", "invoices", "invoices"),
  dep("customer-360", "tickets", "support-tickets", "tickets"),
  dep("customer-360", "email-engagement", "campaign-engagement", "engagement-events"),
  dep("churn-risk-scores", "customer-profile", "customer-360", "customer-profile"),
  dep("customer-segments-legacy", "orders", "sales-orders", "orders"),
  // Marketing
  dep("campaign-engagement", "consents", "customer-consent", "consents"),
  dep("campaign-engagement", "customers", "customer-master", "customers-pseudonymised"),
  dep("ad-spend", "fx-rates", "fx-rates", "fx-daily"),
  dep("campaign-performance", "ad-spend", "ad-spend", "daily-spend"),
  dep("campaign-performance", "sessions", "web-analytics-sessions", "sessions"),
  dep("campaign-performance", "email-engagement", "campaign-engagement", "engagement-events"),
  dep("campaign-performance", "orders", "sales-orders", "orders"),
  dep("marketing-attribution", "sessions", "web-analytics-sessions", "sessions"),
  dep("marketing-attribution", "email-engagement", "campaign-engagement", "engagement-events"),
  dep("marketing-attribution", "ad-spend", "ad-spend", "daily-spend"),
  dep("marketing-attribution", "orders", "sales-orders", "orders"),
  dep("lead-scoring", "pipeline", "sales-pipeline", "opportunities"),
  dep("lead-scoring", "sessions", "web-analytics-sessions", "sessions"),
];

// ---------------------------------------------------------------------------------------------
// Access requests
// ---------------------------------------------------------------------------------------------

export const DEMO_ACCESS_REQUESTS: readonly DemoAccessRequest[] = [
  {
    requester: CARLOS,
    product: "customer-360",
    port: "customer-profile",
    purpose:
      "Quarterly revenue-per-customer analysis for the CFO pack: I need lifetime revenue, open invoice amounts and segment per customer to size the at-risk receivables.",
    durationDays: 90,
    status: "pending",
    createdDaysAgo: 2,
  },
  {
    requester: CARLOS,
    product: "sales-orders",
    port: "orders",
    purpose:
      "Reconcile booked orders against invoiced revenue for the monthly close; read-only queries from the finance reporting notebooks.",
    durationDays: 180,
    status: "active",
    decidedBy: TOM,
    decisionNote: "Approved — standard finance use case. Access is through the `finance_analysts` Trino role.",
    createdDaysAgo: 35,
    decidedDaysAgo: 34,
  },
  {
    requester: CARLOS,
    product: "customer-master",
    port: "customers",
    purpose: "Need customer names and addresses to enrich the overdue-receivables report.",
    purposeCategory: "reporting",
    durationDays: 90,
    status: "rejected",
    decidedBy: SOFIA,
    decisionNote:
      "Rejected: contact details aren't needed for receivables reporting and there is no DPIA reference. Please request `customers-pseudonymised` instead — AR Ageing already carries the billing name.",
    createdDaysAgo: 20,
    decidedDaysAgo: 18,
  },
  {
    requester: CARLOS,
    product: "customer-master",
    port: "customers-pseudonymised",
    purpose: "Segment overdue receivables by customer type, country and tenure for the credit-risk review.",
    purposeCategory: "reporting",
    durationDays: 90,
    status: "provisioning",
    decidedBy: SOFIA,
    decisionNote: "Approved, thanks for switching to the pseudonymised view. Grant will be provisioned by the platform shortly.",
    createdDaysAgo: 17,
    decidedDaysAgo: 1,
  },
  {
    requester: CARLOS,
    product: "shipments",
    port: "shipments",
    purpose: "One-off reconciliation of contracted shipping costs against the Q2 carrier invoices.",
    durationDays: 30,
    status: "expired",
    decidedBy: HANNAH,
    decisionNote: "Approved for the reconciliation window.",
    createdDaysAgo: 40,
    decidedDaysAgo: 39,
  },
  {
    requester: CARLOS,
    product: "sales-pipeline",
    port: "opportunities",
    purpose: "Pipeline coverage ratio for the revenue outlook in the board pack.",
    durationDays: 30,
    status: "cancelled",
    createdDaysAgo: 12,
    decidedDaysAgo: 10,
  },
  {
    requester: PRIYA,
    product: "invoices",
    port: "invoices",
    purpose:
      "Match invoiced revenue to opportunities per sales rep for the H2 commission calculation; only amounts and order ids are needed, not billing details.",
    durationDays: 90,
    status: "pending",
    createdDaysAgo: 1,
  },
  {
    requester: ELENA,
    product: "daily-sales-kpis",
    port: "daily-kpis",
    principal: { type: "group", ref: "cx-analysts" },
    purpose: "Show support contact rate per 1,000 orders on the CX dashboard, for the whole CX analytics group.",
    durationDays: 180,
    status: "pending",
    createdDaysAgo: 4,
  },
  {
    requester: NOAH,
    product: "shipments",
    port: "shipments",
    principal: { type: "product", ref: "cost-to-serve" },
    purpose: "Input for the Cost to Serve product: allocate outbound shipping cost to orders.",
    durationDays: 180,
    status: "active",
    decidedBy: LUKAS,
    decisionNote: "Approved for the product's service account.",
    createdDaysAgo: 25,
    decidedDaysAgo: 24,
  },
  {
    requester: AISHA,
    product: "customer-master",
    port: "customers",
    purpose:
      "Match card chargebacks to customer identities for the quarterly fraud review (DPIA-2026-014): names and e-mail addresses of customers with more than two chargebacks.",
    purposeCategory: "fraud-prevention",
    durationDays: 30,
    status: "pending",
    firstStepBy: JONAS,
    createdDaysAgo: 3,
  },
  {
    requester: RAVI,
    product: "customer-master",
    port: "customers",
    purpose: "Upload a hashed e-mail audience of lapsed customers to Meta for the spring win-back campaign.",
    purposeCategory: "analytics",
    durationDays: 90,
    status: "revoked",
    decidedBy: SOFIA,
    firstStepBy: JONAS,
    decisionNote:
      "Revoked after the campaign ended. Future audience exports must be built from Customer Consent (`email/personalisation` granted) rather than the full master.",
    createdDaysAgo: 38,
    decidedDaysAgo: 6,
  },
];
