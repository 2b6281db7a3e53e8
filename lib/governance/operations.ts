import { NextResponse } from "next/server";
import { z } from "zod";
import { createPolicy, getPolicy, listPolicies, updatePolicy } from "@/lib/governance/policies";
import { evaluateNow } from "@/lib/governance/service";
import type { Operation } from "@/lib/http/operation";
import { queryFlag } from "@/lib/http/schemas";

/**
 * The policy API (policies as code): the same service functions as the governance pages, so the
 * same validation, tighten-only rule, versioning, audit and re-evaluation. Reading needs
 * `governance.view`; changing needs `policy.manage` (checked inside the service against the
 * policy's scope; API tokens need governance:write).
 */

const listQuery = z.object({
  domain: z.string().trim().min(1).max(63).optional(),
  appliesTo: z.enum(["product", "access"]).optional(),
  /** Disabled policies are listed unless this is false. */
  includeDisabled: queryFlag(true),
});

export const listPoliciesOperation = {
  name: "listPolicies",
  input: listQuery,
  permission: "governance.view",
  handler: async (ctx, input) => ({ policies: await listPolicies(ctx.db, ctx.user, input) }),
} satisfies Operation<typeof listQuery, unknown>;

const policyId = z.object({ id: z.uuid("Not a policy id") });

export const getPolicyOperation = {
  name: "getPolicy",
  input: policyId,
  permission: "governance.view",
  handler: async (ctx, { id }) => getPolicy(ctx.db, ctx.user, id),
} satisfies Operation<typeof policyId, unknown>;

// The body is handed to the service as it came: it validates it and answers with field errors.
const anyBody = z.record(z.string(), z.unknown());

export const createPolicyOperation = {
  name: "createPolicy",
  input: anyBody,
  permission: "governance.view",
  handler: async (ctx, input) => {
    const created = await createPolicy(ctx.db, { user: ctx.user, actor: ctx.actor }, input as never);
    return NextResponse.json(await getPolicy(ctx.db, ctx.user, created.id), { status: 201, headers: { "x-request-id": ctx.requestId } });
  },
} satisfies Operation<typeof anyBody, unknown>;

const updateInput = anyBody.and(policyId);

export const updatePolicyOperation = {
  name: "updatePolicy",
  input: updateInput,
  permission: "governance.view",
  handler: async (ctx, { id, ...input }) => {
    await updatePolicy(ctx.db, { user: ctx.user, actor: ctx.actor }, id as string, input as never);
    return getPolicy(ctx.db, ctx.user, id as string);
  },
} satisfies Operation<typeof updateInput, unknown>;

const productSlug = z.object({ slug: z.string().trim().min(1).max(100) });

/** Evaluates a product against the policies in force now and stores the result (`evaluateNow`). */
export const recheckProductOperation = {
  name: "recheckProductPolicies",
  input: productSlug,
  permission: "governance.view",
  handler: async (ctx, { slug }) => evaluateNow(ctx.db, { user: ctx.user, actor: ctx.actor }, slug),
} satisfies Operation<typeof productSlug, unknown>;
