"use server";

import { revalidatePath } from "next/cache";
import {
  decideExtensionInput,
  decideInput,
  decideManyInput,
  extensionInput,
  requestAccessInput,
  requestRefInput,
  revokeInput,
} from "@/lib/access/schemas";
import {
  cancelRequest,
  decideAccess,
  decideExtension,
  decideMany,
  requestAccess,
  requestExtension,
  retryProvisioning,
  revokeAccess,
  type AccessRequestDetail,
} from "@/lib/access/service";
import { defineAction } from "@/lib/http/action";

/**
 * Server actions of the access workflow, one per service function (`<function>Action`). Each returns `{ ok: true, data }` (the request as its page
 * shows it, or the bulk outcome) or `{ ok: false, error, fieldErrors }` — 409s carry a message that
 * says what happened meanwhile ("Already decided by … a moment ago").
 */

function refresh(r: Pick<AccessRequestDetail, "id" | "product">) {
  revalidatePath("/access");
  revalidatePath(`/access/requests/${r.id}`);
  revalidatePath(`/products/${r.product.slug}`);
}

export const requestAccessAction = defineAction({
  name: "requestAccess",
  input: requestAccessInput,
  handler: async (ctx, input) => {
    const r = await requestAccess(ctx.db, ctx, input);
    ctx.log.info({ accessRequestId: r.id, status: r.status }, "access requested");
    refresh(r);
    return r;
  },
});

export const decideAccessAction = defineAction({
  name: "decideAccess",
  input: decideInput,
  handler: async (ctx, input) => {
    const r = await decideAccess(ctx.db, ctx, input);
    ctx.log.info({ accessRequestId: r.id, decision: input.decision, status: r.status }, "access request decided");
    refresh(r);
    return r;
  },
});

export const decideManyAction = defineAction({
  name: "decideAccessMany",
  input: decideManyInput,
  handler: async (ctx, input) => {
    const result = await decideMany(ctx.db, ctx, input);
    ctx.log.info({ decided: result.decided.length, failed: result.failed.length, decision: input.decision }, "access requests decided in bulk");
    revalidatePath("/access");
    return result;
  },
});

export const cancelRequestAction = defineAction({
  name: "cancelAccessRequest",
  input: requestRefInput,
  handler: async (ctx, input) => {
    const r = await cancelRequest(ctx.db, ctx, input);
    refresh(r);
    return r;
  },
});

export const revokeAccessAction = defineAction({
  name: "revokeAccess",
  input: revokeInput,
  handler: async (ctx, input) => {
    const r = await revokeAccess(ctx.db, ctx, input);
    ctx.log.info({ accessRequestId: r.id }, "access revoked");
    refresh(r);
    return r;
  },
});

export const requestExtensionAction = defineAction({
  name: "requestAccessExtension",
  input: extensionInput,
  handler: async (ctx, input) => {
    const r = await requestExtension(ctx.db, ctx, input);
    refresh(r);
    return r;
  },
});

export const decideExtensionAction = defineAction({
  name: "decideAccessExtension",
  input: decideExtensionInput,
  handler: async (ctx, input) => {
    const r = await decideExtension(ctx.db, ctx, input);
    refresh(r);
    return r;
  },
});

export const retryProvisioningAction = defineAction({
  name: "retryAccessProvisioning",
  input: requestRefInput,
  handler: async (ctx, input) => {
    const r = await retryProvisioning(ctx.db, ctx, input);
    ctx.log.info({ accessRequestId: r.id }, "access provisioning retried");
    refresh(r);
    return r;
  },
});
