import type { Tone } from "@/components/ui/badge";

/** Display helpers shared by the access pages (client-safe). */

export const STATUS_LABEL: Record<string, string> = {
  pending: "Pending",
  approved: "Approved",
  provisioning: "Provisioning",
  active: "Active",
  rejected: "Rejected",
  failed: "Failed",
  cancelled: "Cancelled",
  expired: "Expired",
  revoked: "Revoked",
};

export const STATUS_TONE: Record<string, Tone> = {
  pending: "blue",
  approved: "green",
  provisioning: "blue",
  active: "green",
  rejected: "red",
  failed: "red",
  cancelled: "gray",
  expired: "gray",
  revoked: "amber",
};

export const day = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleDateString("en-GB", { dateStyle: "medium" }) : "—");
export const dateTime = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" }) : "—";

/** "today", "1 day", "12 days" since `iso`. */
export function age(iso: string, now = Date.now()): string {
  const days = Math.floor((now - new Date(iso).getTime()) / 86_400_000);
  if (days <= 0) {
    const hours = Math.floor((now - new Date(iso).getTime()) / 3_600_000);
    return hours <= 0 ? "just now" : `${hours} h`;
  }
  return days === 1 ? "1 day" : `${days} days`;
}

/** "3 PII, 2 restricted" from a port's column classifications; "no classified columns" when none. */
export function classificationSummary(c: { pii?: number; restricted?: number; confidential?: number; total?: number } | null | undefined): string {
  if (!c) return "—";
  const parts = [
    c.pii ? `${c.pii} PII` : null,
    c.restricted ? `${c.restricted} restricted` : null,
    c.confidential ? `${c.confidential} confidential` : null,
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "no classified columns";
}

export function durationLabel(r: { durationDays?: number | null; expiresAt?: string | null; until?: string | null }): string {
  const until = r.expiresAt ?? r.until ?? null;
  if (until && r.durationDays) return `${r.durationDays} days (until ${day(until)})`;
  if (until) return `until ${day(until)}`;
  return r.durationDays ? `${r.durationDays} days` : "—";
}
