import { defineDescriptorRoute } from "@/lib/descriptors/http";
import { previewDescriptorOperation } from "@/lib/descriptors/operations";

export const dynamic = "force-dynamic";

/**
 * POST — what importing a descriptor would do (the product named by the document's canopySlug or
 * name): warnings, the change plan with affected consumers, the version it would get. Changes nothing.
 */
export const POST = defineDescriptorRoute(previewDescriptorOperation, { body: true });
