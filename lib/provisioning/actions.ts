"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { productRefSelect, toProductRef } from "@/lib/catalog/queries";
import { NotFoundError } from "@/lib/errors";
import { defineAction } from "@/lib/http/action";
import { retryJob } from "@/lib/jobs/outbox";
import { requestProvisioning } from "@/lib/provisioning/service";

export const requestProductProvisioning = defineAction({
  name: "requestProductProvisioning",
  input: z.object({ slug: z.string().min(1).max(200) }),
  handler: async (ctx, { slug }) => {
    const p = await ctx.db.dataProduct.findUnique({ where: { slug }, select: productRefSelect });
    if (!p) throw new NotFoundError("No such product");
    const ref = toProductRef(p);
    ctx.authorize("product.read", ref);
    ctx.authorize("product.provision", ref);
    const job = await ctx.db.$transaction((tx) => requestProvisioning(tx, ctx.actor, p.id, "manual"));
    revalidatePath(`/products/${slug}`);
    return job;
  },
});

export const retryFailedJob = defineAction({
  name: "retryFailedJob",
  input: z.object({ jobId: z.uuid("Not a job id") }),
  permission: "jobs.retry",
  handler: async (ctx, { jobId }) => {
    await ctx.db.$transaction((tx) => retryJob(tx, ctx.actor, jobId));
    revalidatePath("/admin/integrations");
    return { jobId };
  },
});
