import { defineRoute } from "@/lib/http/route";
import { graphOperation } from "@/lib/lineage/operations";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/lineage/graph?product=<slug>|node=<id>|fqn=<table or column>&up=0..5&down=0..5&columns=true|false
 * — the lineage around one product, port, table or column. Products the caller may not read appear
 * as restricted nodes without names.
 */
export const GET = defineRoute(graphOperation);
