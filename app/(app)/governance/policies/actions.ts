"use server";

import { z } from "zod";
import { policyHref } from "@/components/governance/policy-links";
import { createPolicy, updatePolicy } from "@/lib/governance/policies";
import { defineAction } from "@/lib/http/action";

/** Adds a policy (global, a domain's own, or a domain's tightening of a global one). */
export const createPolicyAction = defineAction({
  name: "createPolicy",
  input: z.object({ domain: z.string().nullable(), key: z.string(), refines: z.boolean(), definition: z.unknown(), reason: z.string() }),
  permission: "governance.view",
  handler: async (ctx, input) => {
    const created = await createPolicy(ctx.db, { user: ctx.user, actor: ctx.actor }, input);
    return { href: policyHref(created) };
  },
});

/** Changes a policy as a new version (definition and/or enabled), with the reason. */
export const updatePolicyAction = defineAction({
  name: "updatePolicy",
  input: z.object({ id: z.uuid(), definition: z.unknown().optional(), enabled: z.boolean(), reason: z.string() }),
  permission: "governance.view",
  handler: async (ctx, { id, ...input }) => {
    const updated = await updatePolicy(ctx.db, { user: ctx.user, actor: ctx.actor }, id, input);
    return { href: policyHref(updated) };
  },
});
