"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { StatusBadge } from "@/components/ui/badge";
import { describedBy, FieldErrorText, ListErrors } from "@/components/wizard/fields";
import { fieldId, newKey } from "@/components/wizard/form-state";
import type { StepProps } from "@/components/wizard/types";
import { searchUpstreamPorts } from "@/lib/drafts/actions";

export const upstreamKeys = { search: (q: string) => ["wizard", "upstream", q] as const };

/** Picks the upstream products' output ports this product reads: its lineage. */
export function StepInputs({ form, update, errors }: StepProps) {
  const id = useId();
  const [text, setText] = useState("");
  const [q, setQ] = useState("");
  const [announce, setAnnounce] = useState("");
  useEffect(() => {
    const t = setTimeout(() => setQ(text.trim()), 300);
    return () => clearTimeout(t);
  }, [text]);
  const results = useQuery({
    queryKey: upstreamKeys.search(q),
    queryFn: async () => {
      const r = await searchUpstreamPorts({ q });
      if (!r.ok) throw new Error(r.error);
      return r.data;
    },
    staleTime: 30_000,
    retry: false,
  });
  const chosen = new Set(form.inputs.map((i) => `${i.product}/${i.port}`));

  const add = (product: { slug: string; name: string }, port: string) => {
    update((f) => ({ ...f, inputs: [...f.inputs, { key: newKey("i"), product: product.slug, productName: product.name, port, name: "" }] }));
    setAnnounce(`${product.name} / ${port} added as an input.`);
  };
  const remove = (j: number) => {
    const i = form.inputs[j];
    update((f) => ({ ...f, inputs: f.inputs.filter((_x, k) => k !== j) }));
    if (i) setAnnounce(`${i.productName || i.product} / ${i.port} removed.`);
  };

  return (
    <div className="space-y-5">
      <p className="text-sm text-slate-600">
        Which data products does this one read? Pick their output ports: this is the product&apos;s lineage, shown on both products&apos; pages. A source-aligned
        product reads none — then skip this step.
      </p>
      <span role="status" className="sr-only">
        {announce}
      </span>

      <section aria-labelledby={`${id}-chosen`} id={`${fieldId("inputs")}-section`} tabIndex={-1}>
        <h3 id={`${id}-chosen`} className="mb-2 text-base font-semibold">
          Inputs of this product ({form.inputs.length})
        </h3>
        <ListErrors name="inputs" errors={errors} />
        {form.inputs.length ? (
          <ul className="space-y-2">
            {form.inputs.map((input, j) => {
              const k = `inputs.${j}.name`;
              return (
                <li key={input.key} className="card flex flex-wrap items-end gap-3 p-3" id={fieldId(`inputs.${j}`)} tabIndex={-1}>
                  <div className="min-w-48 flex-1">
                    <div className="font-medium">{input.productName || input.product}</div>
                    <div className="font-mono text-xs text-slate-500">
                      {input.product} / {input.port}
                    </div>
                    <FieldErrorText name={`inputs.${j}`} errors={errors} />
                    <FieldErrorText name={`inputs.${j}.product`} errors={errors} />
                    <FieldErrorText name={`inputs.${j}.port`} errors={errors} />
                  </div>
                  <div>
                    <label htmlFor={fieldId(k)} className="block text-xs font-medium text-slate-700">
                      Input name (optional)
                    </label>
                    <input
                      id={fieldId(k)}
                      className={`input mt-1 font-mono${errors[k]?.length ? " border-rose-600 ring-1 ring-rose-600" : ""}`}
                      placeholder={input.product}
                      value={input.name}
                      aria-invalid={Boolean(errors[k]?.length) || undefined}
                      aria-describedby={describedBy(k, errors)}
                      onChange={(e) => update((f) => ({ ...f, inputs: f.inputs.map((x, n) => (n === j ? { ...x, name: e.target.value } : x)) }))}
                    />
                    <FieldErrorText name={k} errors={errors} />
                  </div>
                  <button type="button" className="btn-secondary" aria-label={`Remove input ${input.productName || input.product} / ${input.port}`} onClick={() => remove(j)}>
                    Remove
                  </button>
                </li>
              );
            })}
          </ul>
        ) : (
          <p className="text-sm text-slate-500">No inputs: this product reads no other data product.</p>
        )}
      </section>

      <section aria-labelledby={`${id}-find`}>
        <h3 id={`${id}-find`} className="mb-2 text-base font-semibold">
          Find upstream products
        </h3>
        <label htmlFor={`${id}-q`} className="block text-sm font-medium">
          Search the catalogue
        </label>
        <input id={`${id}-q`} type="search" className="input mt-1 max-w-md" placeholder="Name, slug or tag" value={text} onChange={(e) => setText(e.target.value)} />
        <div className="mt-3" aria-live="polite" aria-busy={results.isFetching}>
          {results.isPending ? (
            <p role="status" className="text-sm text-slate-500">
              Searching…
            </p>
          ) : results.error ? (
            <div role="alert" className="rounded-md bg-amber-50 p-2 text-sm text-amber-900">
              The search failed: {results.error.message}{" "}
              <button type="button" className="underline" onClick={() => void results.refetch()}>
                Try again
              </button>
            </div>
          ) : results.data.length === 0 ? (
            <p className="text-sm text-slate-500">No published products match “{q}”.</p>
          ) : (
            <ul className="space-y-2" aria-label="Search results">
              {results.data.map((p) => (
                <li key={p.slug} className="card p-3">
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="font-medium">{p.name}</span>
                    <StatusBadge status={p.status} />
                    <span className="text-xs text-slate-500">{p.domain.name}</span>
                  </div>
                  {p.summary ? <p className="text-sm text-slate-600">{p.summary}</p> : null}
                  {p.ports.length ? (
                    <ul className="mt-2 flex flex-wrap gap-2">
                      {p.ports.map((port) => {
                        const taken = chosen.has(`${p.slug}/${port.name}`);
                        return (
                          <li key={port.name}>
                            <button
                              type="button"
                              className="btn-secondary px-2 py-1 font-mono text-xs"
                              disabled={taken}
                              aria-label={taken ? `${p.name} / ${port.name} is an input` : `Add ${p.name} / ${port.name} as an input`}
                              onClick={() => add(p, port.name)}
                            >
                              {taken ? "✓ " : "+ "}
                              {port.name}
                            </button>
                          </li>
                        );
                      })}
                    </ul>
                  ) : (
                    <p className="mt-1 text-xs text-slate-500">No output ports.</p>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
      </section>
    </div>
  );
}
