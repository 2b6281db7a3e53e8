import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, parseRoleMapping } from "@/lib/config";

const SECRET = "x".repeat(40);
const oidc = { OIDC_ISSUER: "https://sso.example.com/realms/mesh", OIDC_CLIENT_ID: "canopy", OIDC_CLIENT_SECRET: "s3cret" };

function problems(env: Record<string, string | undefined>): string[] {
  try {
    parseConfig(env, "/srv/canopy");
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe("configuration", () => {
  it("runs on the embedded default with nothing set", () => {
    const cfg = parseConfig({}, "/srv/canopy");
    expect(cfg.database).toEqual({ kind: "embedded", dataDir: "/srv/canopy/.data", pgliteDir: path.join("/srv/canopy/.data", "pglite") });
    expect(cfg.seedDemo).toBe(true);
    expect(cfg.demoLogin).toEqual({ enabled: true });
    expect(cfg.oidc).toBeUndefined();
  });

  it("takes the data directory from CANOPY_DATA_DIR", () => {
    const cfg = parseConfig({ CANOPY_DATA_DIR: "/var/lib/canopy" }, "/srv/canopy");
    expect(cfg.database).toMatchObject({ kind: "embedded", pgliteDir: "/var/lib/canopy/pglite" });
  });

  it("uses PostgreSQL when DATABASE_URL is set, without seeding", () => {
    const cfg = parseConfig({ DATABASE_URL: "postgresql://canopy@db:5432/canopy", CANOPY_DEMO_LOGIN: "true" });
    expect(cfg.database).toEqual({ kind: "postgres", url: "postgresql://canopy@db:5432/canopy" });
    expect(cfg.seedDemo).toBe(false);
  });

  it("names the variable when DATABASE_URL is not a postgres URL", () => {
    expect(problems({ DATABASE_URL: "mysql://db/canopy" })).toEqual([
      "DATABASE_URL is not a postgres URL (expected postgres:// or postgresql://)",
    ]);
    expect(problems({ DATABASE_URL: "not a url" })).toEqual(["DATABASE_URL is not a valid URL"]);
  });

  it("rejects booleans it cannot read", () => {
    expect(problems({ CANOPY_DEMO_LOGIN: "maybe" })).toEqual(['CANOPY_DEMO_LOGIN must be true or false, got "maybe"']);
  });

  it("rejects an unknown log level", () => {
    expect(problems({ LOG_LEVEL: "loud" })[0]).toMatch(/^LOG_LEVEL: /);
  });

  describe("demo personas", () => {
    const production = { NODE_ENV: "production", DATABASE_URL: "postgres://db/canopy", NEXTAUTH_SECRET: SECRET, ...oidc };

    it("are refused in production mode unless enabled", () => {
      expect(parseConfig(production).demoLogin).toEqual({ enabled: false });
    });

    it("can be enabled in production mode, with a loud warning", () => {
      const cfg = parseConfig({ ...production, CANOPY_DEMO_LOGIN: "true" });
      expect(cfg.demoLogin.enabled).toBe(true);
      expect(cfg.demoLogin.warning).toMatch(/anyone .* can sign in as any demo persona/);
    });

    it("can be switched off in the embedded default when OIDC is configured", () => {
      expect(parseConfig({ CANOPY_DEMO_LOGIN: "false", ...oidc }).demoLogin).toEqual({ enabled: false });
    });

    it("must leave some way to sign in", () => {
      expect(problems({ CANOPY_DEMO_LOGIN: "false" })).toEqual([
        "No sign-in method: configure OIDC (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET) or set CANOPY_DEMO_LOGIN=true",
      ]);
    });
  });

  it("requires a session secret in production mode", () => {
    expect(problems({ NODE_ENV: "production", DATABASE_URL: "postgres://db/canopy", ...oidc })).toEqual([
      "NEXTAUTH_SECRET is required in production mode (a long random string, e.g. `openssl rand -base64 32`)",
    ]);
    expect(problems({ NEXTAUTH_SECRET: "short" })).toEqual(["NEXTAUTH_SECRET must be at least 32 characters long"]);
  });

  it("lists every missing OIDC variable at once", () => {
    expect(problems({ OIDC_ISSUER: "https://sso.example.com" })).toEqual([
      "OIDC_CLIENT_ID is required when OIDC_ISSUER is set",
      "OIDC_CLIENT_SECRET is required when OIDC_ISSUER is set",
    ]);
    expect(problems({ OIDC_ISSUER: "ftp://sso" , OIDC_CLIENT_ID: "a", OIDC_CLIENT_SECRET: "b" })[0]).toMatch(/OIDC_ISSUER must be an http\(s\) URL/);
  });

  it("reads the OIDC settings and role mapping", () => {
    const cfg = parseConfig({ ...oidc, OIDC_ROLE_MAPPING: "mesh-admins=platform_admin; sales-stewards=steward:sales", OIDC_GROUPS_CLAIM: "roles" });
    expect(cfg.oidc).toMatchObject({
      issuer: "https://sso.example.com/realms/mesh",
      groupsClaim: "roles",
      roleMapping: [
        { group: "mesh-admins", kind: "global", role: "platform_admin" },
        { group: "sales-stewards", kind: "domain", role: "steward", domain: "sales" },
      ],
    });
  });
});

describe("OIDC_ROLE_MAPPING", () => {
  it("accepts global and per-domain roles", () => {
    expect(parseRoleMapping("a=platform_admin,b=member:finance")).toEqual([
      { group: "a", kind: "global", role: "platform_admin" },
      { group: "b", kind: "domain", role: "member", domain: "finance" },
    ]);
    expect(parseRoleMapping(undefined)).toEqual([]);
  });

  it("explains a role it does not know", () => {
    expect(() => parseRoleMapping("a=owner")).toThrow(/role must be platform_admin, steward:<domain-slug> or member:<domain-slug>/);
    expect(() => parseRoleMapping("justagroup")).toThrow(/must look like group=role/);
  });
});
