import { defineDescriptorRoute } from "@/lib/descriptors/http";
import { getContractOperation } from "@/lib/descriptors/operations";

export const dynamic = "force-dynamic";

/**
 * GET — the ODCS contract of one output port: YAML (application/odcs+yaml; also for
 * application/yaml, text/yaml and *\/*) or JSON (application/json) by Accept, or `?format=yaml|json`.
 * 404 when the product is not visible or has no such port.
 */
export const GET = defineDescriptorRoute(getContractOperation);
