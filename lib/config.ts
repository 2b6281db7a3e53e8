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
  CANOPY_WORKER: z.enum(["in-process", "off"], { error: "CANOPY_WORKER must be in-process or off" }).default("in-process"),
  TRINO_URL: httpUrl("TRINO_URL"),
  TRINO_SERVICE_USER: z.string().default("canopy"),
  TRINO_PASSWORD: z.string().optional(),
  TRINO_SOURCE: z.string().default("canopy"),
  TRINO_USER_MAPPING: z.enum(["email", "localpart"], { error: "TRINO_USER_MAPPING must be email or localpart" }).default("email"),
  TRINO_RULES_TOKEN: z.string().optional(),
  KUBERNETES_MODE: z
    .enum(["embedded", "kubeconfig", "in-cluster"], { error: "KUBERNETES_MODE must be embedded, kubeconfig or in-cluster" })
    .default("embedded"),
  KUBECONFIG: z.string().optional(),
  KUBERNETES_NAMESPACE_PREFIX: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*)?$/, "KUBERNETES_NAMESPACE_PREFIX must be lower-case letters, digits and dashes")
    .default("dp-"),
  KUBERNETES_OBC_STORAGE_CLASS: z.string().default("rook-ceph-bucket"),
  FYBRIK_ENABLED: bool("FYBRIK_ENABLED"),
  OPENMETADATA_URL: httpUrl("OPENMETADATA_URL"),
  OPENMETADATA_TOKEN: z.string().optional(),
  OPA_URL: httpUrl("OPA_URL"),
  CANOPY_WEBHOOK_URL: httpUrl("CANOPY_WEBHOOK_URL"),
  CANOPY_WEBHOOK_SECRET: z.string().optional(),
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
  worker: "in-process" | "off";
  integrations: {
    trino:
      | { mode: "embedded" }
      | { mode: "connected"; url: string; serviceUser: string; password?: string; source: string };
    /** How a Canopy user becomes a Trino user name. */
    trinoUserMapping: "email" | "localpart";
    /** Bearer token Trino presents when it polls the access-rules endpoint; unset = endpoint off. */
    trinoRulesToken?: string;
    kubernetes:
      | { mode: "embedded"; namespacePrefix: string; obcStorageClass: string }
      | { mode: "kubeconfig" | "in-cluster"; kubeconfigPath?: string; namespacePrefix: string; obcStorageClass: string };
    fybrik: boolean;
    openmetadata: { mode: "embedded" } | { mode: "connected"; url: string; token: string };
    opa: { mode: "disabled" } | { mode: "connected"; url: string };
  };
  /** Outgoing webhook for notification events (CloudEvents JSON, signed with the secret); unset = off. */
  webhook: { url: string; secret: string } | undefined;
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

  if (e.OPENMETADATA_URL && !e.OPENMETADATA_TOKEN) problems.push("OPENMETADATA_TOKEN (a bot's JWT) is required when OPENMETADATA_URL is set");
  if (e.TRINO_RULES_TOKEN !== undefined && e.TRINO_RULES_TOKEN.length > 0 && e.TRINO_RULES_TOKEN.length < 24) {
    problems.push("TRINO_RULES_TOKEN must be at least 24 characters long");
  }
  if (e.FYBRIK_ENABLED && e.KUBERNETES_MODE === "embedded") {
    problems.push("FYBRIK_ENABLED needs a cluster: set KUBERNETES_MODE to kubeconfig or in-cluster");
  }

  const webhookUrl = e.CANOPY_WEBHOOK_URL;
  const webhookSecret = e.CANOPY_WEBHOOK_SECRET || undefined;
  if (webhookUrl) {
    if (!webhookSecret) problems.push("CANOPY_WEBHOOK_SECRET is required when CANOPY_WEBHOOK_URL is set (receivers verify each event's signature with it)");
    if (productionMode && !webhookUrl.startsWith("https:")) problems.push("CANOPY_WEBHOOK_URL must be an https URL in production mode");
  } else if (webhookSecret) {
    problems.push("CANOPY_WEBHOOK_URL is required when CANOPY_WEBHOOK_SECRET is set");
  }
  if (webhookSecret && webhookSecret.length < 32) problems.push("CANOPY_WEBHOOK_SECRET must be at least 32 characters long");

  if (problems.length) throw new ConfigError(problems);

  const k8s = { namespacePrefix: e.KUBERNETES_NAMESPACE_PREFIX, obcStorageClass: e.KUBERNETES_OBC_STORAGE_CLASS };

  return {
    nodeEnv: e.NODE_ENV,
    database,
    dataDir,
    seedDemo: e.CANOPY_SEED_DEMO ?? database.kind === "embedded",
    demoLogin,
    auth: { secret: e.NEXTAUTH_SECRET || undefined, url: e.NEXTAUTH_URL },
    oidc,
    logLevel: e.LOG_LEVEL,
    worker: e.CANOPY_WORKER,
    integrations: {
      trino: e.TRINO_URL
        ? { mode: "connected", url: e.TRINO_URL, serviceUser: e.TRINO_SERVICE_USER, password: e.TRINO_PASSWORD || undefined, source: e.TRINO_SOURCE }
        : { mode: "embedded" },
      trinoUserMapping: e.TRINO_USER_MAPPING,
      trinoRulesToken: e.TRINO_RULES_TOKEN || undefined,
      kubernetes:
        e.KUBERNETES_MODE === "embedded"
          ? { mode: "embedded", ...k8s }
          : { mode: e.KUBERNETES_MODE, kubeconfigPath: e.KUBECONFIG || undefined, ...k8s },
      fybrik: e.FYBRIK_ENABLED ?? false,
      openmetadata:
        e.OPENMETADATA_URL && e.OPENMETADATA_TOKEN
          ? { mode: "connected", url: e.OPENMETADATA_URL, token: e.OPENMETADATA_TOKEN }
          : { mode: "embedded" },
      opa: e.OPA_URL ? { mode: "connected", url: e.OPA_URL } : { mode: "disabled" },
    },
    webhook: webhookUrl && webhookSecret ? { url: webhookUrl, secret: webhookSecret } : undefined,
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
