import { defineRoute } from "@/lib/http/route";
import { removeEdgeOperation } from "@/lib/lineage/operations";

export const dynamic = "force-dynamic";

/** DELETE /api/v1/lineage/edges/{id} — removes a manual edge (edges from dbt or OpenMetadata change by importing again). */
export const DELETE = defineRoute(removeEdgeOperation);
