"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, useTransition, type ReactNode } from "react";
import type { Severity } from "@/lib/governance/types";

/** The answer of the save action (the shape of lib/http/operation's OperationResult). */
export type PolicySaveResult =
  | { ok: true; data: { href: string } }
  | { ok: false; status: number; code: string; error: string; fieldErrors?: Record<string, string[]> };

export type PolicyFormValues = {
  kind: "policy" | "refinement";
  domain: string;
  key: string;
  title: string;
  rationale: string;
  remediation: string;
  severity: Severity | "";
  appliesTo: "product" | "access";
  engine: "rules" | "opa";
  /** `{ "params": …, "rules": … }` as JSON text. */
  rulesJson: string;
  opaPath: string;
  /** A refinement's tightened parameters as JSON text. */
  paramsJson: string;
  enabled: boolean;
  reason: string;
};

export type GlobalPolicyOption = { key: string; title: string; severity: Severity; params: { name: string; label: string; value: unknown; direction: string }[] };

export type PolicyFormPayload = {
  /** The policy being changed (edit mode; empty when adding). */
  id: string;
  domain: string | null;
  key: string;
  refines: boolean;
  definition: unknown;
  enabled: boolean;
  reason: string;
};

type Props = {
  mode: "create" | "edit";
  policyId?: string;
  initial: PolicyFormValues;
  /** Scopes the user may add policies in: "" is global. */
  scopes: { value: string; label: string }[];
  globals: GlobalPolicyOption[];
  opaAvailable: boolean;
  action: (payload: PolicyFormPayload) => Promise<PolicySaveResult>;
  cancelHref: string;
};

export const EXAMPLE_RULES = JSON.stringify(
  {
    params: {},
    rules: [
      {
        assert: { matches: { path: "product.description", pattern: "refresh", ignoreCase: true } },
        message: "The description does not say how often the data is refreshed",
        path: "description",
      },
    ],
  },
  null,
  2,
);

const SEVERITY_HELP: Record<Severity, string> = {
  blocking: "blocks publishing and new versions",
  warning: "counts against compliance",
  advice: "shown as a suggestion",
};

const labelCls = "mb-1 block text-sm font-medium text-slate-800";

/** Field errors from the server, keyed by the form's own fields. */
function groupErrors(fieldErrors: Record<string, string[]>, kind: PolicyFormValues["kind"]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const push = (k: string, msgs: string[]) => (out[k] ??= []).push(...msgs);
  for (const [key, msgs] of Object.entries(fieldErrors)) {
    const m = /^definition\.(\w+)(?:\.(.*))?$/.exec(key);
    if (!m) {
      push(["domain", "key", "reason", "refines"].includes(key) ? (key === "refines" ? "kind" : key) : "_", msgs);
      continue;
    }
    const [, field, rest] = m;
    if (kind === "refinement") {
      if (field === "params") push("paramsJson", msgs.map((x) => (rest ? `${rest}: ${x}` : x)));
      else if (field === "severity" || field === "remediation") push(field, msgs);
      else push("_", msgs);
    } else if (field === "rules" || field === "params") push("rulesJson", msgs.map((x) => `${field}${rest ? `.${rest}` : ""}: ${x}`));
    else if (["title", "rationale", "remediation", "severity", "appliesTo", "engine", "opaPath"].includes(field!)) push(field!, msgs);
    else push("_", msgs);
  }
  if (fieldErrors.definition) push("_", fieldErrors.definition);
  return out;
}

/**
 * Adding or changing a policy: a new global or domain policy (rules as JSON, or an OPA decision
 * path), or a domain's tightening of a global policy (stricter severity and parameters). What was
 * typed is kept when the server refuses it; each problem is shown next to its field.
 */
export function PolicyForm({ mode, policyId, initial, scopes, globals, opaAvailable, action, cancelHref }: Props) {
  const router = useRouter();
  const ids = useId();
  const [v, setV] = useState<PolicyFormValues>(initial);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const summaryRef = useRef<HTMLDivElement>(null);
  /** Bumped on every refusal: the summary takes focus once it is rendered, so it is announced. */
  const [refusals, setRefusals] = useState(0);
  useEffect(() => {
    if (refusals) summaryRef.current?.focus();
  }, [refusals]);
  const set = <K extends keyof PolicyFormValues>(k: K, value: PolicyFormValues[K]) => setV((prev) => ({ ...prev, [k]: value }));
  const global = globals.find((g) => g.key === v.key);
  const isRefinement = v.kind === "refinement";
  const fid = (name: string) => `${ids}-${name}`;

  function fail(message: string, errs: Record<string, string[]>) {
    setErrors(errs);
    setFormError(message);
    setRefusals((n) => n + 1);
  }

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const local: Record<string, string[]> = {};
    let definition: unknown;
    const parseJson = (text: string, field: string) => {
      try {
        return JSON.parse(text || "{}") as unknown;
      } catch (err) {
        local[field] = [`This is not valid JSON: ${(err as Error).message}`];
        return undefined;
      }
    };
    if (isRefinement) {
      const params = parseJson(v.paramsJson, "paramsJson");
      definition = { ...(v.severity ? { severity: v.severity } : {}), params, ...(v.remediation.trim() ? { remediation: v.remediation } : {}) };
    } else {
      const common = { title: v.title, rationale: v.rationale, remediation: v.remediation, severity: v.severity, appliesTo: v.appliesTo, engine: v.engine };
      if (v.engine === "opa") definition = { ...common, opaPath: v.opaPath };
      else {
        const parsed = parseJson(v.rulesJson, "rulesJson");
        const obj = parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
        if (parsed !== undefined && !obj) local.rulesJson = ['Write an object: { "params": { … }, "rules": [ … ] }'];
        definition = { ...common, params: obj?.params ?? {}, rules: obj?.rules };
      }
    }
    if (Object.keys(local).length) return fail("Some fields need attention", local);
    start(async () => {
      setFormError(null);
      let r: PolicySaveResult;
      try {
        r = await action({ id: policyId ?? "", domain: v.domain || null, key: v.key.trim(), refines: isRefinement, definition, enabled: v.enabled, reason: v.reason });
      } catch {
        return fail("Canopy could not be reached. Nothing was saved; try again.", {});
      }
      if (r.ok) {
        router.push(r.data.href);
        router.refresh();
        return;
      }
      fail(r.error, groupErrors(r.fieldErrors ?? {}, v.kind));
    });
  }

  const errorOf = (name: string) =>
    errors[name]?.length ? (
      <p id={`${fid(name)}-error`} className="mt-1 text-sm text-rose-800">
        {errors[name]!.join(" ")}
      </p>
    ) : null;
  const aria = (name: string, hint?: boolean) => ({
    id: fid(name),
    "aria-invalid": errors[name]?.length ? true : undefined,
    "aria-describedby": [errors[name]?.length ? `${fid(name)}-error` : null, hint ? `${fid(name)}-hint` : null].filter(Boolean).join(" ") || undefined,
  });
  const field = (name: keyof PolicyFormValues & string, label: string, control: ReactNode, hint?: ReactNode) => (
    <div>
      <label htmlFor={fid(name)} className={labelCls}>
        {label}
      </label>
      {hint ? (
        <p id={`${fid(name)}-hint`} className="mb-1 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      {control}
      {errorOf(name)}
    </div>
  );

  const allErrors = Object.entries(errors).flatMap(([k, msgs]) => msgs.map((m) => ({ k, m })));

  return (
    <form onSubmit={submit} noValidate className="card space-y-5 p-6" aria-busy={pending}>
      {formError ? (
        <div ref={summaryRef} tabIndex={-1} role="alert" className="rounded-md border-2 border-rose-600 bg-white p-4 text-sm">
          <p className="font-semibold text-rose-800">The policy was not saved</p>
          <p className="mt-1 text-slate-700">{formError}</p>
          {allErrors.length ? (
            <ul className="mt-2 list-disc space-y-1 pl-5">
              {allErrors.map(({ k, m }, i) => (
                <li key={`${k}-${i}`}>
                  {k === "_" ? (
                    m
                  ) : (
                    <a href={`#${fid(k)}`} className="text-rose-800 underline">
                      {m}
                    </a>
                  )}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      {mode === "create" ? (
        <>
          <fieldset>
            <legend className={labelCls}>What are you adding?</legend>
            <div className="flex flex-wrap gap-4 text-sm">
              <label className="flex items-center gap-2">
                <input type="radio" name="kind" checked={!isRefinement} onChange={() => set("kind", "policy")} className="accent-canopy-700" />
                A new policy
              </label>
              <label className="flex items-center gap-2">
                <input
                  type="radio"
                  name="kind"
                  checked={isRefinement}
                  disabled={!globals.length || !scopes.some((s) => s.value)}
                  onChange={() => setV((p) => ({ ...p, kind: "refinement", key: globals[0]?.key ?? "", domain: p.domain || (scopes.find((s) => s.value)?.value ?? "") }))}
                  className="accent-canopy-700"
                />
                A domain&apos;s tightening of a global policy
              </label>
            </div>
            {errorOf("kind")}
          </fieldset>
          {field(
            "domain",
            "Scope",
            <select {...aria("domain")} className="input" value={v.domain} onChange={(e) => set("domain", e.target.value)}>
              {scopes
                .filter((s) => !isRefinement || s.value)
                .map((s) => (
                  <option key={s.value} value={s.value}>
                    {s.label}
                  </option>
                ))}
            </select>,
          )}
          {isRefinement
            ? field(
                "key",
                "Global policy to tighten",
                <select {...aria("key")} className="input" value={v.key} onChange={(e) => set("key", e.target.value)}>
                  {globals.map((g) => (
                    <option key={g.key} value={g.key}>
                      {g.title} ({g.key})
                    </option>
                  ))}
                </select>,
              )
            : field(
                "key",
                "Key",
                <input {...aria("key", true)} className="input font-mono" value={v.key} onChange={(e) => set("key", e.target.value)} autoComplete="off" />,
                "Lower-case letters, digits and -, e.g. refresh-schedule. It cannot be changed later.",
              )}
        </>
      ) : null}

      {isRefinement ? (
        <>
          {global ? (
            <p className="text-sm text-slate-700">
              Tightening “{global.title}”, which is <strong>{global.severity}</strong> for the whole mesh. A domain may only make it stricter: a higher severity
              and stricter parameters.
            </p>
          ) : null}
          {field(
            "severity",
            "Severity in this domain",
            <select {...aria("severity")} className="input" value={v.severity} onChange={(e) => set("severity", e.target.value as Severity | "")}>
              <option value="">As the global policy{global ? ` (${global.severity})` : ""}</option>
              {(["advice", "warning", "blocking"] as const).map((s) => (
                <option key={s} value={s}>
                  {s} — {SEVERITY_HELP[s]}
                </option>
              ))}
            </select>,
          )}
          {field(
            "paramsJson",
            "Stricter parameters (JSON)",
            <textarea {...aria("paramsJson", true)} rows={4} className="input font-mono text-xs" value={v.paramsJson} onChange={(e) => set("paramsJson", e.target.value)} spellCheck={false} />,
            global?.params.length ? (
              <>
                Parameters of this policy:{" "}
                {global.params.map((p, i) => (
                  <span key={p.name}>
                    {i ? "; " : ""}
                    <code>{p.name}</code> ({p.label}, now {JSON.stringify(p.value)}, {p.direction === "higher" ? "higher is stricter" : p.direction === "lower" ? "lower is stricter" : p.direction})
                  </span>
                ))}
                . Example: {`{ "${global.params[0]!.name}": ${JSON.stringify(global.params[0]!.value)} }`}
              </>
            ) : (
              "This policy has no parameters; leave {} and raise the severity instead."
            ),
          )}
          {field(
            "remediation",
            "Remediation note for this domain (optional)",
            <textarea {...aria("remediation")} rows={2} className="input" value={v.remediation} onChange={(e) => set("remediation", e.target.value)} />,
          )}
        </>
      ) : (
        <>
          {field("title", "Title", <input {...aria("title")} className="input" value={v.title} onChange={(e) => set("title", e.target.value)} />)}
          {field(
            "rationale",
            "Rationale",
            <textarea {...aria("rationale", true)} rows={2} className="input" value={v.rationale} onChange={(e) => set("rationale", e.target.value)} />,
            "Why the policy exists.",
          )}
          {field(
            "remediation",
            "Remediation",
            <textarea {...aria("remediation", true)} rows={2} className="input" value={v.remediation} onChange={(e) => set("remediation", e.target.value)} />,
            "What a product owner does to fix a failure; shown next to every failing check.",
          )}
          <div className="grid gap-4 md:grid-cols-3">
            {field(
              "severity",
              "Severity",
              <select {...aria("severity")} className="input" value={v.severity} onChange={(e) => set("severity", e.target.value as Severity)}>
                {(["blocking", "warning", "advice"] as const).map((s) => (
                  <option key={s} value={s}>
                    {s} — {SEVERITY_HELP[s]}
                  </option>
                ))}
              </select>,
            )}
            {field(
              "appliesTo",
              "Applies to",
              <select {...aria("appliesTo")} className="input" value={v.appliesTo} disabled={mode === "edit"} onChange={(e) => set("appliesTo", e.target.value as "product" | "access")}>
                <option value="product">Data products</option>
                <option value="access">Access requests</option>
              </select>,
            )}
            {field(
              "engine",
              "Evaluated by",
              <select {...aria("engine")} className="input" value={v.engine} onChange={(e) => set("engine", e.target.value as "rules" | "opa")}>
                <option value="rules">Canopy rules</option>
                <option value="opa" disabled={!opaAvailable}>
                  OPA{opaAvailable ? "" : " (not configured)"}
                </option>
              </select>,
            )}
          </div>
          {v.engine === "opa"
            ? field(
                "opaPath",
                "OPA decision path",
                <input {...aria("opaPath", true)} className="input font-mono" value={v.opaPath} onChange={(e) => set("opaPath", e.target.value)} />,
                "The document path of the decision, e.g. canopy/governance/naming; it allows (pass) or denies (fail) the product document shown on the policy page.",
              )
            : field(
                "rulesJson",
                "Rules (JSON)",
                <textarea {...aria("rulesJson", true)} rows={12} className="input font-mono text-xs" value={v.rulesJson} onChange={(e) => set("rulesJson", e.target.value)} spellCheck={false} />,
                <>
                  <code>{'{ "params": { … }, "rules": [ … ] }'}</code>. A rule is{" "}
                  <code>{'{ "forEach"?, "when"?, "assert", "message", "path"? }'}</code>; conditions use exists, minLength, maxLength, matches, equals, notEquals, in,
                  notIn, gte, lte, count, all, any, not over paths such as <code>product.description</code>, <code>product.tags</code>, <code>outputPorts</code>{" "}
                  and <code>columns</code> (see a policy&apos;s input document for every field).
                </>,
              )}
        </>
      )}

      {mode === "edit" ? (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={v.enabled} onChange={(e) => set("enabled", e.target.checked)} className="accent-canopy-700" />
          Enabled (a disabled policy is not evaluated)
        </label>
      ) : null}

      {field(
        "reason",
        "Why this change?",
        <input {...aria("reason", true)} className="input" value={v.reason} onChange={(e) => set("reason", e.target.value)} />,
        "Recorded in the policy's history and the audit trail.",
      )}

      <div className="flex flex-wrap gap-2 border-t border-slate-200 pt-4">
        <button type="submit" className="btn-primary" disabled={pending}>
          {pending ? "Saving…" : mode === "create" ? "Add policy" : "Save as a new version"}
        </button>
        <a href={cancelHref} className="btn-secondary">
          Cancel
        </a>
      </div>
    </form>
  );
}
