import type { Tx } from "@/lib/db/client";
import { contractSpec, type ContractSpec } from "@/lib/products/spec";

/**
 * Who approves access to a port. The port's contract names the approvers of the first step
 * (`approvers`, ODCS roles[].firstLevelApprovers) and, optionally, of a second step
 * (`secondLevelApprovers`). Names are e-mail addresses, resolved to Canopy users when the request is
 * made; addresses without an account are ignored. A step whose list resolves to nobody is decided by
 * the product's owners. Stewards of the product's domain and platform admins may decide any step
 * (see "access.decide" in the permission module).
 */

const EMPTY_CONTRACT: ContractSpec = contractSpec.parse({});

/** The contract stored on a port, with defaults; a malformed one counts as empty rather than failing a request. */
export function readContract(stored: unknown): ContractSpec {
  const parsed = contractSpec.safeParse(stored ?? {});
  return parsed.success ? parsed.data : EMPTY_CONTRACT;
}

export type ResolvedApprovers = {
  /** Approvers of step 1 (empty: the product's owners). */
  approverIds: string[];
  /** Approvers of step 2, when there is one (empty: the product's owners). */
  secondApproverIds: string[];
  /** 2 when the contract sets a second step. */
  levels: 1 | 2;
};

async function idsOf(tx: Tx, emails: readonly string[]): Promise<string[]> {
  if (!emails.length) return [];
  const users = await tx.user.findMany({
    where: { OR: emails.map((e) => ({ email: { equals: e, mode: "insensitive" as const } })) },
    select: { id: true, email: true },
  });
  // Keep the contract's order, once each.
  const byEmail = new Map(users.map((u) => [u.email.toLowerCase(), u.id]));
  return [...new Set(emails.map((e) => byEmail.get(e.toLowerCase())).filter((id): id is string => !!id))];
}

export async function resolveApprovers(tx: Tx, contract: ContractSpec): Promise<ResolvedApprovers> {
  const [approverIds, secondApproverIds] = await Promise.all([idsOf(tx, contract.approvers), idsOf(tx, contract.secondLevelApprovers)]);
  return { approverIds, secondApproverIds, levels: contract.secondLevelApprovers.length ? 2 : 1 };
}

/** The owners of a product: its direct owners and the members of its owning team. */
export async function productOwnerIds(tx: Tx, productId: string): Promise<string[]> {
  const p = await tx.dataProduct.findUnique({
    where: { id: productId },
    select: { owners: { select: { userId: true } }, ownerTeam: { select: { members: { select: { userId: true } } } } },
  });
  if (!p) return [];
  return [...new Set([...p.owners.map((o) => o.userId), ...(p.ownerTeam?.members.map((m) => m.userId) ?? [])])];
}

/**
 * The people to tell that a step waits for a decision: the named approvers of the step, else the
 * product's owners, else (a product nobody owns) the stewards of its domain. Never the requester.
 */
export async function stepDeciderIds(
  tx: Tx,
  request: { requesterId: string; approverIds: readonly string[]; product: { id: string; domainId: string } },
): Promise<string[]> {
  let ids = request.approverIds.length ? [...request.approverIds] : await productOwnerIds(tx, request.product.id);
  ids = ids.filter((id) => id !== request.requesterId);
  if (ids.length) return ids;
  const stewards = await tx.domainMember.findMany({ where: { domainId: request.product.domainId, role: "steward" }, select: { userId: true } });
  return stewards.map((s) => s.userId).filter((id) => id !== request.requesterId);
}

/** A port's classification, or its product's when the port has none. */
export const effectiveClassification = (port: { classification: string | null }, product: { classification: string }) =>
  port.classification ?? product.classification;
