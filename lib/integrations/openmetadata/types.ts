import type { HealthStatus } from "@/lib/integrations/http";

export type OmEntityRef = { id: string; type: string; fullyQualifiedName?: string; name?: string };

export type OmColumn = { name: string; dataType: string; description?: string; tags?: string[] };

export type OmTableInput = {
  /** FQN of the database schema, e.g. `trino.iceberg.sales`. */
  databaseSchema: string;
  name: string;
  description?: string;
  columns: OmColumn[];
  domain?: string;
  dataProducts?: string[];
};

export type OmLineageEdge = {
  from: { fqn: string; type: string };
  to: { fqn: string; type: string };
  columns: { from: string[]; to: string }[];
  /** lineageDetails.source: Manual, QueryLineage, DbtLineage, … */
  source: string;
  /** lineageDetails.sqlQuery, when the edge came from a query. */
  sqlQuery?: string;
  /** lineageDetails.description. */
  description?: string;
};

export type OmLineage = { entity: { fqn: string; type: string }; edges: OmLineageEdge[] };

export interface OpenMetadataClient {
  readonly mode: "connected" | "embedded";
  upsertDomain(input: { name: string; description?: string; domainType?: "Source-aligned" | "Consumer-aligned" | "Aggregate" }): Promise<OmEntityRef>;
  upsertDataProduct(input: { name: string; domain: string; description?: string }): Promise<OmEntityRef>;
  upsertTable(input: OmTableInput): Promise<OmEntityRef>;
  getTable(fqn: string): Promise<(OmEntityRef & { columns: OmColumn[] }) | null>;
  /** Every table of a schema, following cursor paging. */
  listTables(databaseSchema: string): Promise<OmEntityRef[]>;
  getLineage(entityType: string, fqn: string, depth: { upstream: number; downstream: number }): Promise<OmLineage>;
  addLineage(from: OmEntityRef, to: OmEntityRef, details?: { description?: string }): Promise<void>;
  /** Removes one edge; false when OpenMetadata has no such edge. */
  deleteLineage(from: OmEntityRef, to: OmEntityRef): Promise<boolean>;
  health(): Promise<HealthStatus>;
}
