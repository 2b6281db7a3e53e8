/**
 * A standards-compliant OpenID Provider for the browser tests (oidc-provider 9), started by
 * playwright.config.ts before the portal:
 *
 *   OIDC_TEST_PORT=3199 OIDC_TEST_REDIRECT_URI=http://localhost:3100/api/auth/callback/oidc npx tsx test/oidc/server.ts
 *
 * Issuer http://127.0.0.1:<port>, one confidential client (canopy-e2e), the accounts of
 * ./accounts.ts, PKCE required, in-memory storage. Sign-in uses oidc-provider's built-in
 * development interactions (a login form, then a consent screen), so the tests drive a real
 * browser round trip. The login name is the account id; any password is accepted; an unknown
 * login is refused with a message on the form and a line on stderr.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import Provider, { type Account, type KoaContextWithOIDC } from "oidc-provider";
import { findTestAccount, TEST_ACCOUNTS } from "./accounts";

const CLIENT_ID = "canopy-e2e";
const CLIENT_SECRET = "canopy-e2e-secret-which-is-long-enough";
const HOST = "127.0.0.1";

function fail(message: string): never {
  console.error(`[oidc-test] ${message}`);
  process.exit(1);
}

const port = Number(process.env.OIDC_TEST_PORT ?? 3199);
if (!Number.isInteger(port) || port <= 0 || port > 65535) fail(`OIDC_TEST_PORT must be a port number, got "${process.env.OIDC_TEST_PORT}"`);
const redirectUri = process.env.OIDC_TEST_REDIRECT_URI ?? "http://localhost:3100/api/auth/callback/oidc";
let portalOrigin: string;
try {
  portalOrigin = new URL(redirectUri).origin;
} catch {
  fail(`OIDC_TEST_REDIRECT_URI must be a URL, got "${redirectUri}"`);
}
const issuer = `http://${HOST}:${port}`;

const signingKey = {
  ...generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" }),
  kid: "canopy-e2e-signing",
  use: "sig",
  alg: "RS256",
};

const known = Object.keys(TEST_ACCOUNTS).join(", ");

async function findAccount(_ctx: unknown, sub: string): Promise<Account | undefined> {
  const account = findTestAccount(sub);
  if (!account) {
    console.error(`[oidc-test] unknown account "${sub}" (known accounts: ${known})`);
    return undefined;
  }
  return {
    accountId: account.id,
    // oidc-provider keeps only the claims the granted scopes (see `claims` below) allow.
    async claims() {
      return {
        sub: account.id,
        email: account.email,
        email_verified: true,
        name: account.name,
        preferred_username: account.id,
        groups: [...account.groups],
      };
    },
  };
}

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: [`${portalOrigin}/signin`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      // What openid-client 5 (next-auth v4) uses when the client metadata names none.
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  scopes: ["openid", "email", "profile", "groups"],
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "preferred_username"],
    groups: ["groups"],
  },
  // next-auth reads the profile from the ID token (`idToken: true`): put the claims of the granted
  // scopes in it, not only at the userinfo endpoint as the spec's default for the code flow does.
  conformIdTokenClaims: false,
  // The portal sends S256 challenges; refuse any authorization request without one.
  pkce: { required: () => true },
  findAccount,
  ttl: { AuthorizationCode: 60, AccessToken: 3600, IdToken: 3600, Interaction: 3600, Session: 86_400, Grant: 86_400 },
  jwks: { keys: [signingKey] },
  // Plain http on 127.0.0.1: oidc-provider marks cookies Secure only on https requests, so they work
  // here as they are; signing keys are per process.
  cookies: { keys: [randomBytes(32).toString("base64url")] },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  renderError(ctx: KoaContextWithOIDC, out: object, error: unknown) {
    console.error(`[oidc-test] error page: ${JSON.stringify(out)}`, error instanceof Error ? error.message : "");
    ctx.type = "html";
    ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Identity provider error</title></head><body><h1>Identity provider error</h1>${Object.entries(
      out,
    )
      .map(([k, v]) => `<p><strong>${escapeHtml(k)}</strong>: ${escapeHtml(String(v))}</p>`)
      .join("")}</body></html>`;
  },
});

function escapeHtml(s: string) {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 56 * 1024) throw new Error("request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const UNKNOWN_LOGIN = "unknown_login";

// The development login form takes any login name; only the accounts above exist here. An unknown
// one goes back to the form with a message instead of silently looping through the login prompt.
provider.use(async (ctx, next) => {
  const interaction = /^\/interaction\/([^/]+)$/.exec(ctx.path);
  if (interaction && ctx.method === "POST" && ctx.is("application/x-www-form-urlencoded")) {
    const raw = await readBody(ctx.req);
    const form = new URLSearchParams(raw);
    if (form.get("prompt") === "login") {
      const login = form.get("login") ?? "";
      if (!findTestAccount(login)) {
        console.error(`[oidc-test] refused sign-in with unknown login "${login}" (known accounts: ${known})`);
        ctx.status = 303;
        ctx.redirect(`/interaction/${interaction[1]}?error=${UNKNOWN_LOGIN}`);
        return;
      }
    }
    // The stream is consumed: oidc-provider reads an already parsed body from here.
    (ctx.request as unknown as { body: string }).body = raw;
  }
  await next();
  if (typeof ctx.body === "string" && ctx.body.startsWith("<!DOCTYPE html>")) {
    // The built-in pages import a web font; these tests run offline.
    let html = ctx.body.replace(/@import url\(https:\/\/fonts\.googleapis\.com[^)]*\);/g, "");
    if (interaction && ctx.method === "GET" && ctx.query.error === UNKNOWN_LOGIN) {
      html = html.replace(
        "<form",
        `<p role="alert" style="color:#b00020">Unknown login. Use one of the test accounts: ${escapeHtml(known)}.</p><form`,
      );
    }
    ctx.body = html;
  }
});

provider.on("server_error", (_ctx, err) => console.error("[oidc-test] server error:", err));
provider.on("grant.error", (_ctx, err) => console.error("[oidc-test] token endpoint error:", err instanceof Error ? err.message : err));
provider.on("authorization.error", (_ctx, err) => console.error("[oidc-test] authorization error:", err instanceof Error ? err.message : err));

const server = createServer(provider.callback());
server.on("error", (err) => fail(`cannot listen on ${HOST}:${port}: ${err.message}`));
server.listen(port, HOST, () => {
  console.log(`[oidc-test] OpenID Provider ${issuer} listening (client ${CLIENT_ID}, redirect ${redirectUri}, accounts ${known})`);
});

let closing = false;
function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  console.log(`[oidc-test] ${signal}: shutting down`);
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2_000).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
