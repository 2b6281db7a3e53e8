import type { HealthStatus } from "@/lib/integrations/http";

/** A fully qualified Trino table. Parts are validated identifiers, never raw SQL. */
export type TableRef = { catalog: string; schema: string; table: string };

export type TrinoColumn = { name: string; type: string; nullable: boolean; comment: string; position: number };

export type PreviewResult = {
  columns: { name: string; type: string }[];
  rows: unknown[][];
  /** True when more rows existed than the limit allowed. */
  truncated: boolean;
  queryId: string | null;
};

export type Snapshot = { snapshotId: string; committedAt: string; operation: string; parentId: string | null; summary: Record<string, string> };

export type QueryOptions = {
  /** At most this many rows (the engine caps it, e.g. at 1000). */
  limit?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
};

/**
 * Everything Canopy asks Trino, always on behalf of an end user (`user` = the Trino user name),
 * so Trino's own access rules decide what that user may see.
 */
export interface TrinoQueryEngine {
  readonly mode: "connected" | "embedded";
  listCatalogs(user: string): Promise<string[]>;
  listSchemas(user: string, catalog: string): Promise<string[]>;
  listTables(user: string, catalog: string, schema: string): Promise<string[]>;
  describeTable(user: string, table: TableRef): Promise<TrinoColumn[]>;
  previewRows(user: string, table: TableRef, opts?: QueryOptions): Promise<PreviewResult>;
  /** Iceberg snapshot history (`"<table>$snapshots"`), newest first. */
  snapshots(user: string, table: TableRef, opts?: QueryOptions): Promise<Snapshot[]>;
  health(): Promise<HealthStatus>;
}
