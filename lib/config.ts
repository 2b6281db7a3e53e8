import path from "node:path";
import { z } from "zod";

/**
 * All configuration comes through here: read once from the environment, validated, with messages
 * that name the variable. Nothing else in the code base reads process.env.
 */

const bool = (name: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return undefined;
      const s = v.trim().toLowerCase();
      if (["1", "true", "yes", "on"].includes(s)) return true;
      if (["0", "false", "no", "off"].includes(s)) return false;
      ctx.addIssue({ code: "custom", message: `${name} must be true or false, got "${v}"` });
      return z.NEVER;
    });

const postgresUrl = (name: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return undefined;
      let url: URL;
      try {
        url = new URL(v);
      } catch {
        ctx.addIssue({ code: "custom", message: `${name} is not a valid URL` });
        return z.NEVER;
      }
      if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
        ctx.addIssue({ code: "custom", message: `${name} is not a postgres URL (expected postgres:// or postgresql://)` });
        return z.NEVER;
      }
      return v;
    });

const httpUrl = (name: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return undefined;
      try {
        const url = new URL(v);
        if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error();
        return url.toString().replace(/\/$/, "");
      } catch {
        ctx.addIssue({ code: "custom", message: `${name} must be an http(s) URL, got "${v}"` });
        return z.NEVER;
      }
    });

export const GLOBAL_ROLES = ["platform_admin"] as const;

export type RoleMapping =
  | { group: string; kind: "global"; role: (typeof GLOBAL_ROLES)[number] }
  | { group: string; kind: "domain"; role: "steward" | "member"; domain: string };

/** `group=platform_admin;group2=steward:sales;group3=member:finance` */
export function parseRoleMapping(raw: string | undefined): RoleMapping[] {
  if (!raw || raw.trim() === "") return [];
  return raw
    .split(/[;,\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const eq = entry.indexOf("=");
      if (eq <= 0) throw new Error(`OIDC_ROLE_MAPPING entry "${entry}" must look like group=role`);
      const group = entry.slice(0, eq).trim();
      const target = entry.slice(eq + 1).trim();
      if (target === "platform_admin") return { group, kind: "global", role: "platform_admin" } as const;
      const m = /^(steward|member):([a-z0-9][a-z0-9-]*)$/.exec(target);
      if (!m) {
        throw new Error(
          `OIDC_ROLE_MAPPING entry "${entry}": role must be platform_admin, steward:<domain-slug> or member:<domain-slug>`,
        );
      }
      return { group, kind: "domain", role: m[1] as "steward" | "member", domain: m[2]! };
    });
}

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: postgresUrl("DATABASE_URL"),
  CANOPY_DATA_DIR: z.string().optional(),
  CANOPY_SEED_DEMO: bool("CANOPY_SEED_DEMO"),
  CANOPY_DEMO_LOGIN: bool("CANOPY_DEMO_LOGIN"),
  NEXTAUTH_SECRET: z.string().optional(),
  NEXTAUTH_URL: httpUrl("NEXTAUTH_URL"),
  OIDC_ISSUER: httpUrl("OIDC_ISSUER"),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_SCOPE: z.string().default("openid email profile"),
  OIDC_GROUPS_CLAIM: z.string().default("groups"),
  OIDC_ROLE_MAPPING: z.string().optional(),
  OIDC_DISPLAY_NAME: z.string().default("Single sign-on"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Config = {
  nodeEnv: "development" | "production" | "test";
  /** "embedded": PGlite in the data directory; "postgres": DATABASE_URL. */
  database: { kind: "embedded"; dataDir: string; pgliteDir: string } | { kind: "postgres"; url: string };
  dataDir: string;
  seedDemo: boolean;
  demoLogin: { enabled: boolean; warning?: string };
  auth: { secret: string | undefined; url: string | undefined };
  oidc:
    | {
        issuer: string;
        clientId: string;
        clientSecret: string;
        scope: string;
        groupsClaim: string;
        roleMapping: RoleMapping[];
        displayName: string;
      }
    | undefined;
  logLevel: string;
};

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

export function parseConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => (i.path.length && !i.message.includes(String(i.path[0])) ? `${String(i.path[0])}: ${i.message}` : i.message)),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];

  const dataDir = path.resolve(cwd, e.CANOPY_DATA_DIR || ".data");
  const database: Config["database"] = e.DATABASE_URL
    ? { kind: "postgres", url: e.DATABASE_URL }
    : { kind: "embedded", dataDir, pgliteDir: path.join(dataDir, "pglite") };

  let oidc: Config["oidc"];
  const oidcVars = [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET];
  if (oidcVars.some(Boolean)) {
    if (!e.OIDC_ISSUER) problems.push("OIDC_ISSUER is required when OIDC_CLIENT_ID or OIDC_CLIENT_SECRET is set");
    if (!e.OIDC_CLIENT_ID) problems.push("OIDC_CLIENT_ID is required when OIDC_ISSUER is set");
    if (!e.OIDC_CLIENT_SECRET) problems.push("OIDC_CLIENT_SECRET is required when OIDC_ISSUER is set");
    let roleMapping: RoleMapping[] = [];
    try {
      roleMapping = parseRoleMapping(e.OIDC_ROLE_MAPPING);
    } catch (err) {
      problems.push((err as Error).message);
    }
    if (e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET) {
      oidc = {
        issuer: e.OIDC_ISSUER,
        clientId: e.OIDC_CLIENT_ID,
        clientSecret: e.OIDC_CLIENT_SECRET,
        scope: e.OIDC_SCOPE,
        groupsClaim: e.OIDC_GROUPS_CLAIM,
        roleMapping,
        displayName: e.OIDC_DISPLAY_NAME,
      };
    }
  }

  // Production mode is a deployment with its own database. Demo personas there would let anyone
  // sign in as an admin, so they are refused unless someone turns them on deliberately.
  const productionMode = database.kind === "postgres" && e.NODE_ENV === "production";
  let demoLogin: Config["demoLogin"];
  if (e.CANOPY_DEMO_LOGIN === false) demoLogin = { enabled: false };
  else if (e.CANOPY_DEMO_LOGIN === true)
    demoLogin = productionMode
      ? {
          enabled: true,
          warning:
            "CANOPY_DEMO_LOGIN=true in production mode: anyone who can reach this portal can sign in as any demo persona, including a platform admin",
        }
      : { enabled: true };
  else demoLogin = { enabled: database.kind === "embedded" };

  if (productionMode && !e.NEXTAUTH_SECRET) {
    problems.push("NEXTAUTH_SECRET is required in production mode (a long random string, e.g. `openssl rand -base64 32`)");
  }
  if (e.NEXTAUTH_SECRET !== undefined && e.NEXTAUTH_SECRET.length > 0 && e.NEXTAUTH_SECRET.length < 32) {
    problems.push("NEXTAUTH_SECRET must be at least 32 characters long");
  }
  if (!oidc && !demoLogin.enabled) {
    problems.push("No sign-in method: configure OIDC (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET) or set CANOPY_DEMO_LOGIN=true");
  }

  if (problems.length) throw new ConfigError(problems);

  return {
    nodeEnv: e.NODE_ENV,
    database,
    dataDir,
    seedDemo: e.CANOPY_SEED_DEMO ?? database.kind === "embedded",
    demoLogin,
    auth: { secret: e.NEXTAUTH_SECRET || undefined, url: e.NEXTAUTH_URL },
    oidc,
    logLevel: e.LOG_LEVEL,
  };
}

let cached: Config | undefined;

/** The process configuration; throws ConfigError (with every problem listed) on bad values. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/** Tests only: forget the cached configuration after changing the environment. */
export function resetConfigForTests() {
  cached = undefined;
}
