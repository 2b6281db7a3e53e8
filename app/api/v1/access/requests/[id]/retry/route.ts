import { retryProvisioningOperation } from "@/lib/access/operations";
import { defineRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** POST /api/v1/access/requests/{id}/retry — provisions a grant again after it failed. */
export const POST = defineRoute(retryProvisioningOperation);
