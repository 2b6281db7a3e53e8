import { z } from "zod";
import { TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS, TOKEN_MIN_DAYS, TOKEN_SCOPE_NAMES, type TokenScope } from "@/lib/tokens/scopes";

/** Input of "create an API token", shared by the settings page, its server action and POST /api/v1/tokens. */

const scopeList = TOKEN_SCOPE_NAMES.join(", ");

export const TOKEN_NAME_MAX = 64;

export const createTokenInput = z.object({
  name: z
    .string({ error: "Give the token a name" })
    .trim()
    .min(1, "Give the token a name")
    .max(TOKEN_NAME_MAX, `A token name is at most ${TOKEN_NAME_MAX} characters`)
    // Names appear in audit labels ("… (token ci-pipeline)"): keep them to plain, printable words.
    .regex(/^(?:[A-Za-z0-9][A-Za-z0-9 ._-]*)?$/, "Use letters, digits, spaces, dots, hyphens and underscores, starting with a letter or digit"),
  kind: z.enum(["personal", "service"], { error: "kind must be personal or service" }).default("personal"),
  scopes: z
    .array(z.enum(TOKEN_SCOPE_NAMES as [TokenScope, ...TokenScope[]], { error: `Unknown scope; the scopes are ${scopeList}` }), {
      error: `scopes must be a list of scope names (${scopeList})`,
    })
    .min(1, "Choose at least one scope")
    .transform((xs) => TOKEN_SCOPE_NAMES.filter((s) => xs.includes(s))),
  expiresInDays: z.coerce
    .number({ error: "expiresInDays must be a number of days" })
    .int("expiresInDays must be a whole number of days")
    .min(TOKEN_MIN_DAYS, `A token lasts at least ${TOKEN_MIN_DAYS} day`)
    .max(TOKEN_MAX_DAYS, `A token lasts at most ${TOKEN_MAX_DAYS} days; create a new one when it expires`)
    .default(TOKEN_DEFAULT_DAYS),
});

export type CreateTokenInput = z.infer<typeof createTokenInput>;
export type CreateTokenFormInput = z.input<typeof createTokenInput>;

export const tokenIdInput = z.object({ id: z.uuid("Not an API token id") });
