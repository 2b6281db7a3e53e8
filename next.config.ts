import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // WASM and native-driver packages must be loaded by Node at run time, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "pg", "pino", "sanitize-html", "@kubernetes/client-node", "trino-client"],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  // Security headers that do not depend on the request; the CSP (with a per-request nonce) is set in proxy.ts.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
