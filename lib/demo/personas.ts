// Demo personas: the four one-click identities offered on the sign-in page in demo mode.
// Plain data only — this module is imported by server components and must not pull in Prisma.
// The seed (lib/demo/seed.ts) turns these into users, domain memberships and team memberships;
// the rest of the demo mesh lives in lib/demo/mesh.ts.

export type DemoPersonaKey = "owner" | "consumer" | "steward" | "admin";

export interface DemoPersona {
  key: DemoPersonaKey;
  email: string;
  name: string;
  /** Job title shown on the persona picker. */
  title: string;
  /** What the persona can show off in the demo, one or two sentences. */
  description: string;
  globalRoles: "platform_admin"[];
  /** Domain slugs where the persona is steward. */
  stewardOf: string[];
  /** Domain slugs where the persona is a (non-steward) member. */
  memberOf: string[];
  /** Team slugs. */
  teams: string[];
}

export const DEMO_PERSONA_KEYS: readonly DemoPersonaKey[] = ["owner", "consumer", "steward", "admin"];

export const DEMO_PERSONAS: readonly DemoPersona[] = [
  {
    key: "owner",
    email: "olivia.owner@canopy.demo",
    name: "Olivia Owner",
    title: "Data product owner, Sales",
    description:
      "Owns several Sales data products, including one still in draft. Sees incoming access requests for her ports and can edit, publish and version her products.",
    globalRoles: [],
    stewardOf: [],
    memberOf: ["sales"],
    teams: ["sales-analytics"],
  },
  {
    key: "consumer",
    email: "carlos.consumer@canopy.demo",
    name: "Carlos Consumer",
    title: "Financial analyst, Finance",
    description:
      "Browses the catalogue and requests access to other teams' data. Has requests in flight, active grants and a rejected request to look at.",
    globalRoles: [],
    stewardOf: [],
    memberOf: [],
    teams: ["finance-analysts"],
  },
  {
    key: "steward",
    email: "sofia.steward@canopy.demo",
    name: "Sofia Steward",
    title: "Data steward, Customer domain",
    description:
      "Governs the Customer domain: reviews classifications and PII flags, and approves access to restricted customer data.",
    globalRoles: [],
    stewardOf: ["customer"],
    memberOf: ["customer"],
    teams: ["customer-data"],
  },
  {
    key: "admin",
    email: "arjun.admin@canopy.demo",
    name: "Arjun Admin",
    title: "Platform administrator",
    description:
      "Runs the Canopy platform: manages domains, teams and roles across the whole mesh and can act on any product or request.",
    globalRoles: ["platform_admin"],
    stewardOf: [],
    memberOf: [],
    teams: ["data-platform"],
  },
];

export function isDemoPersonaKey(value: unknown): value is DemoPersonaKey {
  return typeof value === "string" && (DEMO_PERSONA_KEYS as readonly string[]).includes(value);
}

/** The persona with this key, or undefined for anything else (safe to call with untrusted input). */
export function findPersona(key: string): DemoPersona | undefined {
  return DEMO_PERSONAS.find((p) => p.key === key);
}
