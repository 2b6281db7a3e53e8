import { defineDescriptorRoute } from "@/lib/descriptors/http";
import { getDescriptorOperation, putDescriptorOperation } from "@/lib/descriptors/operations";

export const dynamic = "force-dynamic";

/**
 * GET — the product's ODPS descriptor: YAML (application/odps+yaml; also for application/yaml,
 * text/yaml and *\/*) or JSON (application/json) by Accept, or `?format=yaml|json`. `?bundle=1`
 * adds the ODCS contracts of its output ports (multi-document YAML, or JSON { product, contracts }).
 * 404 when the product is not visible.
 */
export const GET = defineDescriptorRoute(getDescriptorOperation);

/**
 * PUT — create or change the product from an ODPS document and the ODCS contracts of its ports
 * (YAML, multi-document YAML or a JSON bundle; at most 1 MB). The slug in the address wins.
 * Query: dryRun=true (the change plan, nothing saved), publish=true (new products), version,
 * changelog, acknowledgeBreaking=true. 201 created, 200 changed, 409 breaking change not acknowledged.
 */
export const PUT = defineDescriptorRoute(putDescriptorOperation, { body: true });
