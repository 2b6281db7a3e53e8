/**
 * Lineage as the API and the UI see it: one graph over products, their output ports, tables and
 * columns. Product-level edges come from the descriptors (input ports); asset-level edges (table →
 * table, column → column) each carry their source. A table asset belongs to the trino_table port whose
 * location equals its fqn, which is how the two grains join.
 */

export type LineageSource = "manual" | "dbt" | "openmetadata";
export const LINEAGE_SOURCES: readonly LineageSource[] = ["manual", "dbt", "openmetadata"];

export type LineageNodeKind = "product" | "port" | "table" | "column";

/** A node id: `${kind}:${uuid}`; a node the viewer may not see keeps its id but loses every name. */
export type LineageNodeId = string;

export type QualityBadge = "passing" | "warning" | "failing" | "unknown";
export type AccessBadge = "owner" | "granted" | "pending" | "none";

export type LineageNode = {
  id: LineageNodeId;
  kind: LineageNodeKind;
  /** The viewer may not see the product (another team's draft): no label, no fqn, no product. */
  restricted: boolean;
  /** What is shown: product name, port name, table fqn, column name; "Restricted product" when restricted. */
  label: string;
  /** Tables and columns: lower-case fully qualified name. */
  fqn: string | null;
  /** The product the node belongs to (a port's product, the product whose port serves a table), when visible. */
  product: { id: string; slug: string; name: string; status: string; domain: string } | null;
  /** Tables served by a port, and ports themselves. */
  port: { name: string; type: string } | null;
  /** A column's table node. */
  tableId: LineageNodeId | null;
  /** Lifecycle of the node's product (deprecated shown in warning colour); null for unowned assets. */
  status: string | null;
  /** Latest governance result of the node's product: a failing blocking policy is "failing". */
  quality: QualityBadge;
  /** The viewer's access to the node's product. */
  access: AccessBadge;
  /** Hops from the focus: negative upstream, positive downstream, 0 the focus. */
  depth: number;
  /** Whether neighbours exist beyond what this graph holds (the UI offers "expand"). */
  more: { up: boolean; down: boolean };
  /**
   * Tables and columns: whether the viewer may record manual edges at this node, whatever the other
   * end (`lineage.edit` — they answer for a product serving it, or are a platform admin).
   */
  canEdit?: boolean;
};

export type LineageEdgeKind = "product" | "serves" | "table" | "column";

export type LineageEdge = {
  id: string;
  from: LineageNodeId;
  to: LineageNodeId;
  kind: LineageEdgeKind;
  /** "descriptor" for product-level edges from input ports and for port → table ("serves"). */
  sources: Array<LineageSource | "descriptor">;
  /** Input port name for product edges; notes of manual edges. */
  label: string | null;
  /** The manual asset edge behind this edge, when there is one (its owners may remove it). */
  manualEdgeId: string | null;
  /** Edges with a manual edge behind them: whether the viewer may remove it (`lineage.edit` on its two ends). */
  canEdit?: boolean;
};

export type LineageGraph = {
  focus: LineageNodeId;
  nodes: LineageNode[];
  edges: LineageEdge[];
  up: number;
  down: number;
  columns: boolean;
  /** The node cap was reached: some neighbours were left out (they show as `more`). */
  truncated: boolean;
};

export type ImpactConsumer = {
  principalType: "user" | "group" | "product";
  /** A person's name, a group name or a product slug. */
  principal: string;
  email: string | null;
  port: string;
  expiresAt: string | null;
};

export type ImpactProduct = {
  /** null when the viewer may not see the product (counted, not named). */
  product: { id: string; slug: string; name: string; status: string; domain: string } | null;
  /** Hops from the focus. */
  depth: number;
  /** How it depends: product input ports and/or asset lineage. */
  via: Array<"input" | "table" | "column">;
  owners: Array<{ name: string; email: string }>;
  team: string | null;
  consumers: ImpactConsumer[];
  tables: string[];
};

export type ImpactReport = {
  focus: LineageNodeId;
  products: ImpactProduct[];
  /** Downstream tables and columns no product serves. */
  unownedAssets: Array<{ kind: "table" | "column"; fqn: string; depth: number }>;
  /** Owners to contact, grouped: owner e-mail → the products and consumers affected. */
  byOwner: Array<{ owner: { name: string; email: string }; products: string[]; consumerCount: number }>;
  restrictedCount: number;
  truncated: boolean;
};
