import { z } from "zod";
import { roleLabel } from "@/lib/auth/roles";
import { defineRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** GET /api/v1/me — who the API sees. */
export const GET = defineRoute({
  name: "getMe",
  input: z.object({}),
  handler: async ({ user }) => ({
    id: user.id,
    name: user.name,
    email: user.email,
    role: roleLabel(user),
    globalRoles: user.roles,
    domains: user.domains,
  }),
});
