"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";

type Persona = { key: string; name: string; title: string; description: string };

export function SignInOptions({
  callbackUrl,
  personas,
  oidc,
}: {
  callbackUrl: string;
  personas: Persona[];
  oidc: { name: string } | null;
}) {
  const [pending, setPending] = useState<string | null>(null);
  const go = (provider: string, extra?: Record<string, string>) => {
    setPending(extra?.persona ?? provider);
    void signIn(provider, { callbackUrl, ...extra });
  };
  return (
    <div className="space-y-6">
      {oidc ? (
        <button type="button" className="btn-primary w-full py-3" disabled={pending !== null} onClick={() => go("oidc")}>
          {pending === "oidc" ? "Redirecting…" : `Sign in with ${oidc.name}`}
        </button>
      ) : null}
      {personas.length ? (
        <section aria-labelledby="demo-heading">
          <h2 id="demo-heading" className="text-sm font-semibold text-slate-700">
            Demo personas
          </h2>
          <p className="mb-3 text-xs text-slate-500">Explore the demo mesh in a role. No password needed.</p>
          <ul className="grid gap-2 sm:grid-cols-2">
            {personas.map((p) => (
              <li key={p.key}>
                <button
                  type="button"
                  disabled={pending !== null}
                  onClick={() => go("demo", { persona: p.key })}
                  aria-label={`Sign in as ${p.name}, ${p.title}`}
                  className="card flex h-full w-full flex-col items-start gap-1 p-3 text-left hover:border-canopy-600 disabled:opacity-60"
                >
                  <span className="text-sm font-semibold text-slate-900">{p.name}</span>
                  <span className="text-xs font-medium text-canopy-700">{p.title}</span>
                  <span className="text-xs text-slate-600">{pending === p.key ? "Signing in…" : p.description}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
