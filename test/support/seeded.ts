import type { Principal } from "@/lib/auth/permissions";
import { loadPrincipal } from "@/lib/auth/principal";
import type { Db } from "@/lib/db/client";
import { DEMO_PERSONAS, type DemoPersonaKey } from "@/lib/demo/personas";

/** The principal of a user, as the permission module sees it after sign-in. */
export async function principalByEmail(db: Db, email: string): Promise<Principal> {
  const user = await db.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
  return (await loadPrincipal(db, user.id))!;
}

/** The principal of a seeded demo persona. */
export function personaPrincipal(db: Db, key: DemoPersonaKey): Promise<Principal> {
  return principalByEmail(db, DEMO_PERSONAS.find((p) => p.key === key)!.email);
}
