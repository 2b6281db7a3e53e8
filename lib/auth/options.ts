import type { NextAuthOptions } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import CredentialsProvider from "next-auth/providers/credentials";
import { authSecret } from "@/lib/auth/secret";
import { oidcClaimsSchema, readGroupsClaim, upsertDemoUser, upsertOidcUser } from "@/lib/auth/users";
import { config } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { findPersona } from "@/lib/demo/personas";
import { logger } from "@/lib/log";

const log = logger.child({ component: "auth" });

/** Sessions last a working day; the token is refreshed while the user is active. */
const SESSION_MAX_AGE = 12 * 60 * 60;

type OidcProfile = Record<string, unknown> & { sub: string; email?: string; name?: string };

function oidcProvider(): OAuthConfig<OidcProfile> | undefined {
  const oidc = config().oidc;
  if (!oidc) return undefined;
  return {
    id: "oidc",
    name: oidc.displayName,
    type: "oauth",
    wellKnown: `${oidc.issuer}/.well-known/openid-configuration`,
    clientId: oidc.clientId,
    clientSecret: oidc.clientSecret,
    authorization: { params: { scope: oidc.scope } },
    idToken: true,
    checks: ["pkce", "state"],
    profile(profile) {
      return { id: profile.sub, name: profile.name ?? profile.email ?? profile.sub, email: profile.email ?? null };
    },
  };
}

function demoProvider() {
  return CredentialsProvider({
    id: "demo",
    name: "Demo persona",
    credentials: { persona: { label: "Persona", type: "text" } },
    async authorize(credentials) {
      // Checked again here, not only when listing providers: a crafted POST must not get through.
      if (!config().demoLogin.enabled) {
        log.warn("demo sign-in refused: demo personas are disabled");
        return null;
      }
      const persona = findPersona(String(credentials?.persona ?? ""));
      if (!persona) return null;
      const user = await upsertDemoUser(await getPrisma(), persona);
      return { id: user.id, email: persona.email, name: persona.name };
    },
  });
}

let warned = false;

export function authOptions(): NextAuthOptions {
  const cfg = config();
  if (cfg.demoLogin.warning && !warned) {
    warned = true;
    log.warn({ alert: "DEMO_LOGIN_IN_PRODUCTION" }, `!!! ${cfg.demoLogin.warning} !!!`);
  }
  const providers: NextAuthOptions["providers"] = [];
  const oidc = oidcProvider();
  if (oidc) providers.push(oidc);
  if (cfg.demoLogin.enabled) providers.push(demoProvider());

  return {
    secret: authSecret(),
    providers,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE, updateAge: 60 * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    logger: {
      error: (code, metadata) => log.error({ code, err: metadata instanceof Error ? metadata.message : undefined }, "auth error"),
      warn: (code) => log.warn({ code }, "auth warning"),
      debug: () => undefined,
    },
    callbacks: {
      async jwt({ token, user, account, profile }) {
        // First call after a sign-in: bind the token to the catalogue user id.
        if (account?.provider === "oidc" && profile) {
          const claims = profile as Record<string, unknown>;
          const parsed = oidcClaimsSchema.safeParse(claims);
          if (!parsed.success) throw new Error("The identity provider did not send a subject and an email address");
          const groups = readGroupsClaim(claims, cfg.oidc!.groupsClaim);
          const dbUser = await upsertOidcUser(await getPrisma(), { ...parsed.data, groups }, cfg.oidc!.roleMapping, (msg, extra) =>
            log.warn(extra, msg),
          );
          token.uid = dbUser.id;
          token.provider = "oidc";
          // Kept for RP-initiated logout at the provider.
          token.idToken = account.id_token;
          log.info({ userId: dbUser.id, groups }, "signed in through OIDC");
        } else if (account?.provider === "demo" && user) {
          token.uid = user.id;
          token.provider = "demo";
          log.info({ userId: user.id }, "signed in as a demo persona");
        }
        return token;
      },
      async session({ session, token }) {
        return { ...session, user: { ...session.user, id: typeof token.uid === "string" ? token.uid : undefined } };
      },
      async redirect({ url, baseUrl }) {
        // Only ever redirect within the portal.
        if (url.startsWith("/") && !url.startsWith("//")) return `${baseUrl}${url}`;
        try {
          if (new URL(url).origin === baseUrl) return url;
        } catch {
          // fall through
        }
        return baseUrl;
      },
    },
  };
}
