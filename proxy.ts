import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { authSecret } from "@/lib/auth/secret";
import { config as appConfig } from "@/lib/config";

/**
 * Runs before every route: gives the request an id, sets a nonce-based Content-Security-Policy,
 * and turns away requests without a session — pages go to sign-in (keeping where they were going),
 * API calls get 401. Pages and handlers still check the session themselves; this is the first gate.
 */

const PUBLIC_PAGES = ["/signin"];
const PUBLIC_API = ["/api/auth/", "/api/health", "/api/ready", "/api/v1/openapi.json"];

function isPublic(pathname: string) {
  return PUBLIC_PAGES.includes(pathname) || PUBLIC_API.some((p) => pathname === p || pathname.startsWith(p));
}

export function contentSecurityPolicy(nonce: string, dev: boolean) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

export async function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const incoming = req.headers.get("x-request-id");
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce, appConfig().nodeEnv === "development");

  // API clients that authenticate themselves (Trino polling its rules, API tokens) are checked by the
  // route handler; the session gate applies to everything else.
  const selfAuthenticating = pathname.startsWith("/api/") && req.headers.has("authorization");
  if (!isPublic(pathname) && !selfAuthenticating) {
    const token = await getToken({ req, secret: authSecret() });
    if (!token?.uid) {
      if (pathname.startsWith("/api/")) {
        return NextResponse.json(
          { error: "Sign in to continue", code: "unauthenticated" },
          { status: 401, headers: { "x-request-id": requestId, "WWW-Authenticate": 'Bearer realm="canopy"' } },
        );
      }
      const url = req.nextUrl.clone();
      url.pathname = "/signin";
      url.search = `?callbackUrl=${encodeURIComponent(pathname + search)}`;
      const res = NextResponse.redirect(url);
      res.headers.set("x-request-id", requestId);
      return res;
    }
  }

  const headers = new Headers(req.headers);
  headers.set("x-request-id", requestId);
  headers.set("x-nonce", nonce);
  headers.set("x-canopy-path", pathname + search);
  headers.set("Content-Security-Policy", csp);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("Content-Security-Policy", csp);
  res.headers.set("x-request-id", requestId);
  return res;
}

export const config = {
  matcher: [
    {
      source: "/((?!_next/static|_next/image|favicon.ico|favicon.svg|robots.txt).*)",
      missing: [{ type: "header", key: "next-router-prefetch" }],
    },
  ],
};
