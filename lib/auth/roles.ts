import type { Principal } from "@/lib/auth/permissions";

/** The most senior role of a user, for display. */
export function roleLabel(user: Principal): string {
  if (user.roles.includes("platform_admin")) return "Platform admin";
  if (user.domains.some((d) => d.role === "steward")) return "Domain steward";
  if (user.ownsProducts) return "Product owner";
  return "Consumer";
}
