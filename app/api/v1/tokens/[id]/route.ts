import { defineRoute } from "@/lib/http/route";
import { tokenIdInput } from "@/lib/tokens/schemas";
import { revokeToken } from "@/lib/tokens/service";

export const dynamic = "force-dynamic";

/** DELETE /api/v1/tokens/{id} — revokes one of your tokens at once (platform admins: anyone's). */
export const DELETE = defineRoute({
  name: "revokeApiToken",
  input: tokenIdInput,
  handler: async (ctx, { id }) => {
    const token = await revokeToken(ctx.db, ctx, id);
    ctx.log.info({ tokenId: id }, "API token revoked");
    return { token };
  },
});
