import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { config } from "@/lib/config";
import type { Tx } from "@/lib/db/client";
import { UserError } from "@/lib/errors";
import { isTransientNetworkError, isTransientStatus, retry } from "@/lib/integrations/http";
import { enqueueJob } from "@/lib/jobs/outbox";
import type { JobHandler } from "@/lib/jobs/worker";

/**
 * The outgoing webhook. When CANOPY_WEBHOOK_URL is set, every notify() call also becomes one
 * CloudEvents 1.0 event (structured mode: the whole event is the JSON body), written to the outbox in
 * the same transaction as the notification and POSTed by the worker, with retries:
 *
 *   POST <CANOPY_WEBHOOK_URL>
 *   Content-Type: application/cloudevents+json
 *   X-Canopy-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with CANOPY_WEBHOOK_SECRET>
 *
 *   {"specversion":"1.0","id":"…","source":"canopy","type":"io.canopy.access.approved",
 *    "time":"…","subject":"/access/requests/…","datacontenttype":"application/json",
 *    "data":{"kind":"access.approved","title":"…","body":"…","link":"/access/requests/…",
 *            "url":"https://canopy.example.com/access/requests/…","recipients":["…"]}}
 *
 * Receivers answer 2xx to accept. 408, 429 and 5xx (and network failures or time-outs) are retried
 * with backoff; any other answer, redirects included, parks the job as failed with the reason.
 */

export const WEBHOOK_JOB = "notifications.webhook";
export const SIGNATURE_HEADER = "X-Canopy-Signature";
export const CLOUDEVENTS_CONTENT_TYPE = "application/cloudevents+json";
export const EVENT_SOURCE = "canopy";
export const EVENT_TYPE_PREFIX = "io.canopy.";

export type WebhookTarget = { url: string; secret: string };

/** What notify() hands over: the notification and the users it went to. */
export type WebhookEventInput = {
  kind: string;
  title: string;
  body?: string;
  /** A path inside Canopy. */
  link?: string;
  userIds: readonly string[];
};

export type WebhookEventData = {
  kind: string;
  title: string;
  body: string;
  link: string;
  /** The link as an absolute URL, when Canopy knows its public address (NEXTAUTH_URL). */
  url?: string;
  /** E-mail addresses of the users the notification went to. */
  recipients: string[];
};

export type CloudEvent = {
  specversion: "1.0";
  id: string;
  source: string;
  type: string;
  time: string;
  subject?: string;
  datacontenttype: "application/json";
  data: WebhookEventData;
};

/** `sha256=<hex>`: HMAC-SHA256 of the exact bytes sent, keyed with the shared secret. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/** Constant-time check of a signature header against a raw body (what a receiver does). */
export function verifySignature(body: string, header: string | null | undefined, secret: string): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(body, secret));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function buildCloudEvent(input: Omit<WebhookEventInput, "userIds"> & { recipients: string[] }, opts: { id?: string; time?: Date; baseUrl?: string } = {}): CloudEvent {
  const link = input.link ?? "";
  const url = link && opts.baseUrl ? new URL(link, `${opts.baseUrl.replace(/\/$/, "")}/`).toString() : undefined;
  return {
    specversion: "1.0",
    id: opts.id ?? randomUUID(),
    source: EVENT_SOURCE,
    type: `${EVENT_TYPE_PREFIX}${input.kind}`,
    time: (opts.time ?? new Date()).toISOString(),
    ...(link ? { subject: link } : {}),
    datacontenttype: "application/json",
    data: {
      kind: input.kind,
      title: input.title.slice(0, 300),
      body: (input.body ?? "").slice(0, 2000),
      link,
      ...(url ? { url } : {}),
      recipients: input.recipients,
    },
  };
}

/**
 * Writes the webhook job for one notification, in the caller's transaction. Does nothing when no
 * webhook is configured. Returns the event id, or null.
 */
export async function enqueueWebhook(
  tx: Tx,
  event: WebhookEventInput,
  opts: { target?: WebhookTarget | undefined; baseUrl?: string | undefined; now?: Date } = {},
): Promise<string | null> {
  const cfg = "target" in opts ? { webhook: opts.target, auth: { url: opts.baseUrl } } : config();
  if (!cfg.webhook) return null;
  const userIds = [...new Set(event.userIds)];
  const users = userIds.length ? await tx.user.findMany({ where: { id: { in: userIds } }, select: { email: true } }) : [];
  const ce = buildCloudEvent(
    { kind: event.kind, title: event.title, body: event.body, link: event.link, recipients: users.map((u) => u.email).sort() },
    { time: opts.now, baseUrl: cfg.auth.url },
  );
  await enqueueJob(tx, {
    kind: WEBHOOK_JOB,
    payload: ce,
    idempotencyKey: `webhook:${ce.id}`,
    target: { type: "webhook_event", id: ce.id },
    ...(opts.now ? { runAt: opts.now } : {}),
  });
  return ce.id;
}

/** A receiver refused the event; sending it again would not help. */
export class WebhookRejectedError extends UserError {
  static readonly kind: string = "WebhookRejectedError";
  constructor(message: string) {
    super(message, { status: 502, code: "webhook_rejected" });
    this.name = "WebhookRejectedError";
  }
}

/** The receiver could not take the event now (busy, down, slow); worth another attempt. */
export class WebhookUnavailableError extends Error {
  readonly status?: number;
  constructor(message: string, opts: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = "WebhookUnavailableError";
    this.status = opts.status;
  }
}

/** 408 Request Timeout and 429 Too Many Requests ask to come back later; so do 5xx other than 501. */
export const isRetryableStatus = (status: number) => status === 408 || isTransientStatus(status);

export type WebhookDeliveryOptions = {
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
  /** Attempts within one job run before the outbox's own backoff takes over (default 3). */
  attempts?: number;
  baseDelayMs?: number;
  signal?: AbortSignal;
};

const snippet = (text: string) => {
  const t = text.replace(/\s+/g, " ").trim();
  return t ? `: ${t.length > 200 ? `${t.slice(0, 200)}…` : t}` : "";
};

/** POSTs one event; resolves with the receiver's status, throws WebhookRejectedError or WebhookUnavailableError. */
export async function deliverWebhook(event: CloudEvent, target: WebhookTarget, opts: WebhookDeliveryOptions = {}): Promise<{ status: number; attempts: number }> {
  const body = JSON.stringify(event);
  const headers = {
    "Content-Type": CLOUDEVENTS_CONTENT_TYPE,
    [SIGNATURE_HEADER]: signBody(body, target.secret),
    "User-Agent": "canopy-webhook/1",
  };
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let attempts = 0;
  const status = await retry(
    async () => {
      attempts++;
      const signal = opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
      let res: Response;
      try {
        res = await fetch(target.url, { method: "POST", headers, body, redirect: "manual", signal });
      } catch (err) {
        const e = err as Error;
        if (e.name === "TimeoutError") throw new WebhookUnavailableError(`The webhook did not answer within ${timeoutMs} ms`, { cause: err });
        if (opts.signal?.aborted) throw new WebhookUnavailableError("Sending the webhook was cancelled", { cause: err });
        if (isTransientNetworkError(err)) throw new WebhookUnavailableError(`Could not reach the webhook: ${e.message}`, { cause: err });
        throw new WebhookRejectedError(`Could not send the webhook: ${e.message}`);
      }
      const text = await res.text().catch(() => "");
      if (res.ok) return res.status;
      if (res.status >= 300 && res.status < 400) {
        throw new WebhookRejectedError(`The webhook answered ${res.status} (a redirect${res.headers.get("location") ? ` to ${res.headers.get("location")}` : ""}); set CANOPY_WEBHOOK_URL to the final address`);
      }
      if (isRetryableStatus(res.status)) throw new WebhookUnavailableError(`The webhook answered ${res.status}${snippet(text)}`, { status: res.status });
      throw new WebhookRejectedError(`The webhook refused the event with ${res.status}${snippet(text)}`);
    },
    {
      attempts: opts.attempts ?? 3,
      baseDelayMs: opts.baseDelayMs ?? 250,
      maxDelayMs: 2_000,
      isTransient: (err) => err instanceof WebhookUnavailableError,
      signal: opts.signal,
    },
  );
  return { status, attempts };
}

/**
 * The outbox handler. Reads the webhook's address and secret when it runs (never stored with the
 * job); a job left over after the webhook was switched off is dropped as done.
 */
export function webhookHandler(opts: WebhookDeliveryOptions & { target?: () => WebhookTarget | undefined } = {}): JobHandler {
  const target = opts.target ?? (() => config().webhook);
  return async (job, { signal, log }) => {
    const event = job.payload as CloudEvent;
    const t = target();
    if (!t) return { delivered: false, reason: "CANOPY_WEBHOOK_URL is not configured any more" };
    const { status, attempts } = await deliverWebhook(event, t, { ...opts, signal });
    log.info({ eventId: event.id, type: event.type, status, attempts }, "webhook delivered");
    return { delivered: true, eventId: event.id, type: event.type, status, attempts };
  };
}
