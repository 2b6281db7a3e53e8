import { defineRoute } from "@/lib/http/route";
import { impactOperation } from "@/lib/lineage/operations";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/lineage/impact?product=<slug>|node=<id>|fqn=<table or column> — what depends on it:
 * downstream products and tables to any depth, the consumers with active access to each, and the
 * owners to contact. Products the caller may not read are counted, not named.
 */
export const GET = defineRoute(impactOperation);
