/** Word lists for the synthetic mesh. Ordered, fixed: the generator's output depends on them. */

export const DOMAINS = [
  ["sales", "Sales"],
  ["marketing", "Marketing"],
  ["finance", "Finance"],
  ["logistics", "Logistics"],
  ["supply-chain", "Supply Chain"],
  ["customer-service", "Customer Service"],
  ["human-resources", "Human Resources"],
  ["risk", "Risk & Compliance"],
  ["manufacturing", "Manufacturing"],
  ["ecommerce", "E-commerce"],
  ["payments", "Payments"],
  ["product-analytics", "Product Analytics"],
  ["procurement", "Procurement"],
  ["fleet", "Fleet Operations"],
  ["energy", "Energy Trading"],
  ["insurance", "Insurance Claims"],
] as const;

/** What a product is about (the subject of its name). */
export const SUBJECTS = [
  "customer", "order", "invoice", "shipment", "payment", "subscription", "account", "supplier", "warehouse",
  "inventory", "product", "campaign", "lead", "opportunity", "contract", "claim", "policy", "employee",
  "payroll", "vendor", "store", "basket", "checkout", "refund", "return", "delivery", "route", "vehicle",
  "driver", "parcel", "carrier", "ticket", "incident", "call", "survey", "review", "session", "pageview",
  "click", "impression", "advert", "coupon", "voucher", "loyalty", "member", "household", "merchant",
  "transaction", "ledger", "budget", "forecast", "expense", "asset", "meter", "tariff", "trade", "position",
  "portfolio", "exposure", "counterparty", "loan", "mortgage", "deposit", "card", "fraud", "chargeback",
  "device", "sensor", "machine", "batch", "recipe", "quality", "defect", "plant", "shift", "candidate",
  "applicant", "vacancy", "training", "benefit", "pension", "property", "tenant", "lease", "booking",
  "reservation", "flight", "passenger", "itinerary", "hotel", "partner", "reseller", "channel", "region",
  "territory", "quota", "commission", "pricing", "discount", "promotion", "catalog", "listing", "seller",
  "buyer", "auction", "bid", "content", "article", "video", "stream", "playlist", "episode", "subscriber",
  "patient", "prescription", "appointment", "clinic", "procurement", "requisition", "purchase", "receipt",
  "emission", "energy", "consumption", "outage", "grid",
] as const;

/** What the product measures or holds (the second part of its name). */
export const METRICS = [
  "churn", "revenue", "margin", "volume", "events", "snapshots", "history", "scores", "segments", "metrics",
  "forecasts", "profiles", "attribution", "funnel", "cohorts", "retention", "lifetime value", "backlog",
  "latency", "throughput", "utilisation", "costs", "balances", "exposures", "limits", "alerts", "anomalies",
  "features", "embeddings", "recommendations", "rankings", "audits", "reconciliation", "settlements",
  "aging", "fulfilment", "returns", "sentiment", "engagement", "conversion", "adoption", "coverage",
  "compliance", "incidents", "performance", "capacity", "demand", "supply", "stock levels", "lead times",
  "propensity", "risk ratings", "master data", "reference data", "daily aggregates", "dimensions",
] as const;

export const QUALIFIERS = [
  "daily", "weekly", "monthly", "quarterly", "realtime", "historical", "consolidated", "curated", "global",
  "regional", "enterprise", "certified", "raw", "enriched", "harmonised", "unified", "predicted", "verified",
  "active", "open", "closed", "pending", "strategic", "operational", "executive", "wholesale", "retail",
  "online", "instore", "omnichannel", "b2b", "consumer",
] as const;

export const VARIANTS = ["", "EMEA", "APAC", "Americas", "Nordics", "DACH", "Benelux", "Iberia"] as const;

export const TAGS = [
  "pii", "gdpr", "sox", "hipaa", "pci", "kpi", "gold", "silver", "bronze", "realtime", "batch", "streaming",
  "ml-features", "reporting", "finance", "marketing", "sales", "operations", "customer-360", "reference",
  "master-data", "sensitive", "public-data", "experimental", "certified", "deprecated-soon", "core",
  "self-service", "regulatory", "forecasting", "attribution", "pricing", "supply", "quality", "iot",
  "geospatial", "timeseries", "snapshot", "incremental", "daily", "hourly", "weekly", "monthly", "emea",
  "apac", "americas", "executive", "dashboards", "data-science", "ab-testing", "retention", "growth",
  "risk", "fraud", "compliance", "audit", "cost", "energy", "esg", "hr",
] as const;

/** Column name parts: `<entity>_<attribute>` or just `<attribute>`. */
export const COLUMN_ENTITIES = [
  "customer", "order", "invoice", "shipment", "payment", "account", "product", "store", "supplier", "employee",
  "campaign", "session", "device", "contract", "vehicle", "route", "warehouse", "item", "line", "event",
  "user", "merchant", "card", "policy", "claim", "ticket", "parcel", "region", "channel", "promotion",
] as const;

export const COLUMN_ATTRIBUTES: readonly (readonly [string, string, string])[] = [
  // name, SQL type, logical type
  ["id", "varchar", "string"],
  ["key", "bigint", "integer"],
  ["email", "varchar", "string"],
  ["name", "varchar", "string"],
  ["first_name", "varchar", "string"],
  ["last_name", "varchar", "string"],
  ["phone", "varchar", "string"],
  ["address", "varchar", "string"],
  ["postcode", "varchar", "string"],
  ["city", "varchar", "string"],
  ["country_code", "varchar", "string"],
  ["status", "varchar", "string"],
  ["type", "varchar", "string"],
  ["category", "varchar", "string"],
  ["created_at", "timestamp", "timestamp"],
  ["updated_at", "timestamp", "timestamp"],
  ["deleted_at", "timestamp", "timestamp"],
  ["date", "date", "date"],
  ["amount", "decimal(18,2)", "decimal"],
  ["amount_eur", "decimal(18,2)", "decimal"],
  ["currency", "varchar", "string"],
  ["quantity", "integer", "integer"],
  ["price", "decimal(18,4)", "decimal"],
  ["discount_pct", "double", "number"],
  ["tax_amount", "decimal(18,2)", "decimal"],
  ["score", "double", "number"],
  ["rank", "integer", "integer"],
  ["segment", "varchar", "string"],
  ["channel", "varchar", "string"],
  ["source_system", "varchar", "string"],
  ["is_active", "boolean", "boolean"],
  ["is_deleted", "boolean", "boolean"],
  ["birth_date", "date", "date"],
  ["iban", "varchar", "string"],
  ["ip_address", "varchar", "string"],
  ["latitude", "double", "number"],
  ["longitude", "double", "number"],
  ["duration_seconds", "integer", "integer"],
  ["count", "bigint", "integer"],
  ["ratio", "double", "number"],
  ["description", "varchar", "string"],
  ["notes", "varchar", "string"],
  ["version", "integer", "integer"],
  ["valid_from", "timestamp", "timestamp"],
  ["valid_to", "timestamp", "timestamp"],
  ["hash", "varchar", "string"],
  ["external_ref", "varchar", "string"],
  ["lifetime_value", "decimal(18,2)", "decimal"],
  ["churn_probability", "double", "number"],
  ["nps", "integer", "integer"],
] as const;

/** Attributes that hold personal data (the generator marks such columns pii). */
export const PII_ATTRIBUTES = new Set([
  "email", "name", "first_name", "last_name", "phone", "address", "postcode", "birth_date", "iban", "ip_address",
]);

/**
 * Rare, domain-specific column names. Each is given to exactly one product (the judged set's
 * "unique column" queries look them up), so a search for it has one right answer.
 */
export const RARE_COLUMNS = [
  "hazmat_class_code", "incoterm_code", "swift_bic", "gtin_barcode", "isin_code", "lei_identifier",
  "vin_number", "imo_vessel_number", "hs_tariff_code", "naics_industry_code", "icd10_diagnosis",
  "ndc_drug_code", "iata_airport_code", "cusip_identifier", "duns_number", "ean13_barcode",
  "mcc_merchant_category", "sepa_mandate_ref", "carbon_scope3_tonnes", "kwh_peak_demand",
  "tyre_tread_depth_mm", "pallet_sscc_label", "aml_watchlist_hit", "kyc_refresh_due",
  "solvency_ratio_pct", "basel_rwa_amount", "sla_breach_minutes", "mttr_hours", "oee_percentage",
  "scrap_rate_ppm", "cas_chemical_number", "fsc_certificate_id", "halal_certified_flag",
  "allergen_matrix_code", "ppap_submission_level", "fmea_rpn_score", "torque_spec_nm",
  "voltage_harmonic_thd", "bol_reference", "customs_mrn_number", "vat_reverse_charge_flag",
  "ifrs17_cohort_code", "ebitda_adjustment_eur", "dso_days_outstanding", "cac_payback_months",
  "arpu_monthly_eur", "mrr_expansion_eur", "nrr_percentage", "dau_mau_ratio", "ltv_cac_ratio",
] as const;

export const FIRST_NAMES = [
  "Ada", "Ben", "Chloe", "Dario", "Eva", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kira", "Luca", "Mara",
  "Nils", "Olga", "Pavel", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wim", "Xenia", "Yusuf", "Zoe",
] as const;

export const LAST_NAMES = [
  "Andersen", "Bauer", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Hansen", "Ivanova", "Jensen",
  "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Quist", "Rossi", "Schmidt", "Tanaka",
  "Urban", "Virtanen", "Weber", "Xu", "Yilmaz", "Zimmermann",
] as const;

export const TEAM_WORDS = [
  "Insights", "Platform", "Analytics", "Data", "Engineering", "Intelligence", "Operations", "Science",
  "Reporting", "Foundations",
] as const;

/** Sentence templates for descriptions; {s} subject, {m} metric, {q} qualifier, {d} domain, {o} other subject. */
export const SENTENCES = [
  "Provides {q} {m} for every {s}, refreshed from the operational systems of {d}.",
  "Use it to answer questions about {s} {m} without joining raw tables yourself.",
  "Each record describes one {s} and links to the related {o} where one exists.",
  "The data is deduplicated, late-arriving events are merged, and history is kept for two years.",
  "Built and owned by the {d} team; questions go to the support channel listed on the ports.",
  "Figures reconcile with the {o} ledger at month end; small differences come from currency conversion.",
  "Personal data is pseudonymised unless the consumer has an approved purpose.",
  "Suitable for dashboards, ad-hoc analysis and as features for {m} models.",
  "Replaces the legacy {s} extract that was shared as spreadsheets.",
  "Freshness target is one hour for streaming ports and one day for the table ports.",
  "Known limitation: {o} records created before the migration lack a region.",
  "Downstream consumers include finance reporting and the {o} analytics products.",
  "Schema changes follow semantic versioning and are announced two weeks ahead.",
  "Quality checks cover completeness, uniqueness of keys and valid reference codes.",
] as const;
