import { expect } from "vitest";
import type { AccessContext } from "@/lib/access/service";
import type { Principal } from "@/lib/auth/permissions";
import type { Db } from "@/lib/db/client";
import { UserError } from "@/lib/errors";
import { principalByEmail } from "@/test/support/seeded";

/** The moment the demo mesh is seeded at, and the clock every call in these tests runs on. */
export const NOW = new Date("2026-12-01T10:00:00.000Z");
export const DAY_MS = 86_400_000;
export const later = (days: number, from = NOW) => new Date(from.getTime() + days * DAY_MS);

export const EMAIL = {
  olivia: "olivia.owner@canopy.demo",
  carlos: "carlos.consumer@canopy.demo",
  sofia: "sofia.steward@canopy.demo",
  arjun: "arjun.admin@canopy.demo",
  priya: "priya.nair@canopy.demo",
  tom: "tom.becker@canopy.demo",
  marcus: "marcus.lindqvist@canopy.demo",
  jonas: "jonas.eriksson@canopy.demo",
  hannah: "hannah.okafor@canopy.demo",
  aisha: "aisha.rahman@canopy.demo",
  noah: "noah.fischer@canopy.demo",
  elena: "elena.rossi@canopy.demo",
} as const;
export type Person = keyof typeof EMAIL;

export type People = Record<Person, AccessContext & { user: Principal }>;

/** Every person the tests act as, with the context a server action would give the service. */
export async function loadPeople(db: Db): Promise<People> {
  const entries = await Promise.all(
    (Object.keys(EMAIL) as Person[]).map(async (k) => {
      const user = await principalByEmail(db, EMAIL[k]);
      return [k, { user, actor: { id: user.id, label: user.email, requestId: `test-${k}` } }] as const;
    }),
  );
  return Object.fromEntries(entries) as People;
}

/** Runs `fn`, expecting a UserError; returns it for assertions on status, code, message and fieldErrors. */
export async function refusal(fn: () => Promise<unknown>): Promise<UserError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  expect.fail("expected the call to be refused");
}

export const ACCESS_TARGET = "access_request";

/** The audit actions recorded for one request, oldest first. */
export async function auditActions(db: Db, requestId: string) {
  const events = await db.auditEvent.findMany({ where: { targetType: ACCESS_TARGET, targetId: requestId }, orderBy: { id: "asc" }, select: { action: true, actorLabel: true, after: true } });
  return events;
}

export async function jobsFor(db: Db, requestId: string) {
  return db.job.findMany({ where: { targetType: ACCESS_TARGET, targetId: requestId }, orderBy: { createdAt: "asc" }, select: { kind: true, payload: true, idempotencyKey: true, status: true } });
}

export async function notificationsFor(db: Db, requestId: string) {
  return db.notification.findMany({
    where: { link: `/access/requests/${requestId}` },
    orderBy: { createdAt: "asc" },
    select: { kind: true, title: true, body: true, user: { select: { email: true } } },
  });
}

/** A valid request body for a port; override what a test is about. */
export const ask = (product: string, port: string, extra: Record<string, unknown> = {}) => ({
  product,
  port,
  purpose: "Quarterly revenue analysis for the finance pack.",
  durationDays: 90 as const,
  acceptTerms: true as const,
  ...extra,
});
