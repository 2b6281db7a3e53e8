"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/http/action";
import { createTokenInput, tokenIdInput } from "@/lib/tokens/schemas";
import { createToken, revokeToken } from "@/lib/tokens/service";

export const createApiToken = defineAction({
  name: "createApiToken",
  input: createTokenInput,
  handler: async (ctx, input) => {
    const created = await createToken(ctx.db, ctx, input);
    ctx.log.info({ tokenId: created.token.id, scopes: created.token.scopes }, "API token created");
    revalidatePath("/settings/tokens");
    return created;
  },
});

export const revokeApiToken = defineAction({
  name: "revokeApiToken",
  input: tokenIdInput,
  handler: async (ctx, { id }) => {
    const token = await revokeToken(ctx.db, ctx, id);
    ctx.log.info({ tokenId: id }, "API token revoked");
    revalidatePath("/settings/tokens");
    return token;
  },
});
