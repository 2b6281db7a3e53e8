/**
 * What a dbt manifest import did (or, in a dry run, would do). Shared by the API, the import page
 * and the stored import record; plain data, safe for the browser. Lists are capped at
 * REPORT_LIST_LIMIT entries each (`truncated` says when); the counts are always complete.
 */

export const REPORT_LIST_LIMIT = 200;

export type ReportEdge = { kind: "table" | "column"; from: string; to: string };
export type ReportPort = { product: string; port: string };
export type ReportRule = ReportPort & { column: string; check: string; test: string };

export type DbtImportReport = {
  /** The stored import record; null for a dry run. */
  importId: string | null;
  dryRun: boolean;
  project: string;
  schemaVersion: number;
  dbtVersion: string | null;
  generatedAt: string | null;
  counts: { models: number; seeds: number; snapshots: number; sources: number; tests: number };
  tables: {
    total: number;
    /** Tables an output port serves (its location is the table). */
    served: number;
  };
  edges: {
    added: number;
    removed: number;
    updated: number;
    unchanged: number;
    /** Edges another dbt project recorded already: left to that project. */
    otherProjects: number;
    addedList: ReportEdge[];
    removedList: ReportEdge[];
  };
  docs: {
    /** Column descriptions written to ports. */
    updated: Array<ReportPort & { column: string }>;
    /** Columns whose description an owner wrote: left as they are. */
    kept: number;
  };
  rules: {
    added: ReportRule[];
    removed: ReportRule[];
    unchanged: number;
    /** Tests an owner's rule already checks: not added twice. */
    covered: number;
    /** Tests on tables no port serves. */
    withoutPort: number;
    /** Tests on a served table that could not become a rule, and why. */
    notApplied: Array<{ test: string; reason: string } & Partial<ReportPort>>;
    /** Tests with no quality-rule equivalent (singular tests, package tests…). */
    unsupported: Array<{ test: string; reason: string }>;
  };
  ports: {
    changed: ReportPort[];
    /** Ports the import would change but the importer may not (or the product is retired). */
    skipped: Array<ReportPort & { reason: string }>;
    /** Ports of products the importer may not see: counted, never named. */
    restricted: number;
  };
  /** Nodes that name no table Canopy can match (no catalog, odd characters). */
  skippedNodes: Array<{ uniqueId: string; reason: string }>;
  truncated: boolean;
};
