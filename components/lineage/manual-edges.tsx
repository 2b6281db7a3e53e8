"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { fetchJson } from "@/components/ui/fetch-json";
import { Modal, ModalActions } from "@/components/ui/modal";
import type { LineageEdge, LineageGraph, LineageNode } from "@/lib/lineage/types";
import { graphUrl, nodeName } from "./graph-model";
import { RetryAlert } from "@/components/ui/retry-alert";

type Direction = "up" | "down";
type FieldErrors = { other?: string; note?: string };
type ApiError = { error?: string; fieldErrors?: Record<string, string[]> };

const NOTE_MAX = 2000;

/** How a table or a column is named, for the hint and the client-side check. */
const SHAPE = {
  table: { example: "catalog.schema.table", parts: 3, message: "Name a table as catalog.schema.table" },
  column: { example: "catalog.schema.table.column", parts: 4, message: "Name a column as catalog.schema.table.column" },
} as const;

/** Checks what can be checked without the server; names with quoted identifiers are left to it. */
function checkName(kind: "table" | "column", value: string, self: string): string | null {
  const text = value.trim();
  if (!text) return `Name the ${kind} at the other end`;
  if (!text.includes('"')) {
    const parts = text.split(".");
    if (parts.length !== SHAPE[kind].parts || parts.some((p) => !p.trim() || /\s/.test(p))) return SHAPE[kind].message;
    if (text.toLowerCase() === self) return "An edge needs two different ends";
  }
  return null;
}

const endName = (n: LineageNode | undefined) => (n ? (n.restricted ? nodeName(n) : (n.fqn ?? n.label)) : "an asset beyond this graph");

/**
 * The edges recorded by hand at a table or a column, with their notes: the people who may edit them
 * (the graph says so per node and per edge) add edges upstream or downstream and remove them. Lists
 * the node's direct neighbours whatever the depth of the graph around it.
 */
export function ManualEdges({ node, graph }: { node: LineageNode; graph: Pick<LineageGraph, "nodes"> }) {
  const ids = useId();
  const queryClient = useQueryClient();
  const kind = node.kind === "column" ? "column" : "table";
  const self = node.fqn ?? "";

  // The node's own neighbourhood, one hop each way (the key an expanded node's neighbours use).
  const local = useQuery({
    queryKey: ["lineage", "graph", `node:${node.id}`, 1, 1, kind === "column"] as const,
    queryFn: ({ signal }) => fetchJson<LineageGraph>(graphUrl({ node: node.id }, { up: 1, down: 1, columns: kind === "column" })!, { signal, fallback: "The edges could not be loaded" }),
  });
  const byId = new Map((local.data?.nodes ?? []).map((n) => [n.id, n]));
  const canAdd = (byId.get(node.id) ?? node).canEdit === true;
  const manual = (local.data?.edges ?? []).filter((e) => e.manualEdgeId && e.kind === kind && (e.from === node.id || e.to === node.id));
  const upstream = manual.filter((e) => e.to === node.id);
  const downstream = manual.filter((e) => e.from === node.id);

  const [announcement, setAnnouncement] = useState("");
  const [adding, setAdding] = useState<Direction | null>(null);
  const [other, setOther] = useState("");
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [removing, setRemoving] = useState<{ edge: LineageEdge; description: string } | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const [removeBusy, setRemoveBusy] = useState(false);
  const [focusTarget, setFocusTarget] = useState<{ id: string } | null>(null);

  const headingRef = useRef<HTMLHeadingElement>(null);
  const otherRef = useRef<HTMLInputElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);

  // Focus moves after the render that changed the panel (and after a closing dialog has handed it back).
  useEffect(() => {
    if (!focusTarget) return;
    const el = focusTarget.id === "heading" ? headingRef.current : document.getElementById(focusTarget.id);
    el?.focus();
  }, [focusTarget]);

  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: ["lineage", "graph"] }), queryClient.invalidateQueries({ queryKey: ["lineage", "impact"] })]);

  const toggleId = (d: Direction) => `${ids}-add-${d}`;
  const open = (d: Direction) => {
    setAdding(d);
    setErrors({});
    setFormError(null);
    setAnnouncement("");
    setFocusTarget({ id: `${ids}-other` });
  };
  const close = () => {
    const d = adding;
    setAdding(null);
    setOther("");
    setNote("");
    setErrors({});
    setFormError(null);
    if (d) setFocusTarget({ id: toggleId(d) });
  };

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!adding || busy) return;
    const found: FieldErrors = {};
    const nameError = checkName(kind, other, self);
    if (nameError) found.other = nameError;
    if (!note.trim()) found.note = "Say how the data flows, for whoever reads the graph next";
    else if (note.trim().length > NOTE_MAX) found.note = `Keep the note under ${NOTE_MAX} characters`;
    setErrors(found);
    setFormError(null);
    if (found.other || found.note) {
      (found.other ? otherRef : noteRef).current?.focus();
      return;
    }
    const from = adding === "up" ? other.trim() : self;
    const to = adding === "up" ? self : other.trim();
    setBusy(true);
    try {
      const res = await fetch("/api/v1/lineage/edges", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ kind, from, to, note: note.trim() }) });
      const body = (await res.json().catch(() => ({}))) as ApiError & { from?: string; to?: string };
      if (!res.ok) {
        const fe = body.fieldErrors ?? {};
        const otherKey = adding === "up" ? "from" : "to";
        const selfKey = adding === "up" ? "to" : "from";
        const next: FieldErrors = {};
        const otherMessages = [...(fe[otherKey] ?? []), ...(fe[selfKey] ?? [])];
        if (otherMessages.length) next.other = otherMessages.join(" ");
        if (fe.note?.length) next.note = fe.note.join(" ");
        setErrors(next);
        setFormError(next.other || next.note ? null : (body.error ?? `The edge could not be added (HTTP ${res.status})`));
        // The fields are enabled again in the next render: focus moves then.
        setFocusTarget({ id: next.other ? `${ids}-other` : next.note ? `${ids}-note` : `${ids}-form-error` });
        return;
      }
      await refresh();
      const d = adding;
      setAdding(null);
      setOther("");
      setNote("");
      setErrors({});
      setAnnouncement(`Edge added: ${body.from ?? from} → ${body.to ?? to}.`);
      setFocusTarget({ id: toggleId(d) });
    } catch {
      setFormError("Canopy could not be reached. Check your connection and try again.");
      setFocusTarget({ id: `${ids}-form-error` });
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    if (!removing?.edge.manualEdgeId) return;
    setRemoveBusy(true);
    setRemoveError(null);
    try {
      const res = await fetch(`/api/v1/lineage/edges/${encodeURIComponent(removing.edge.manualEdgeId)}`, { method: "DELETE" });
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as ApiError;
        setRemoveError(body.error ?? `The edge could not be removed (HTTP ${res.status})`);
        return;
      }
      await refresh();
      setAnnouncement(`Edge removed: ${removing.description}.`);
      setRemoving(null);
      setFocusTarget({ id: "heading" });
    } catch {
      setRemoveError("Canopy could not be reached. Check your connection and try again.");
    } finally {
      setRemoveBusy(false);
    }
  }

  const edgeItems = (edges: LineageEdge[], dir: Direction) =>
    edges.map((e) => {
      const otherEnd = endName(byId.get(dir === "up" ? e.from : e.to));
      const description = dir === "up" ? `${otherEnd} → ${self}` : `${self} → ${otherEnd}`;
      const others = e.sources.filter((s) => s !== "manual");
      return (
        <li key={e.id} className="rounded-md border border-slate-200 p-2">
          <p className="font-mono text-xs break-all text-slate-800">{otherEnd}</p>
          <p className="mt-1 text-xs text-slate-700">{e.label ?? <span className="italic text-slate-500">No note</span>}</p>
          {others.length ? <p className="mt-1 text-xs text-slate-500">Also recorded by {others.join(" and ")}.</p> : null}
          {e.canEdit ? (
            <button
              type="button"
              className="btn btn-secondary mt-2 !py-0.5 text-xs"
              aria-label={`Remove the edge ${description}`}
              onClick={() => {
                setRemoveError(null);
                setAnnouncement("");
                setRemoving({ edge: e, description });
              }}
            >
              Remove
            </button>
          ) : null}
        </li>
      );
    });

  const group = (dir: Direction, edges: LineageEdge[]) => (
    <div>
      <h5 id={`${ids}-${dir}-title`} className="text-xs font-semibold text-slate-600">
        {dir === "up" ? "Upstream (reads from)" : "Downstream (read by)"}
      </h5>
      {edges.length ? (
        <ul aria-labelledby={`${ids}-${dir}-title`} className="mt-1 space-y-2">
          {edgeItems(edges, dir)}
        </ul>
      ) : (
        <p className="mt-1 text-xs text-slate-500">None recorded by hand.</p>
      )}
    </div>
  );

  const otherLabel = `${adding === "up" ? "Upstream" : "Downstream"} ${kind} (${SHAPE[kind].example})`;
  const describedBy = (field: keyof FieldErrors, hint?: string) => [hint, errors[field] ? `${ids}-${field}-error` : null].filter(Boolean).join(" ") || undefined;
  const suggestions = graph.nodes.filter((n) => n.kind === kind && n.fqn && !n.restricted && n.id !== node.id).map((n) => n.fqn!);

  return (
    <section aria-labelledby={`${ids}-title`} className="space-y-2 border-t border-slate-200 pt-3">
      <h4 id={`${ids}-title`} ref={headingRef} tabIndex={-1} className="font-semibold focus:outline-none">
        Manual edges
      </h4>
      <p aria-live="polite" className="text-xs text-emerald-800">
        {announcement}
      </p>
      {local.isPending ? (
        <p className="text-xs text-slate-600" aria-busy="true">
          Loading manual edges…
        </p>
      ) : local.isError ? (
        <RetryAlert message={local.error.message} onRetry={() => void local.refetch()} className="text-xs" compact />
      ) : (
        <div className="space-y-3" aria-busy={local.isFetching}>
          {group("up", upstream)}
          {group("down", downstream)}
        </div>
      )}

      {canAdd ? (
        <div className="space-y-2">
          <div className="flex flex-wrap gap-2">
            {(["up", "down"] as const).map((d) => (
              <button
                key={d}
                id={toggleId(d)}
                type="button"
                className="btn btn-secondary !py-1"
                aria-expanded={adding === d}
                aria-controls={adding === d ? `${ids}-form` : undefined}
                onClick={() => (adding === d ? close() : open(d))}
              >
                {d === "up" ? "Add upstream edge" : "Add downstream edge"}
              </button>
            ))}
          </div>
          {adding ? (
            <form id={`${ids}-form`} aria-labelledby={`${ids}-form-title`} onSubmit={submit} noValidate className="space-y-2 rounded-md bg-slate-50 p-3" onKeyDown={(e) => e.key === "Escape" && !busy && close()}>
              <p id={`${ids}-form-title`} className="text-xs font-semibold text-slate-700">
                {adding === "up" ? `New edge: ? → ${self}` : `New edge: ${self} → ?`}
              </p>
              <div>
                <label htmlFor={`${ids}-other`} className="mb-1 block text-xs font-medium text-slate-700">
                  {otherLabel}
                </label>
                <input
                  id={`${ids}-other`}
                  ref={otherRef}
                  className="input !py-1 font-mono text-xs"
                  value={other}
                  list={suggestions.length ? `${ids}-suggestions` : undefined}
                  autoComplete="off"
                  spellCheck={false}
                  maxLength={1000}
                  required
                  disabled={busy}
                  aria-invalid={errors.other ? true : undefined}
                  aria-describedby={describedBy("other")}
                  onChange={(e) => setOther(e.target.value)}
                />
                {suggestions.length ? (
                  <datalist id={`${ids}-suggestions`}>
                    {suggestions.map((s) => (
                      <option key={s} value={s} />
                    ))}
                  </datalist>
                ) : null}
                {errors.other ? (
                  <p id={`${ids}-other-error`} className="mt-1 text-xs text-rose-800">
                    {errors.other}
                  </p>
                ) : null}
              </div>
              <div>
                <label htmlFor={`${ids}-note`} className="mb-1 block text-xs font-medium text-slate-700">
                  Note
                </label>
                <textarea
                  id={`${ids}-note`}
                  ref={noteRef}
                  className="input min-h-16 text-xs"
                  value={note}
                  maxLength={NOTE_MAX}
                  required
                  disabled={busy}
                  aria-invalid={errors.note ? true : undefined}
                  aria-describedby={describedBy("note", `${ids}-note-hint`)}
                  onChange={(e) => setNote(e.target.value)}
                />
                <p id={`${ids}-note-hint`} className="mt-1 text-xs text-slate-500">
                  What moves the data — a job, an export, a manual load — so others can trust the edge.
                </p>
                {errors.note ? (
                  <p id={`${ids}-note-error`} className="mt-1 text-xs text-rose-800">
                    {errors.note}
                  </p>
                ) : null}
              </div>
              {formError ? (
                <p id={`${ids}-form-error`} tabIndex={-1} role="alert" className="rounded-md bg-rose-50 p-2 text-xs text-rose-800">
                  {formError}
                </p>
              ) : null}
              <div className="flex gap-2">
                <button type="submit" className="btn-primary !py-1" disabled={busy}>
                  {busy ? "Adding…" : "Add edge"}
                </button>
                <button type="button" className="btn-secondary !py-1" disabled={busy} onClick={close}>
                  Cancel
                </button>
              </div>
            </form>
          ) : null}
        </div>
      ) : null}

      {removing ? (
        <Modal
          title="Remove this edge?"
          description={
            <>
              <p className="font-mono text-xs break-all">{removing.description}</p>
              {removing.edge.label ? <p className="mt-2">Note: {removing.edge.label}</p> : null}
              <p className="mt-2">The removal is recorded in the audit trail. Edges dbt or OpenMetadata recorded between the same two stay.</p>
            </>
          }
          onClose={() => setRemoving(null)}
          busy={removeBusy}
        >
          <ModalActions error={removeError} busy={removeBusy} onCancel={() => setRemoving(null)} onConfirm={() => void remove()} confirmLabel="Remove edge" busyLabel="Removing…" tone="danger" />
        </Modal>
      ) : null}
    </section>
  );
}
