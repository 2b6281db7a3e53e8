import "server-only";
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { authOptions } from "@/lib/auth/options";
import type { Principal } from "@/lib/auth/permissions";
import { loadPrincipal } from "@/lib/auth/principal";
import { getPrisma } from "@/lib/db/client";

/** The signed-in user for this request, or null. Loaded once per request from the catalogue. */
export const getCurrentUser = cache(async (): Promise<Principal | null> => {
  const session = await getServerSession(authOptions());
  const id = session?.user?.id;
  if (!id) return null;
  return loadPrincipal(await getPrisma(), id);
});

/** For pages: the signed-in user, or a redirect to sign-in that comes back here afterwards. */
export async function requireUser(): Promise<Principal> {
  const user = await getCurrentUser();
  if (user) return user;
  const h = await headers();
  const target = h.get("x-canopy-path") ?? "/";
  redirect(`/signin?callbackUrl=${encodeURIComponent(target)}`);
}

export async function requestId(): Promise<string | undefined> {
  return (await headers()).get("x-request-id") ?? undefined;
}
