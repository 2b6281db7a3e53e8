import type { RulesDefinition } from "@/lib/governance/rules";

/**
 * The global policies every Canopy mesh starts with. Seeded once into an empty policies table (at
 * start-up and by the demo seed); from then on they are data that platform admins change, version
 * and disable like any other policy, and stewards tighten for their domains. Severities are chosen
 * so that the catalogue's built-in publishing checks (lib/products/checks.ts) and these agree on
 * what blocks: blocking only where publishing would put data or consumers at risk.
 */
export type DefaultPolicy = { key: string; definition: RulesDefinition };

export const DEFAULT_POLICIES: DefaultPolicy[] = [
  {
    key: "owner-and-description",
    definition: {
      title: "Every product has an owner and a real description",
      rationale:
        "Consumers need someone to ask and enough context to judge the data without asking: what it is, where it comes from, how often it is refreshed.",
      remediation:
        "Name at least one owner (a person or the owning team) and write a description of at least {{minDescriptionLength}} characters covering content, source and refresh cadence.",
      severity: "warning",
      appliesTo: "product",
      engine: "rules",
      params: {
        minDescriptionLength: { type: "number", direction: "higher", value: 50, label: "Minimum description length" },
      },
      rules: [
        { assert: { gte: { path: "product.ownerCount", value: 1 } }, message: "The product has no owner", path: "owners" },
        {
          assert: { minLength: { path: "product.description", value: { param: "minDescriptionLength" } } },
          message: "The description is shorter than {{minDescriptionLength}} characters",
          path: "description",
        },
      ],
    },
  },
  {
    key: "pii-protected",
    definition: {
      title: "Personal data is classified and never public",
      rationale: "PII must be masked for readers without a PII purpose, which only happens for confidential or restricted data, and a public port has no access control at all.",
      remediation: "Classify every PII column as confidential or restricted, and classify its port internal or stricter.",
      severity: "blocking",
      appliesTo: "product",
      engine: "rules",
      params: {
        piiClassifications: { type: "list", direction: "subset", value: ["confidential", "restricted"], label: "Classifications allowed for PII columns" },
      },
      rules: [
        {
          forEach: "columns",
          when: { equals: { path: "pii", value: true } },
          assert: { in: { path: "classification", values: { param: "piiClassifications" } } },
          message: "Column {port}.{name} is PII but classified {classification}",
          path: "classification",
        },
        {
          forEach: "outputPorts",
          when: { equals: { path: "hasPii", value: true } },
          assert: { notEquals: { path: "classification", value: "public" } },
          message: "Port {name} holds PII but is public",
          path: "classification",
        },
      ],
    },
  },
  {
    key: "port-contract-quality-sla",
    definition: {
      title: "Every published port has a contract with quality checks and a freshness SLA",
      rationale: "A contract tells consumers what they can rely on: at least one quality check that runs, and how old the data may be.",
      remediation:
        "In the port's contract, add at least {{minQualityRules}} quality check(s) (e.g. no nulls in the key, a minimum row count) and a freshness or latency SLA.",
      severity: "warning",
      appliesTo: "product",
      engine: "rules",
      params: {
        minQualityRules: { type: "number", direction: "higher", value: 1, label: "Minimum quality checks per port" },
      },
      rules: [
        {
          forEach: "outputPorts",
          assert: { count: { path: "contract.quality", min: { param: "minQualityRules" } } },
          message: "Port {name} has fewer than {{minQualityRules}} quality check(s)",
          path: "contract.quality",
        },
        {
          forEach: "outputPorts",
          when: { notEquals: { path: "type", value: "api" } },
          assert: { count: { path: "contract.sla", where: { in: { path: "property", values: ["freshness", "latency"] } }, min: 1 } },
          message: "Port {name} promises no freshness",
          path: "contract.sla",
        },
      ],
    },
  },
  {
    key: "naming-convention",
    definition: {
      title: "Names follow the domain's naming convention",
      rationale: "Predictable names make products and columns findable and joinable across domains, and keep SQL free of quoting.",
      remediation:
        "Use a kebab-case slug starting with \"{{slugPrefix}}\" (lower-case letters, digits, single hyphens) and snake_case column names (lower-case letters, digits and _, starting with a letter).",
      severity: "warning",
      appliesTo: "product",
      engine: "rules",
      params: {
        slugPrefix: { type: "string", direction: "prefix", value: "", label: "Slug prefix" },
      },
      rules: [
        {
          assert: {
            all: [{ matches: { path: "product.slug", pattern: "^{{slugPrefix}}[a-z0-9][a-z0-9-]*$" } }, { not: { matches: { path: "product.slug", pattern: "--|-$" } } }],
          },
          message: "The slug {product.slug} is not kebab-case starting with \"{{slugPrefix}}\"",
          path: "slug",
        },
        {
          forEach: "columns",
          assert: { matches: { path: "name", pattern: "^[a-z][a-z0-9_]*$" } },
          message: "Column {port}.{name} is not snake_case",
          path: "name",
        },
      ],
    },
  },
  {
    key: "breaking-change-major",
    definition: {
      title: "No breaking change without a major version",
      rationale: "Consumers pin major versions; a breaking change in a minor or patch release breaks their pipelines without warning.",
      remediation: "Publish the change as the next major version, or make it non-breaking (add instead of remove, widen instead of narrow).",
      severity: "blocking",
      appliesTo: "product",
      engine: "rules",
      params: {},
      rules: [
        {
          when: { gte: { path: "change.breakingCount", value: 1 } },
          assert: { equals: { path: "change.versionBump", value: "major" } },
          message: "{change.breakingCount} breaking change(s) since {change.previousVersion}, but the version is not a new major",
          path: "version",
        },
      ],
    },
  },
  {
    key: "access-restricted-duration",
    definition: {
      title: "Access to restricted data lasts at most 180 days",
      rationale: "Long-lived access to restricted data outlives the need for it; a periodic re-request keeps grants reviewed.",
      remediation: "Ask for at most {{maxAccessDays}} days; request an extension later if the need remains.",
      severity: "blocking",
      appliesTo: "access",
      engine: "rules",
      params: {
        maxAccessDays: { type: "number", direction: "lower", value: 180, label: "Maximum access duration (days)" },
      },
      rules: [
        {
          when: { equals: { path: "port.classification", value: "restricted" } },
          assert: { lte: { path: "request.durationDays", value: { param: "maxAccessDays" } } },
          message: "Access to restricted port {port.name} for {request.durationDays} days exceeds {{maxAccessDays}} days",
          path: "durationDays",
        },
      ],
    },
  },
  {
    key: "access-restricted-purpose",
    definition: {
      title: "A purpose category is required for restricted data",
      rationale: "Approvers and auditors need to know why restricted data is used, in terms that can be compared and reported.",
      remediation: "Choose the purpose category that fits the use (analytics, reporting, data science, …).",
      // A warning globally (requests made before categories existed, and API clients, still go through);
      // a domain makes it blocking by tightening it, as the customer domain's stewards would.
      severity: "warning",
      appliesTo: "access",
      engine: "rules",
      params: {},
      rules: [
        {
          when: { equals: { path: "port.classification", value: "restricted" } },
          assert: { exists: "request.purposeCategory" },
          message: "Access to restricted port {port.name} needs a purpose category",
          path: "purposeCategory",
        },
      ],
    },
  },
];
