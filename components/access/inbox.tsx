"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { DecisionDialog, isExtension, type DecisionOutcome } from "@/components/access/decision-dialog";
import { age, classificationSummary, dateTime, day, durationLabel, STATUS_LABEL, STATUS_TONE } from "@/components/access/format";
import { InboxFilters } from "@/components/access/inbox-filters";
import { InboxTabs, panelId, TAB_LABEL, tabId } from "@/components/access/inbox-tabs";
import { accessKeys, filterQuery } from "@/components/access/keys";
import { ShortcutList, ShortcutsHelp } from "@/components/access/shortcuts-help";
import { useShortcuts } from "@/components/access/use-shortcuts";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { fetchJson } from "@/components/ui/fetch-json";
import { useWaitingCount } from "@/components/shell/use-waiting-count";
import { useHydrated } from "@/components/wizard/use-hydrated";
import type { AccessRequestItem } from "@/lib/access/queries";
import { inboxFilterInput, type Decision, type InboxFilter, type InboxTab } from "@/lib/access/schemas";

type Props = {
  /** The filters the server rendered `items` for. */
  initial: { filter: InboxFilter; items: AccessRequestItem[] };
  products: { slug: string; name: string }[];
  domains: { slug: string; name: string }[];
};

const EMPTY: Record<InboxTab, { title: string; body: string }> = {
  waiting: { title: "Nothing waiting on you", body: "Requests for ports you approve, of products you own or govern, appear here." },
  mine: { title: "You have not requested access yet", body: "Find a product in the catalogue and request access from its page." },
  decided: { title: "No decided requests", body: "Requests you or your co-approvers decided appear here." },
};

function parseFilter(params: URLSearchParams): InboxFilter {
  const parsed = inboxFilterInput.safeParse(Object.fromEntries(params));
  return parsed.success ? parsed.data : { tab: "waiting" };
}

const sameFilter = (a: InboxFilter, b: InboxFilter) => filterQuery(a) === filterQuery(b);

/**
 * The approvals inbox: tabs, filters in the URL, a table that refreshes itself every 15 seconds and
 * when the window regains focus, single and bulk decisions, keyboard shortcuts.
 */
export function AccessInbox({ initial, products, domains }: Props) {
  const params = useSearchParams();
  const filter = useMemo(() => parseFilter(new URLSearchParams(params.toString())), [params]);
  const tab = filter.tab;
  const qc = useQueryClient();
  const query = useQuery({
    queryKey: accessKeys.inbox(filter),
    queryFn: ({ signal }) =>
      fetchJson<{ items: AccessRequestItem[] }>(`/api/v1/access/requests?${filterQuery(filter)}`, { signal, fallback: "Could not load the requests" }).then((r) => r.items),
    initialData: sameFilter(filter, initial.filter) ? initial.items : undefined,
    refetchInterval: 15_000,
    refetchOnWindowFocus: true,
  });
  const items = useMemo(() => query.data ?? [], [query.data]);

  const [selected, setSelected] = useState<Set<string>>(new Set());
  // The request the shortcuts act on; none (-1) until the user moves to one.
  const [cursor, setCursor] = useState(-1);
  const [dialog, setDialog] = useState<{ decision: Decision; items: AccessRequestItem[] } | null>(null);
  const [help, setHelp] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const rowLinks = useRef<Map<string, HTMLAnchorElement | null>>(new Map());
  // After a decision the focus goes to the request that took the decided one's place.
  const refocus = useRef(false);
  // Ages are counted from when the list was loaded, so they change only with the data.
  const now = query.dataUpdatedAt;

  // The unfiltered "waiting" list is the same count the navigation shows: keep them in step.
  useEffect(() => {
    if (tab === "waiting" && query.data && query.data.length < 200 && !filter.product && !filter.domain && !filter.requester && !filter.minAgeDays)
      qc.setQueryData(accessKeys.waitingCount, { waiting: query.data.length });
  }, [qc, tab, query.data, filter]);

  const decidable = (r: AccessRequestItem) => tab === "waiting" && (r.actions.approve || r.actions.reject || r.actions.decideExtension);
  const selectable = (r: AccessRequestItem) => tab === "waiting" && !isExtension(r) && r.actions.approve && r.actions.reject;
  // Selections of requests that left the list (decided elsewhere) drop out.
  const selectedItems = items.filter((r) => selected.has(r.id) && selectable(r));
  const selectableItems = items.filter(selectable);
  const current = cursor < 0 ? undefined : items[Math.min(cursor, items.length - 1)];

  useEffect(() => {
    if (!refocus.current) return;
    refocus.current = false;
    if (current) rowLinks.current.get(current.id)?.focus();
  }, [current]);
  const waitingCount = useWaitingCount();
  // Shortcuts and the help button work once the page runs in the browser.
  const hydrated = useHydrated();

  function selectTab(t: InboxTab) {
    if (t === tab) return;
    const next = new URLSearchParams(params.toString());
    next.set("tab", t);
    // An explicit sort belongs to the tab it was chosen on.
    next.delete("sort");
    window.history.pushState(null, "", `/access?${next.toString()}`);
    setSelected(new Set());
    setCursor(-1);
    setRowErrors({});
  }

  function focusRow(i: number) {
    const r = items[i];
    if (!r) return;
    setCursor(i);
    rowLinks.current.get(r.id)?.focus();
  }

  function toggle(id: string) {
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  function open(decision: Decision, only?: AccessRequestItem) {
    const targets = only ? [only] : selectedItems.length ? selectedItems : current && decidable(current) ? [current] : [];
    if (!targets.length) {
      setAnnouncement(tab === "waiting" ? "Choose a request first: move with j and k." : "Decisions are made on the Waiting on me tab.");
      return;
    }
    const allowed = targets.filter((r) => (decision === "approve" ? r.actions.approve || r.actions.decideExtension : r.actions.reject || r.actions.decideExtension));
    if (!allowed.length) {
      setAnnouncement(`You may not ${decision} ${targets.length === 1 ? "this request" : "these requests"}.`);
      return;
    }
    setDialog({ decision, items: allowed });
  }

  function closeDialog(outcome?: DecisionOutcome) {
    setDialog(null);
    if (!outcome) return;
    const done = outcome.decided.length;
    const verb = outcome.decision === "approve" ? "Approved" : "Rejected";
    const decidedIds = new Set(outcome.decided.map((r) => r.id));
    if (done) {
      refocus.current = true;
      // Take the decided rows out at once; the refetch below confirms.
      qc.setQueryData<AccessRequestItem[]>(accessKeys.inbox(filter), (old) => old?.filter((r) => !decidedIds.has(r.id)));
      const first = outcome.decided[0]!;
      setAnnouncement(
        done === 1
          ? `${verb} ${first.requester.name}'s request for ${first.product.name} / ${first.port}.`
          : `${verb} ${done} requests.${outcome.failed.length ? ` ${outcome.failed.length} could not be decided: see the rows marked below.` : ""}`,
      );
    } else if (outcome.failed.length) {
      setAnnouncement(`Nothing was ${outcome.decision === "approve" ? "approved" : "rejected"}.`);
    }
    setSelected((s) => new Set([...s].filter((id) => !decidedIds.has(id))));
    setRowErrors(Object.fromEntries(outcome.failed.map((f) => [f.item.id, f.error])));
    void qc.invalidateQueries({ queryKey: accessKeys.all });
    void qc.invalidateQueries({ queryKey: ["notifications"] });
  }

  useShortcuts({
    j: () => focusRow(Math.min(items.length - 1, current ? items.indexOf(current) + 1 : 0)),
    k: () => focusRow(Math.max(0, current ? items.indexOf(current) - 1 : 0)),
    x: () => {
      if (current && selectable(current)) toggle(current.id);
    },
    a: () => open("approve"),
    r: () => open("reject"),
    "?": () => setHelp(true),
  });

  const allSelected = selectableItems.length > 0 && selectableItems.every((r) => selected.has(r.id));
  const someSelected = selectedItems.length > 0 && !allSelected;

  return (
    <>
      <InboxTabs tab={tab} counts={{ waiting: waitingCount }} onSelect={selectTab} />
      <div id={panelId} role="tabpanel" aria-labelledby={tabId(tab)} tabIndex={-1}>
        <InboxFilters filter={filter} products={products} domains={domains} />

        <div className="mb-2 flex min-h-9 flex-wrap items-center justify-between gap-2">
          <p role="status" aria-live="polite" className="text-sm text-slate-700">
            {announcement}
          </p>
          <p className="text-xs text-slate-500" aria-live="off">
            {query.isFetching ? "Refreshing…" : query.dataUpdatedAt ? `Updated ${new Date(query.dataUpdatedAt).toLocaleTimeString("en-GB", { timeStyle: "short" })}` : null}
            {hydrated ? (
              <>
                {" · "}
                <button type="button" className="underline" onClick={() => setHelp(true)}>
                  Keyboard shortcuts (?)
                </button>
              </>
            ) : null}
          </p>
        </div>

        {tab === "waiting" && selectableItems.length ? (
          <div role="toolbar" aria-label="Bulk decisions" className="card mb-2 flex flex-wrap items-center gap-3 px-4 py-2 text-sm">
            <span aria-live="polite">
              {selectedItems.length ? `${selectedItems.length} selected` : "None selected"}
            </span>
            <button type="button" className="btn-primary px-2 py-1" disabled={!selectedItems.length} onClick={() => open("approve")}>
              Approve selected
            </button>
            <button type="button" className="btn bg-rose-700 px-2 py-1 text-white hover:bg-rose-800" disabled={!selectedItems.length} onClick={() => open("reject")}>
              Reject selected
            </button>
            {selectedItems.length ? (
              <button type="button" className="text-slate-600 underline" onClick={() => setSelected(new Set())}>
                Clear selection
              </button>
            ) : null}
          </div>
        ) : null}

        {query.error ? (
          <div role="alert" className="mb-2 rounded-md bg-rose-50 p-3 text-sm text-rose-900">
            {query.data ? "Could not refresh the list; it shows what was loaded before. " : "Could not load the requests. "}
            {query.error.message}{" "}
            <button type="button" className="font-medium underline" onClick={() => void query.refetch()}>
              Try again
            </button>
          </div>
        ) : null}

        {query.isPending ? (
          <div role="status" aria-live="polite" className="card space-y-2 p-4" aria-busy="true">
            <span className="sr-only">Loading {TAB_LABEL[tab]}…</span>
            {Array.from({ length: 4 }, (_, i) => (
              <div key={i} className="h-12 animate-pulse rounded bg-slate-200/70" />
            ))}
          </div>
        ) : !items.length && !query.error ? (
          <EmptyState title={EMPTY[tab].title}>
            {filter.product || filter.domain || filter.requester || filter.minAgeDays ? "No request matches these filters." : EMPTY[tab].body}
          </EmptyState>
        ) : items.length ? (
          <div className="card overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">
                {TAB_LABEL[tab]}: {items.length} request{items.length === 1 ? "" : "s"}
              </caption>
              <thead>
                <tr className="border-b border-slate-200 text-xs text-slate-500 uppercase">
                  {tab === "waiting" ? (
                    <th scope="col" className="w-8 px-3 py-2">
                      <input
                        type="checkbox"
                        aria-label="Select all requests"
                        checked={allSelected}
                        disabled={!selectableItems.length}
                        ref={(el) => {
                          if (el) el.indeterminate = someSelected;
                        }}
                        onChange={() => setSelected(allSelected ? new Set() : new Set(selectableItems.map((r) => r.id)))}
                      />
                    </th>
                  ) : null}
                  <th scope="col" className="px-3 py-2">Request</th>
                  {tab !== "mine" ? <th scope="col" className="px-3 py-2">Requester</th> : null}
                  <th scope="col" className="px-3 py-2">Purpose</th>
                  <th scope="col" className="px-3 py-2">Duration</th>
                  <th scope="col" className="px-3 py-2">Columns</th>
                  {tab !== "mine" ? <th scope="col" className="px-3 py-2">Existing access</th> : null}
                  <th scope="col" className="px-3 py-2">Age</th>
                  {tab === "waiting" ? (
                    <th scope="col" className="px-3 py-2">
                      <span className="sr-only">Decision</span>
                    </th>
                  ) : (
                    <th scope="col" className="px-3 py-2">Status</th>
                  )}
                </tr>
              </thead>
              <tbody>
                {items.map((r, i) => {
                  const isCurrent = current?.id === r.id;
                  const ext = isExtension(r);
                  const label = `${r.requester.name}'s request for ${r.product.name} / ${r.port}`;
                  return (
                    <tr
                      key={r.id}
                      data-current={isCurrent || undefined}
                      className={`border-b border-slate-100 align-top ${isCurrent ? "bg-canopy-50 outline-2 -outline-offset-2 outline-canopy-600/40" : ""} ${selected.has(r.id) ? "bg-sky-50" : ""}`}
                      onFocusCapture={() => setCursor(i)}
                    >
                      {tab === "waiting" ? (
                        <td className="px-3 py-2">
                          {selectable(r) ? (
                            <input type="checkbox" aria-label={`Select ${label}`} checked={selected.has(r.id)} onChange={() => toggle(r.id)} />
                          ) : null}
                        </td>
                      ) : null}
                      <td className="px-3 py-2">
                        <Link
                          ref={(el) => {
                            rowLinks.current.set(r.id, el);
                          }}
                          href={`/access/requests/${r.id}`}
                          className="font-medium text-canopy-800 hover:underline"
                        >
                          {r.product.name} / <span className="font-mono text-xs">{r.port}</span>
                        </Link>
                        <div className="text-xs text-slate-500">
                          {r.product.domain.name} · for{" "}
                          {r.principal.type === "user"
                            ? r.principal.label === r.requester.name
                              ? "themself"
                              : r.principal.label
                            : `${r.principal.type === "group" ? "group" : "product"} ${r.principal.label}`}
                        </div>
                        {ext ? (
                          <div className="mt-1">
                            <Badge tone="violet">extension: +{r.extensionDays} days</Badge>
                          </div>
                        ) : r.levels > 1 && r.status === "pending" ? (
                          <div className="mt-1">
                            <Badge tone="blue">
                              step {r.level} of {r.levels}
                            </Badge>
                          </div>
                        ) : null}
                        {rowErrors[r.id] ? (
                          <p className="mt-1 text-xs font-medium text-rose-800">
                            <span className="sr-only">Not decided: </span>
                            {rowErrors[r.id]}
                          </p>
                        ) : null}
                      </td>
                      {tab !== "mine" ? (
                        <td className="px-3 py-2">
                          <div>{r.requester.name}</div>
                          <div className="text-xs text-slate-500">{r.requester.email}</div>
                        </td>
                      ) : null}
                      <td className="max-w-xs px-3 py-2 text-slate-700">
                        {r.purposeCategoryLabel ? (
                          <div className="mb-1">
                            <Badge tone="violet">{r.purposeCategoryLabel}</Badge>
                          </div>
                        ) : null}
                        <span className="line-clamp-3" title={r.purpose}>
                          {r.purpose}
                        </span>
                        {tab !== "waiting" && r.decisionNote ? <div className="mt-1 text-xs text-slate-500">Note: {r.decisionNote}</div> : null}
                      </td>
                      <td className="px-3 py-2 whitespace-nowrap">
                        {r.status === "pending" ? durationLabel({ durationDays: r.durationDays, until: r.requestedUntil }) : r.expiresAt ? `until ${day(r.expiresAt)}` : `${r.durationDays} days`}
                      </td>
                      <td className="px-3 py-2">
                        <span title={`${r.columns.total} columns; port classified ${r.classification}`}>{classificationSummary(r.columns)}</span>
                        <div className="text-xs text-slate-500">port: {r.classification}</div>
                      </td>
                      {tab !== "mine" ? (
                        <td className="px-3 py-2 text-xs">
                          {r.existingAccess.length ? (
                            <ul>
                              {r.existingAccess.map((g) => (
                                <li key={g.requestId}>
                                  <span className="font-mono">{g.port}</span> {g.status === "active" ? `until ${day(g.expiresAt)}` : g.status}
                                </li>
                              ))}
                            </ul>
                          ) : (
                            <span className="text-slate-500">none</span>
                          )}
                        </td>
                      ) : null}
                      <td className="px-3 py-2 whitespace-nowrap">
                        <time dateTime={r.createdAt} title={dateTime(r.createdAt)}>
                          {age(r.createdAt, now)}
                        </time>
                      </td>
                      {tab === "waiting" ? (
                        <td className="px-3 py-2 whitespace-nowrap">
                          {r.actions.approve || (ext && r.actions.decideExtension) ? (
                            <button type="button" className="btn-primary mr-1 px-2 py-1" onClick={() => open("approve", r)}>
                              Approve<span className="sr-only"> {label}</span>
                            </button>
                          ) : null}
                          {r.actions.reject || (ext && r.actions.decideExtension) ? (
                            <button type="button" className="btn-secondary px-2 py-1 text-rose-800" onClick={() => open("reject", r)}>
                              Reject<span className="sr-only"> {label}</span>
                            </button>
                          ) : null}
                        </td>
                      ) : (
                        <td className="px-3 py-2 whitespace-nowrap">
                          <Badge tone={STATUS_TONE[r.status] ?? "gray"}>{STATUS_LABEL[r.status] ?? r.status}</Badge>
                          {r.decidedBy ? <div className="text-xs text-slate-500">by {r.decidedBy}</div> : null}
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}

        <details className="mt-6 text-sm">
          <summary className="cursor-pointer font-medium text-slate-700">Keyboard shortcuts</summary>
          <div className="mt-2">
            <ShortcutList />
            <p className="mt-2 text-xs text-slate-500">Shortcuts are off while you type in a field or a dialog is open. The list refreshes itself every 15 seconds.</p>
          </div>
        </details>
      </div>

      {dialog ? <DecisionDialog decision={dialog.decision} items={dialog.items} onClose={closeDialog} /> : null}
      {help ? <ShortcutsHelp onClose={() => setHelp(false)} /> : null}
    </>
  );
}
