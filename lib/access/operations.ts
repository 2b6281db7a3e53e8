import "server-only";
import { z } from "zod";
import {
  decideExtensionInput,
  decideInput,
  decideManyInput,
  extensionInput,
  inboxFilterInput,
  requestAccessInput,
  requestIdSchema,
  revokeInput,
} from "@/lib/access/schemas";
import {
  cancelRequest,
  countWaiting,
  decideAccess,
  decideExtension,
  decideMany,
  getRequestDetail,
  listAccessInbox,
  requestAccess,
  requestExtension,
  requireAccessReadScope,
  retryProvisioning,
  revokeAccess,
} from "@/lib/access/service";
import { NotFoundError } from "@/lib/errors";
import type { Operation } from "@/lib/http/operation";

/**
 * The REST operations of the access workflow (app/api/v1/access/**): plain Operations, run by
 * defineRoute in the route handlers and by runOperation in tests. Input is the route parameters
 * plus the query string (GET) or the JSON body (POST).
 */

const byId = z.object({ id: requestIdSchema });

/** GET /api/v1/access/requests — the inbox tabs with their filters. */
export const listAccessRequestsOperation = {
  name: "listAccessRequests",
  input: inboxFilterInput,
  handler: async (ctx, filter) => {
    requireAccessReadScope(ctx.user);
    return { items: await listAccessInbox(ctx.db, ctx.user, filter) };
  },
} satisfies Operation<typeof inboxFilterInput, unknown>;

/** POST /api/v1/access/requests — 201 with the request (already provisioning when a rule approved it). */
export const requestAccessOperation = {
  name: "requestAccess",
  input: requestAccessInput,
  handler: async (ctx, input) => {
    const created = await requestAccess(ctx.db, ctx, input);
    ctx.log.info({ accessRequestId: created.id, status: created.status }, "access requested");
    return Response.json(created, { status: 201, headers: { "x-request-id": ctx.requestId, location: `/api/v1/access/requests/${created.id}` } });
  },
} satisfies Operation<typeof requestAccessInput, Response>;

/** GET /api/v1/access/requests/{id} */
export const getAccessRequestOperation = {
  name: "getAccessRequest",
  input: byId,
  handler: async (ctx, { id }) => {
    requireAccessReadScope(ctx.user);
    const detail = await getRequestDetail(ctx.db, ctx.user, id);
    if (!detail) throw new NotFoundError("No such access request");
    return detail;
  },
} satisfies Operation<typeof byId, unknown>;

const decideBody = decideInput.omit({ requestId: true }).extend({ id: requestIdSchema });
/** POST /api/v1/access/requests/{id}/decide {decision, note?, revision?} */
export const decideAccessOperation = {
  name: "decideAccess",
  input: decideBody,
  handler: async (ctx, { id, ...input }) => {
    const r = await decideAccess(ctx.db, ctx, { requestId: id, ...input });
    ctx.log.info({ accessRequestId: id, decision: input.decision, status: r.status }, "access request decided");
    return r;
  },
} satisfies Operation<typeof decideBody, unknown>;

/** POST /api/v1/access/decisions {requestIds, decision, note?} */
export const decideManyOperation = {
  name: "decideAccessMany",
  input: decideManyInput,
  handler: async (ctx, input) => {
    const result = await decideMany(ctx.db, ctx, input);
    ctx.log.info({ decided: result.decided.length, failed: result.failed.length, decision: input.decision }, "access requests decided in bulk");
    return result;
  },
} satisfies Operation<typeof decideManyInput, unknown>;

/** POST /api/v1/access/requests/{id}/cancel */
export const cancelAccessRequestOperation = {
  name: "cancelAccessRequest",
  input: byId,
  handler: (ctx, { id }) => cancelRequest(ctx.db, ctx, { requestId: id }),
} satisfies Operation<typeof byId, unknown>;

const revokeBody = revokeInput.omit({ requestId: true }).extend({ id: requestIdSchema });
/** POST /api/v1/access/requests/{id}/revoke {note?} */
export const revokeAccessOperation = {
  name: "revokeAccess",
  input: revokeBody,
  handler: async (ctx, { id, note }) => {
    const r = await revokeAccess(ctx.db, ctx, { requestId: id, note });
    ctx.log.info({ accessRequestId: id }, "access revoked");
    return r;
  },
} satisfies Operation<typeof revokeBody, unknown>;

const extendBody = extensionInput.omit({ requestId: true }).extend({ id: requestIdSchema });
/** POST /api/v1/access/requests/{id}/extend {days} */
export const requestExtensionOperation = {
  name: "requestAccessExtension",
  input: extendBody,
  handler: (ctx, { id, days }) => requestExtension(ctx.db, ctx, { requestId: id, days }),
} satisfies Operation<typeof extendBody, unknown>;

const decideExtensionBody = decideExtensionInput.omit({ requestId: true }).extend({ id: requestIdSchema });
/** POST /api/v1/access/requests/{id}/extend/decide {decision, note?, revision?} */
export const decideExtensionOperation = {
  name: "decideAccessExtension",
  input: decideExtensionBody,
  handler: (ctx, { id, ...input }) => decideExtension(ctx.db, ctx, { requestId: id, ...input }),
} satisfies Operation<typeof decideExtensionBody, unknown>;

/** POST /api/v1/access/requests/{id}/retry */
export const retryProvisioningOperation = {
  name: "retryAccessProvisioning",
  input: byId,
  handler: async (ctx, { id }) => {
    const r = await retryProvisioning(ctx.db, ctx, { requestId: id });
    ctx.log.info({ accessRequestId: id }, "access provisioning retried");
    return r;
  },
} satisfies Operation<typeof byId, unknown>;

const noInput = z.object({});
/** GET /api/v1/access/count */
export const countWaitingOperation = {
  name: "countAccessRequestsWaiting",
  input: noInput,
  handler: async (ctx) => {
    requireAccessReadScope(ctx.user);
    return { waiting: await countWaiting(ctx.db, ctx.user) };
  },
} satisfies Operation<typeof noInput, unknown>;
