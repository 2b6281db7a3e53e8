"use client";

import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { createApiToken } from "@/lib/tokens/actions";
import { createTokenInput, TOKEN_NAME_MAX } from "@/lib/tokens/schemas";
import { TOKEN_DEFAULT_DAYS, TOKEN_KINDS, TOKEN_MAX_DAYS, TOKEN_MIN_DAYS, TOKEN_SCOPE_NAMES, TOKEN_SCOPES, type TokenKind, type TokenScope } from "@/lib/tokens/scopes";
import { formatDay } from "./format";

type Created = { name: string; secret: string; expiresAt: string };

const DAY_MS = 86_400_000;

/** zod issues keyed by field, the way the server reports them. */
function fieldErrorsOf(error: { issues: { path: PropertyKey[]; message: string }[] }): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) (out[issue.path.map(String).join(".") || "_"] ??= []).push(issue.message);
  return out;
}

/** Create a token; its secret is shown here once, with a copy button, and never again. */
export function CreateTokenForm({ now }: { now: string }) {
  const [name, setName] = useState("");
  const [kind, setKind] = useState<TokenKind>("personal");
  const [scopes, setScopes] = useState<TokenScope[]>(["catalog:read"]);
  const [days, setDays] = useState(String(TOKEN_DEFAULT_DAYS));
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  const ids = useId();

  const dayCount = Number(days);
  const expiryHint =
    Number.isInteger(dayCount) && dayCount >= TOKEN_MIN_DAYS && dayCount <= TOKEN_MAX_DAYS
      ? `Expires on ${formatDay(new Date(new Date(now).getTime() + dayCount * DAY_MS).toISOString())}.`
      : `Between ${TOKEN_MIN_DAYS} and ${TOKEN_MAX_DAYS} days.`;

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setFormError(null);
    const input = { name, kind, scopes, expiresInDays: days };
    const parsed = createTokenInput.safeParse(input);
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error));
      return;
    }
    setErrors({});
    setPending(true);
    try {
      const result = await createApiToken(parsed.data);
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        setFormError(result.error);
        return;
      }
      setCreated({ name: result.data.token.name, secret: result.data.secret, expiresAt: result.data.token.expiresAt });
      setName("");
    } catch {
      setFormError("Could not reach Canopy. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  const fieldError = (key: string) =>
    errors[key]?.length ? (
      <p id={`${ids}-${key}-error`} className="mt-1 text-sm text-rose-700">
        {errors[key]!.join(" ")}
      </p>
    ) : null;
  const describedBy = (key: string, hint?: string) => [hint, errors[key]?.length ? `${ids}-${key}-error` : null].filter(Boolean).join(" ") || undefined;
  const scopeErrors = Object.entries(errors).filter(([k]) => k === "scopes" || k.startsWith("scopes.")).flatMap(([, v]) => v);

  return (
    <>
      {created ? <NewTokenPanel created={created} onDone={() => setCreated(null)} /> : null}
      <section aria-labelledby={`${ids}-title`} className="card p-4">
        <h2 id={`${ids}-title`} className="mb-3 text-lg font-semibold">
          Create a token
        </h2>
        <form onSubmit={submit} noValidate className="grid gap-4">
          <div className="max-w-md">
            <label htmlFor={`${ids}-name`} className="mb-1 block text-sm font-medium">
              Name
            </label>
            <input
              id={`${ids}-name`}
              className="input"
              value={name}
              maxLength={TOKEN_NAME_MAX}
              autoComplete="off"
              onChange={(e) => setName(e.target.value)}
              aria-invalid={errors.name ? true : undefined}
              aria-describedby={describedBy("name", `${ids}-name-hint`)}
            />
            <p id={`${ids}-name-hint`} className="mt-1 text-xs text-slate-500">
              What uses it, for example “ci-pipeline” or “laptop scripts”. Shown in the audit trail.
            </p>
            {fieldError("name")}
          </div>

          <fieldset>
            <legend className="mb-1 text-sm font-medium">Kind</legend>
            <div className="grid gap-2 sm:grid-cols-2">
              {(Object.keys(TOKEN_KINDS) as TokenKind[]).map((k) => (
                <label key={k} className="flex gap-2 rounded-md border border-slate-200 p-3 text-sm has-[:checked]:border-canopy-600 has-[:checked]:bg-canopy-50">
                  <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} className="mt-1" />
                  <span>
                    <span className="font-medium">{TOKEN_KINDS[k].label}</span>
                    <span className="block text-slate-600">{TOKEN_KINDS[k].description}</span>
                  </span>
                </label>
              ))}
            </div>
            {fieldError("kind")}
          </fieldset>

          <fieldset aria-describedby={scopeErrors.length ? `${ids}-scopes-error` : undefined}>
            <legend className="mb-1 text-sm font-medium">Scopes</legend>
            <p className="mb-2 text-xs text-slate-500">
              A token can do only what its scopes cover, and never more than you can do yourself.
            </p>
            <div className="grid gap-2 md:grid-cols-2">
              {TOKEN_SCOPE_NAMES.map((s) => (
                <label key={s} className="flex gap-2 rounded-md border border-slate-200 p-3 text-sm has-[:checked]:border-canopy-600 has-[:checked]:bg-canopy-50">
                  <input
                    type="checkbox"
                    name="scopes"
                    value={s}
                    checked={scopes.includes(s)}
                    onChange={(e) => setScopes((xs) => (e.target.checked ? [...xs, s] : xs.filter((x) => x !== s)))}
                    className="mt-1"
                  />
                  <span>
                    <span className="font-medium">{TOKEN_SCOPES[s].label}</span> <code className="text-xs text-slate-500">{s}</code>
                    <span className="block text-slate-600">{TOKEN_SCOPES[s].description}</span>
                  </span>
                </label>
              ))}
            </div>
            {scopeErrors.length ? (
              <p id={`${ids}-scopes-error`} className="mt-1 text-sm text-rose-700">
                {[...new Set(scopeErrors)].join(" ")}
              </p>
            ) : null}
          </fieldset>

          <div className="max-w-xs">
            <label htmlFor={`${ids}-days`} className="mb-1 block text-sm font-medium">
              Expires in (days)
            </label>
            <input
              id={`${ids}-days`}
              className="input"
              type="number"
              inputMode="numeric"
              min={TOKEN_MIN_DAYS}
              max={TOKEN_MAX_DAYS}
              value={days}
              onChange={(e) => setDays(e.target.value)}
              aria-invalid={errors.expiresInDays ? true : undefined}
              aria-describedby={describedBy("expiresInDays", `${ids}-days-hint`)}
            />
            <p id={`${ids}-days-hint`} className="mt-1 text-xs text-slate-500">
              {expiryHint} Tokens always expire; create a new one before then.
            </p>
            {fieldError("expiresInDays")}
          </div>

          {formError ? (
            <p role="alert" className="rounded-md bg-rose-50 p-3 text-sm text-rose-800">
              {formError}
            </p>
          ) : null}
          <div>
            <button type="submit" className="btn-primary" disabled={pending}>
              {pending ? "Creating…" : "Create token"}
            </button>
          </div>
        </form>
      </section>
    </>
  );
}

function NewTokenPanel({ created, onDone }: { created: Created; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const field = useRef<HTMLInputElement>(null);
  const [copyStatus, setCopyStatus] = useState("");
  const ids = useId();

  useEffect(() => {
    heading.current?.focus();
  }, [created]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(created.secret);
      setCopyStatus("Copied to the clipboard.");
    } catch {
      field.current?.select();
      setCopyStatus("Could not copy automatically: the token is selected, press Ctrl+C (⌘C on a Mac).");
    }
  }

  return (
    <section aria-labelledby={`${ids}-title`} className="card border-amber-300 bg-amber-50 p-4">
      <h2 id={`${ids}-title`} ref={heading} tabIndex={-1} className="mb-1 text-lg font-semibold">
        Copy your new token “{created.name}” now
      </h2>
      <p className="mb-3 text-sm text-amber-900">
        This is the only time Canopy shows it: only a fingerprint of it is stored. Keep it in a secret store (for CI, a masked
        variable such as <code>CANOPY_TOKEN</code>). It expires on {formatDay(created.expiresAt)}.
      </p>
      <label htmlFor={`${ids}-secret`} className="mb-1 block text-sm font-medium">
        Your new token
      </label>
      <div className="flex flex-wrap gap-2">
        <input
          id={`${ids}-secret`}
          ref={field}
          readOnly
          value={created.secret}
          className="input max-w-xl font-mono"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" className="btn-secondary" onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" className="btn-secondary" onClick={onDone}>
          Done
        </button>
      </div>
      <p role="status" aria-live="polite" className="mt-2 min-h-5 text-sm text-slate-700">
        {copyStatus}
      </p>
    </section>
  );
}
