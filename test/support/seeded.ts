import type { Principal } from "@/lib/auth/permissions";
import { loadPrincipal } from "@/lib/auth/principal";
import type { Db } from "@/lib/db/client";
import { DEMO_PERSONAS, type DemoPersonaKey } from "@/lib/demo/personas";

/** The principal of a seeded demo persona, as the permission module sees it after sign-in. */
export async function personaPrincipal(db: Db, key: DemoPersonaKey): Promise<Principal> {
  const persona = DEMO_PERSONAS.find((p) => p.key === key)!;
  const user = await db.user.findUniqueOrThrow({ where: { email: persona.email }, select: { id: true } });
  return (await loadPrincipal(db, user.id))!;
}
