import { recordAudit, type AuditActor } from "@/lib/audit/record";
import { can, type Principal } from "@/lib/auth/permissions";
import type { Db, Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { ConflictError, ForbiddenError, NotFoundError, UserError } from "@/lib/errors";
import type { CreateTokenInput } from "@/lib/tokens/schemas";
import { TOKEN_SCOPE_NAMES } from "@/lib/tokens/scopes";
import { generateTokenSecret } from "@/lib/tokens/secret";

/**
 * Creating, listing and revoking API tokens. A token acts as the user who created it — with that
 * user's permissions as they are at each request, narrowed to the token's scopes. "service" tokens
 * behave the same and are labelled as automation in lists and audit events. Tokens always expire
 * (at most a year) and are created only from a signed-in session, so a token can never mint a
 * longer-lived successor of itself.
 */

export const MAX_ACTIVE_TOKENS = 50;
const DAY_MS = 86_400_000;

export type TokenStatus = "active" | "expired" | "revoked";

export type TokenDto = {
  id: string;
  name: string;
  kind: string;
  prefix: string;
  scopes: string[];
  status: TokenStatus;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** Only in the platform admins' list of everyone's tokens. */
  owner?: { name: string; email: string };
};

/** What leaves the server about a token: never its hash. */
export const tokenSelect = {
  id: true,
  userId: true,
  name: true,
  kind: true,
  prefix: true,
  scopes: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
} satisfies Prisma.ApiTokenSelect;

type TokenRow = Prisma.ApiTokenGetPayload<{ select: typeof tokenSelect }>;

export function tokenStatus(t: { revokedAt: Date | null; expiresAt: Date }, now = new Date()): TokenStatus {
  if (t.revokedAt) return "revoked";
  return t.expiresAt.getTime() <= now.getTime() ? "expired" : "active";
}

export function toTokenDto(t: TokenRow, now = new Date(), owner?: { name: string; email: string }): TokenDto {
  return {
    id: t.id,
    name: t.name,
    kind: t.kind,
    prefix: t.prefix,
    scopes: t.scopes,
    status: tokenStatus(t, now),
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    ...(owner ? { owner } : {}),
  };
}

/** Active first (soonest to expire first), then expired and revoked ones, newest first. */
function byStatus(a: TokenDto, b: TokenDto) {
  const rank = { active: 0, expired: 1, revoked: 2 } as const;
  if (rank[a.status] !== rank[b.status]) return rank[a.status] - rank[b.status];
  if (a.status === "active") return a.expiresAt.localeCompare(b.expiresAt);
  return b.createdAt.localeCompare(a.createdAt);
}

const activeWhere = (now: Date) => ({ revokedAt: null, expiresAt: { gt: now } }) satisfies Prisma.ApiTokenWhereInput;

export async function listTokens(db: Tx, userId: string, now = new Date()): Promise<TokenDto[]> {
  const rows = await db.apiToken.findMany({ where: { userId }, select: tokenSelect, orderBy: { createdAt: "desc" }, take: 500 });
  return rows.map((r) => toTokenDto(r, now)).sort(byStatus);
}

/** Everyone's tokens, for platform admins (the caller checks admin.view). */
export async function listAllTokens(db: Tx, now = new Date()): Promise<TokenDto[]> {
  const rows = await db.apiToken.findMany({
    select: { ...tokenSelect, user: { select: { name: true, email: true } } },
    orderBy: { createdAt: "desc" },
    take: 1000,
  });
  return rows.map(({ user, ...r }) => toTokenDto(r, now, user)).sort(byStatus);
}

type Ctx = { user: Principal; actor: AuditActor };

/** Creates a token; the secret is in the result and nowhere else, ever. */
export async function createToken(db: Db, ctx: Ctx, input: CreateTokenInput, now = new Date()): Promise<{ token: TokenDto; secret: string }> {
  if (ctx.user.token) throw new ForbiddenError("API tokens are created from a signed-in session, not with another token");
  const scopes = TOKEN_SCOPE_NAMES.filter((s) => input.scopes.includes(s));
  if (!scopes.length) throw new UserError("Choose at least one scope", { fieldErrors: { scopes: ["Choose at least one scope"] } });
  const { secret, hash, prefix } = generateTokenSecret();
  const expiresAt = new Date(now.getTime() + input.expiresInDays * DAY_MS);
  const row = await db.$transaction(async (tx) => {
    const active = await tx.apiToken.findMany({ where: { userId: ctx.user.id, ...activeWhere(now) }, select: { name: true } });
    if (active.some((t) => t.name.toLowerCase() === input.name.toLowerCase())) {
      throw new ConflictError(`You already have an active token named "${input.name}"`);
    }
    if (active.length >= MAX_ACTIVE_TOKENS) {
      throw new ConflictError(`You have ${MAX_ACTIVE_TOKENS} active tokens, the most allowed; revoke one you no longer use first`);
    }
    const created = await tx.apiToken.create({
      data: { userId: ctx.user.id, name: input.name, kind: input.kind, prefix, tokenHash: hash, scopes, expiresAt, createdAt: now },
      select: tokenSelect,
    });
    await recordAudit(tx, ctx.actor, {
      action: "api_token.created",
      target: { type: "api_token", id: created.id },
      after: { name: created.name, kind: created.kind, prefix: created.prefix, scopes: created.scopes, expiresAt: created.expiresAt },
    });
    return created;
  });
  return { token: toTokenDto(row, now), secret };
}

/**
 * Revokes a token at once. Owners revoke their own tokens (also with a token, so a pipeline can
 * retire a leaked one); platform admins revoke anyone's. Revoking a revoked token changes nothing.
 */
export async function revokeToken(db: Db, ctx: Ctx, id: string, now = new Date()): Promise<TokenDto> {
  return db.$transaction(async (tx) => {
    const t = await tx.apiToken.findUnique({ where: { id }, select: { ...tokenSelect, user: { select: { name: true, email: true } } } });
    const mine = t?.userId === ctx.user.id;
    if (!t || (!mine && !can(ctx.user, "admin.view", null))) throw new NotFoundError("No such API token");
    const { user: owner, ...row } = t;
    if (row.revokedAt) return toTokenDto(row, now, mine ? undefined : owner);
    const updated = await tx.apiToken.update({ where: { id }, data: { revokedAt: now }, select: tokenSelect });
    await recordAudit(tx, ctx.actor, {
      action: "api_token.revoked",
      target: { type: "api_token", id },
      before: { revokedAt: null },
      after: { name: row.name, kind: row.kind, prefix: row.prefix, revokedAt: now, ...(mine ? {} : { owner: owner.email }) },
    });
    return toTokenDto(updated, now, mine ? undefined : owner);
  });
}
