"use client";

import Link from "next/link";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { Modal } from "@/components/ui/modal";
import { callAction, existingRequestLink } from "@/components/access/call-action";
import { ACCESS_DURATIONS, MAX_ACCESS_DAYS, PURPOSE_MAX, PURPOSE_MIN } from "@/lib/access/schemas";
import { requestAccessAction } from "@/lib/access/actions";
import { PURPOSE_CATEGORIES } from "@/lib/products/spec";

export type RequestFormPort = {
  name: string;
  terms: { purpose: string; limitations: string; usage: string };
  twoSteps: boolean;
  piiPurposes: string[];
  hasPii: boolean;
};

export type RequestFormOptions = {
  groups: { ref: string; label: string; kind: "team" | "group" }[];
  products: { slug: string; name: string }[];
};

type Errors = Record<string, string[] | undefined>;

const DAY_MS = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export function RequestAccessDialog({
  productSlug,
  productName,
  port,
  options,
  onClose,
}: {
  productSlug: string;
  productName: string;
  port: RequestFormPort;
  options: RequestFormOptions;
  onClose: (created?: { id: string; status: string }) => void;
}) {
  const id = useId();
  const [who, setWho] = useState<"user" | "group" | "product">("user");
  const [groupRef, setGroupRef] = useState(options.groups[0]?.ref ?? "");
  const [productRef, setProductRef] = useState(options.products[0]?.slug ?? "");
  const [purpose, setPurpose] = useState("");
  const [category, setCategory] = useState("");
  const [duration, setDuration] = useState<string>("90");
  const [until, setUntil] = useState("");
  const [accept, setAccept] = useState(false);
  const [workload, setWorkload] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<{ message: string; existing?: string } | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const summary = useRef<HTMLDivElement>(null);
  const today = new Date();
  const minDay = isoDay(new Date(today.getTime() + DAY_MS));
  const maxDay = isoDay(new Date(today.getTime() + (MAX_ACCESS_DAYS - 1) * DAY_MS));
  const terms = port.terms;
  const hasTerms = Boolean(terms.purpose.trim() || terms.limitations.trim() || terms.usage.trim());

  useEffect(() => {
    if (error) summary.current?.focus();
  }, [error]);

  const fieldError = (name: string) => errors[name]?.[0];
  const describedBy = (name: string, hint?: string) => [hint, fieldError(name) ? `${id}-${name}-error` : null].filter(Boolean).join(" ") || undefined;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: Errors = {};
    if (purpose.trim().length < PURPOSE_MIN) local.purpose = [`Describe what you will use the data for in at least ${PURPOSE_MIN} characters`];
    if (duration === "date" && !until) local.until = ["Choose the last day of access"];
    if (who === "group" && !groupRef) local["principal.ref"] = ["Choose a team or group"];
    if (who === "product" && !productRef) local["principal.ref"] = ["Choose one of your data products"];
    if (!accept) local.acceptTerms = ["Accept the terms of use to request access"];
    if (Object.keys(local).length) {
      setErrors(local);
      setError({ message: "Some fields need attention" });
      return;
    }
    setPending(true);
    setErrors({});
    setError(null);
    const result = await callAction(() =>
      requestAccessAction({
        product: productSlug,
        port: port.name,
        principal: who === "user" ? { type: "user" } : who === "group" ? { type: "group", ref: groupRef } : { type: "product", ref: productRef },
        purpose,
        purposeCategory: (category || undefined) as never,
        ...(duration === "date" ? { until } : { durationDays: Number(duration) as 30 | 90 | 180 }),
        acceptTerms: accept as true,
        workload: workload.trim() || undefined,
      }),
    );
    setPending(false);
    if (result.ok) {
      onClose({ id: result.data.id, status: result.data.status });
      return;
    }
    setErrors(result.fieldErrors ?? {});
    setError({ message: result.error, existing: existingRequestLink(result) });
  }

  const errorList = Object.entries(errors).filter(([, v]) => v?.length);
  return (
    <Modal
      wide
      busy={pending}
      title={`Request access to ${productName} / ${port.name}`}
      description={
        port.twoSteps
          ? "This port needs two approvals, one after the other. You will be notified of each decision."
          : "The product's approvers decide; you will be notified of the decision."
      }
      onClose={() => onClose()}
    >
      <form onSubmit={(e) => void submit(e)} noValidate aria-busy={pending} className="space-y-4">
        {error ? (
          <div ref={summary} tabIndex={-1} role="alert" className="rounded-md bg-rose-50 p-3 text-sm text-rose-900">
            <p className="font-medium">{error.existing ? error.message.replace(/:\s*\/access\/requests\/\S+$/, ".") : error.message}</p>
            {error.existing ? (
              <p className="mt-1">
                <Link href={error.existing} className="font-medium underline">
                  Open the existing request
                </Link>
              </p>
            ) : null}
            {errorList.length && !error.existing ? (
              <ul className="mt-1 list-disc pl-5">
                {errorList.map(([k, v]) => (
                  <li key={k}>{v![0]}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}

        <fieldset>
          <legend className="mb-1 text-sm font-medium text-slate-800">Who is the access for?</legend>
          <div className="space-y-2 text-sm">
            <label className="flex items-center gap-2">
              <input type="radio" name="who" value="user" checked={who === "user"} onChange={() => setWho("user")} />
              Myself
            </label>
            <div className="flex flex-wrap items-center gap-2">
              <label className="flex items-center gap-2">
                <input type="radio" name="who" value="group" checked={who === "group"} disabled={!options.groups.length} onChange={() => setWho("group")} />
                A team or group I belong to
              </label>
              {who === "group" ? (
                <select aria-label="Team or group" className="input w-auto" value={groupRef} onChange={(e) => setGroupRef(e.target.value)} aria-describedby={describedBy("principal.ref")}>
                  {options.groups.map((g) => (
                    <option key={`${g.kind}:${g.ref}`} value={g.ref}>
                      {g.kind === "team" ? `Team ${g.label}` : `Group ${g.label}`}
                    </option>
                  ))}
                </select>
              ) : !options.groups.length ? (
                <span className="text-xs text-slate-500">(you are in no team or group)</span>
              ) : null}
            </div>
            <div className="flex flex-wrap items-center gap-2">
              <label className="flex items-center gap-2">
                <input type="radio" name="who" value="product" checked={who === "product"} disabled={!options.products.length} onChange={() => setWho("product")} />
                One of my data products
              </label>
              {who === "product" ? (
                <select aria-label="Data product" className="input w-auto" value={productRef} onChange={(e) => setProductRef(e.target.value)} aria-describedby={describedBy("principal.ref")}>
                  {options.products.map((p) => (
                    <option key={p.slug} value={p.slug}>
                      {p.name}
                    </option>
                  ))}
                </select>
              ) : !options.products.length ? (
                <span className="text-xs text-slate-500">(you own no other data product)</span>
              ) : null}
            </div>
          </div>
          <FieldError id={`${id}-principal.ref-error`} message={fieldError("principal.ref") ?? fieldError("principal")} />
        </fieldset>

        <div>
          <label htmlFor={`${id}-purpose`} className="block text-sm font-medium text-slate-800">
            Purpose <span className="text-rose-700">(required)</span>
          </label>
          <p id={`${id}-purpose-hint`} className="text-xs text-slate-500">
            What you will use the data for, so the approvers can judge it. {purpose.trim().length}/{PURPOSE_MAX} characters, at least {PURPOSE_MIN}.
          </p>
          <textarea
            id={`${id}-purpose`}
            rows={4}
            required
            maxLength={PURPOSE_MAX}
            className={`input mt-1${fieldError("purpose") ? " border-rose-600" : ""}`}
            value={purpose}
            aria-invalid={Boolean(fieldError("purpose")) || undefined}
            aria-describedby={describedBy("purpose", `${id}-purpose-hint`)}
            onChange={(e) => setPurpose(e.target.value)}
          />
          <FieldError id={`${id}-purpose-error`} message={fieldError("purpose")} />
        </div>

        <div>
          <label htmlFor={`${id}-category`} className="block text-sm font-medium text-slate-800">
            Purpose category <span className="font-normal text-slate-500">(optional)</span>
          </label>
          {port.hasPii ? (
            <p id={`${id}-category-hint`} className="text-xs text-slate-500">
              {port.piiPurposes.length
                ? `Personal data in this port is shown unmasked only for: ${port.piiPurposes.map((p) => PURPOSE_CATEGORIES[p as keyof typeof PURPOSE_CATEGORIES] ?? p).join(", ")}.`
                : "Personal data in this port stays masked whatever the purpose."}
            </p>
          ) : null}
          <select
            id={`${id}-category`}
            className="input mt-1"
            value={category}
            aria-describedby={describedBy("purposeCategory", port.hasPii ? `${id}-category-hint` : undefined)}
            onChange={(e) => setCategory(e.target.value)}
          >
            <option value="">No category</option>
            {Object.entries(PURPOSE_CATEGORIES).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
          <FieldError id={`${id}-purposeCategory-error`} message={fieldError("purposeCategory")} />
        </div>

        <fieldset>
          <legend className="mb-1 text-sm font-medium text-slate-800">For how long?</legend>
          <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
            {ACCESS_DURATIONS.map((d) => (
              <label key={d} className="flex items-center gap-2">
                <input type="radio" name="duration" value={d} checked={duration === String(d)} onChange={() => setDuration(String(d))} />
                {d} days
              </label>
            ))}
            <label className="flex items-center gap-2">
              <input type="radio" name="duration" value="date" checked={duration === "date"} onChange={() => setDuration("date")} />
              Until a date
            </label>
            {duration === "date" ? (
              <span className="flex items-center gap-2">
                <label htmlFor={`${id}-until`} className="sr-only">
                  Last day of access
                </label>
                <input
                  id={`${id}-until`}
                  type="date"
                  className="input w-auto"
                  min={minDay}
                  max={maxDay}
                  value={until}
                  aria-invalid={Boolean(fieldError("until")) || undefined}
                  aria-describedby={describedBy("until", `${id}-until-hint`)}
                  onChange={(e) => setUntil(e.target.value)}
                />
                <span id={`${id}-until-hint`} className="text-xs text-slate-500">
                  last day, at most {MAX_ACCESS_DAYS} days from today
                </span>
              </span>
            ) : null}
          </div>
          <FieldError id={`${id}-until-error`} message={fieldError("until") ?? fieldError("durationDays")} />
        </fieldset>

        <div>
          <h3 className="text-sm font-medium text-slate-800">Terms of use</h3>
          <div role="region" className="mt-1 max-h-48 overflow-y-auto rounded-md border border-slate-200 bg-slate-50 p-3 text-sm text-slate-700" tabIndex={0} aria-label="Terms of use of this port">
            {hasTerms ? (
              <dl className="space-y-2">
                {terms.purpose.trim() ? (
                  <div>
                    <dt className="font-medium">Intended purpose</dt>
                    <dd className="whitespace-pre-line">{terms.purpose}</dd>
                  </div>
                ) : null}
                {terms.limitations.trim() ? (
                  <div>
                    <dt className="font-medium">Limitations</dt>
                    <dd className="whitespace-pre-line">{terms.limitations}</dd>
                  </div>
                ) : null}
                {terms.usage.trim() ? (
                  <div>
                    <dt className="font-medium">Usage</dt>
                    <dd className="whitespace-pre-line">{terms.usage}</dd>
                  </div>
                ) : null}
              </dl>
            ) : (
              <p>This port&apos;s contract sets no terms of its own: the catalogue&apos;s general rules for using data apply.</p>
            )}
          </div>
          <label className="mt-2 flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={accept}
              aria-invalid={Boolean(fieldError("acceptTerms")) || undefined}
              aria-describedby={describedBy("acceptTerms")}
              onChange={(e) => setAccept(e.target.checked)}
            />
            I accept the terms of use
          </label>
          <FieldError id={`${id}-acceptTerms-error`} message={fieldError("acceptTerms")} />
        </div>

        <div>
          <label htmlFor={`${id}-workload`} className="block text-sm font-medium text-slate-800">
            Fybrik workload <span className="font-normal text-slate-500">(optional)</span>
          </label>
          <p id={`${id}-workload-hint`} className="text-xs text-slate-500">
            When an application in the cluster reads the data through Fybrik: its namespace/name, e.g. finance/receivables-job.
          </p>
          <input
            id={`${id}-workload`}
            className="input mt-1"
            value={workload}
            placeholder="namespace/name"
            aria-invalid={Boolean(fieldError("workload")) || undefined}
            aria-describedby={describedBy("workload", `${id}-workload-hint`)}
            onChange={(e) => setWorkload(e.target.value)}
          />
          <FieldError id={`${id}-workload-error`} message={fieldError("workload")} />
        </div>

        <div className="flex justify-end gap-2 border-t border-slate-200 pt-4">
          <button type="button" className="btn-secondary" disabled={pending} onClick={() => onClose()}>
            Cancel
          </button>
          <button type="submit" className="btn-primary" disabled={pending}>
            {pending ? "Sending…" : "Send request"}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="mt-1 text-sm text-rose-700">
      {message}
    </p>
  );
}
