import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { OmSyncStatus } from "@/lib/lineage/openmetadata-jobs";
import { OpenMetadataSync } from "./openmetadata-sync";

const render = (status: OmSyncStatus, canSync = true) =>
  renderToStaticMarkup(
    createElement(QueryClientProvider, { client: new QueryClient() }, createElement(OpenMetadataSync, { slug: "orders", canSync, initialStatus: status })),
  );

const at = "2026-11-28T12:00:00.000Z";
const summary = {
  depth: { upstream: 3, downstream: 3 },
  tables: { found: ["lakehouse.sales.orders"], missing: ["lakehouse.sales.returns"] },
  pulled: { tableEdges: 4, columnEdges: 2, skipped: 1 },
  edges: { added: 1, removed: 2, updated: 0, unchanged: 3, addedEdges: [], removedEdges: [] },
  pushed: { dataProduct: "Sales.orders", added: ["customers"], unchanged: [], removed: [], skipped: [], error: null },
};
const job = (status: "pending" | "running", lastError: string | null = null) => ({
  id: "j1", kind: "lineage.openmetadata.sync", status, attempts: 1, maxAttempts: 3, runAt: at, lastError, targetType: "product", targetId: "p1", createdAt: at, finishedAt: null,
});

describe("the OpenMetadata sync status", () => {
  it("says OpenMetadata is off, with no button", () => {
    const html = render({ configured: false, message: "OpenMetadata is not configured: lineage comes from descriptors.", lastRun: null, job: null });
    expect(html).toContain("OpenMetadata off");
    expect(html).toContain("not configured");
    expect(html).not.toContain("<button");
  });

  it("summarises the last run, names missing tables, and offers Sync now to those who may", () => {
    const status: OmSyncStatus = { configured: true, message: null, lastRun: { id: "r1", status: "succeeded", at, actor: "olivia@canopy.demo", summary, error: null }, job: null };
    const html = render(status);
    expect(html).toContain("Synced");
    expect(html).toContain("Last synced 28 Nov 2026, 12:00 UTC by olivia@canopy.demo: 1 edge added, 2 removed, 3 unchanged; 1 dependency pushed.");
    expect(html).toContain("Not in OpenMetadata yet: lakehouse.sales.returns");
    expect(html).toMatch(/<button[^>]*>Sync now<\/button>/);
    expect(render(status, false)).not.toContain("<button");
  });

  it("shows a failed run's error, and a queued sync (with a retried attempt) as in progress", () => {
    const failed = render({ configured: true, message: null, lastRun: { id: "r1", status: "failed", at, actor: "system", summary: null, error: "OpenMetadata denied the Canopy bot permission (403)" }, job: null });
    expect(failed).toContain("Sync failed");
    expect(failed).toContain("denied the Canopy bot permission");
    const running = render({ configured: true, message: null, lastRun: null, job: job("pending", "OpenMetadata could not read the lineage (503)") });
    expect(running).toContain("Sync queued");
    expect(running).toContain("will be retried: OpenMetadata could not read the lineage (503)");
    expect(running).toMatch(/<button[^>]*disabled=""[^>]*>Sync in progress<\/button>/);
  });
});
