import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { DEMO_PERSONAS } from "@/lib/demo/personas";
import { SignInOptions } from "./sign-in-options";

export const metadata: Metadata = { title: "Sign in" };

const ERRORS: Record<string, string> = {
  CredentialsSignin: "That demo persona is not available.",
  OAuthSignin: "The identity provider could not be reached. Try again in a moment.",
  OAuthCallback: "Sign-in with the identity provider did not complete. Try again.",
  Callback: "Sign-in did not complete. Try again.",
  AccessDenied: "You do not have access to Canopy.",
  SessionRequired: "Sign in to continue.",
};

/** Only paths inside the portal; anything else falls back to the catalogue. */
function safeCallback(raw: string | undefined): string {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return "/products";
  return raw;
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const callbackUrl = safeCallback(one(params.callbackUrl));
  if (await getCurrentUser()) redirect(callbackUrl);

  const cfg = config();
  const errorCode = one(params.error);
  const personas = cfg.demoLogin.enabled
    ? DEMO_PERSONAS.map((p) => ({ key: p.key, name: p.name, title: p.title, description: p.description }))
    : [];
  const oidc = cfg.oidc ? { name: cfg.oidc.displayName } : null;

  return (
    <main id="main" className="flex min-h-screen items-center justify-center bg-gradient-to-b from-canopy-900 to-canopy-700 p-4">
      <div className="w-full max-w-xl rounded-xl bg-white p-8 shadow-xl">
        <div className="mb-6 flex items-center gap-3">
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img src="/favicon.svg" alt="" width={40} height={40} />
          <div>
            <h1 className="text-2xl font-semibold tracking-tight">Sign in to Canopy</h1>
            <p className="text-sm text-slate-600">The front door of the data mesh.</p>
          </div>
        </div>
        {errorCode ? (
          <p role="alert" className="mb-4 rounded-md bg-rose-50 p-3 text-sm text-rose-800">
            {ERRORS[errorCode] ?? "Sign-in failed. Try again."}
          </p>
        ) : null}
        {personas.length || oidc ? (
          <SignInOptions callbackUrl={callbackUrl} personas={personas} oidc={oidc} />
        ) : (
          <p className="text-sm text-slate-700">No sign-in method is configured. Ask your platform team to configure OIDC.</p>
        )}
        {personas.length ? (
          <p className="mt-6 text-xs text-slate-500">
            Demo personas are for trying Canopy out. Production deployments sign in through the organisation&apos;s identity
            provider.
          </p>
        ) : null}
      </div>
    </main>
  );
}
