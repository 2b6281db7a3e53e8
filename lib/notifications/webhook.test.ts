import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseConfig, ConfigError, resetConfigForTests } from "@/lib/config";
import { createWorker } from "@/lib/jobs/worker";
import { notify } from "@/lib/notifications/service";
import {
  buildCloudEvent,
  deliverWebhook,
  enqueueWebhook,
  verifySignature,
  WEBHOOK_JOB,
  WebhookRejectedError,
  WebhookUnavailableError,
  webhookHandler,
  type CloudEvent,
} from "@/lib/notifications/webhook";
import { describeEachDatabase } from "@/test/support/db";

const SECRET = "s".repeat(24) + "-webhook-secret-42";

/** A receiver on 127.0.0.1 that records each request and answers from a script (default 204). */
type Received = { method: string; url: string; headers: IncomingHttpHeaders; body: string };
type Answer = { status: number; body?: string; delayMs?: number; headers?: Record<string, string> };

function startReceiver() {
  const received: Received[] = [];
  const script: Answer[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const a = script.shift() ?? { status: 204 };
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(a.status, { "content-type": "text/plain", ...a.headers });
        res.end(a.body ?? "");
      };
      if (a.delayMs) setTimeout(send, a.delayMs);
      else send();
    });
  });
  return {
    received,
    script,
    async listen() {
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/canopy`;
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

const event = (over: Partial<Parameters<typeof buildCloudEvent>[0]> = {}) =>
  buildCloudEvent({ kind: "access.approved", title: "Access to Sales Orders / orders approved", body: "Olivia approved your request.", link: "/access/requests/abc", recipients: ["carlos@example.com"], ...over });

describe("webhook delivery", () => {
  const receiver = startReceiver();
  let url: string;
  beforeAll(async () => {
    url = await receiver.listen();
  });
  afterAll(() => receiver.close());
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.script.length = 0;
  });

  it("POSTs a CloudEvents 1.0 structured-mode event whose signature the receiver can verify", async () => {
    const ce = buildCloudEvent(
      { kind: "access.expired", title: "Access to Sales Orders / orders expired", body: "It ended.", link: "/access/requests/r1", recipients: ["a@x.io", "b@x.io"] },
      { id: "evt-1", time: new Date("2026-12-01T10:00:00Z"), baseUrl: "https://canopy.example.com/" },
    );
    const out = await deliverWebhook(ce, { url, secret: SECRET });
    expect(out).toEqual({ status: 204, attempts: 1 });

    const [req] = receiver.received;
    expect(req!.method).toBe("POST");
    expect(req!.url).toBe("/hooks/canopy");
    expect(req!.headers["content-type"]).toBe("application/cloudevents+json");
    expect(JSON.parse(req!.body)).toEqual({
      specversion: "1.0",
      id: "evt-1",
      source: "canopy",
      type: "io.canopy.access.expired",
      time: "2026-12-01T10:00:00.000Z",
      subject: "/access/requests/r1",
      datacontenttype: "application/json",
      data: {
        kind: "access.expired",
        title: "Access to Sales Orders / orders expired",
        body: "It ended.",
        link: "/access/requests/r1",
        url: "https://canopy.example.com/access/requests/r1",
        recipients: ["a@x.io", "b@x.io"],
      },
    });
    // The signature is the HMAC-SHA256 of the raw body, as any receiver computes it.
    const header = req!.headers["x-canopy-signature"] as string;
    expect(header).toBe(`sha256=${createHmac("sha256", SECRET).update(req!.body).digest("hex")}`);
    expect(verifySignature(req!.body, header, SECRET)).toBe(true);
    expect(verifySignature(req!.body, header, "another-secret-of-enough-length-000")).toBe(false);
    expect(verifySignature(`${req!.body} `, header, SECRET)).toBe(false);
    expect(verifySignature(req!.body, undefined, SECRET)).toBe(false);
  });

  it("retries 500, 408 and 429 within a run, with the same body and event id", async () => {
    receiver.script.push({ status: 500, body: "boom" }, { status: 408 }, { status: 429 }, { status: 200 });
    const ce = event();
    const out = await deliverWebhook(ce, { url, secret: SECRET }, { attempts: 4, baseDelayMs: 1 });
    expect(out).toEqual({ status: 200, attempts: 4 });
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    expect(JSON.parse(receiver.received[0]!.body).id).toBe(ce.id);
  });

  it("gives up at once on a refusal, with the receiver's reason", async () => {
    receiver.script.push({ status: 400, body: "unknown event type" });
    const err = await deliverWebhook(event(), { url, secret: SECRET }, { attempts: 3, baseDelayMs: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebhookRejectedError);
    expect((err as Error).message).toBe("The webhook refused the event with 400: unknown event type");
    expect(receiver.received).toHaveLength(1);
  });

  it("does not follow redirects (the signed body would go somewhere else)", async () => {
    receiver.script.push({ status: 308, headers: { location: "https://elsewhere.example.com/hook" } });
    const err = await deliverWebhook(event(), { url, secret: SECRET }, { attempts: 3, baseDelayMs: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebhookRejectedError);
    expect((err as Error).message).toContain("redirect to https://elsewhere.example.com/hook");
    expect(receiver.received).toHaveLength(1);
  });

  it("treats a slow or unreachable receiver as worth another try", async () => {
    receiver.script.push({ status: 200, delayMs: 500 });
    const slow = await deliverWebhook(event(), { url, secret: SECRET }, { attempts: 1, timeoutMs: 50 }).catch((e: unknown) => e);
    expect(slow).toBeInstanceOf(WebhookUnavailableError);
    expect((slow as Error).message).toBe("The webhook did not answer within 50 ms");

    const closed = startReceiver();
    const gone = await closed.listen();
    await closed.close();
    const down = await deliverWebhook(event(), { url: gone, secret: SECRET }, { attempts: 1 }).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(WebhookUnavailableError);
    expect((down as Error).message).toMatch(/^Could not reach the webhook/);
  });
});

describe("webhook configuration", () => {
  const problems = (env: Record<string, string>) => {
    try {
      parseConfig(env, "/srv/canopy");
      return [];
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
  };
  const production = { NODE_ENV: "production", DATABASE_URL: "postgres://db/canopy", NEXTAUTH_SECRET: "n".repeat(40), CANOPY_DEMO_LOGIN: "true" };

  it("is off unless a URL is set", () => {
    expect(parseConfig({}, "/srv/canopy").webhook).toBeUndefined();
  });

  it("needs a secret of at least 32 characters with the URL", () => {
    expect(problems({ CANOPY_WEBHOOK_URL: "https://hooks.example.com/canopy" })).toEqual([
      "CANOPY_WEBHOOK_SECRET is required when CANOPY_WEBHOOK_URL is set (receivers verify each event's signature with it)",
    ]);
    expect(problems({ CANOPY_WEBHOOK_URL: "https://hooks.example.com/canopy", CANOPY_WEBHOOK_SECRET: "short" })).toEqual([
      "CANOPY_WEBHOOK_SECRET must be at least 32 characters long",
    ]);
    expect(problems({ CANOPY_WEBHOOK_SECRET: SECRET })).toEqual(["CANOPY_WEBHOOK_URL is required when CANOPY_WEBHOOK_SECRET is set"]);
    expect(problems({ CANOPY_WEBHOOK_URL: "ftp://hooks.example.com", CANOPY_WEBHOOK_SECRET: SECRET })).toEqual([
      'CANOPY_WEBHOOK_URL must be an http(s) URL, got "ftp://hooks.example.com"',
    ]);
  });

  it("requires https in production mode", () => {
    expect(problems({ ...production, CANOPY_WEBHOOK_URL: "http://hooks.example.com/canopy", CANOPY_WEBHOOK_SECRET: SECRET })).toEqual([
      "CANOPY_WEBHOOK_URL must be an https URL in production mode",
    ]);
    expect(parseConfig({ ...production, CANOPY_WEBHOOK_URL: "https://hooks.example.com/canopy", CANOPY_WEBHOOK_SECRET: SECRET }).webhook).toEqual({
      url: "https://hooks.example.com/canopy",
      secret: SECRET,
    });
    // Plain http is fine outside production (a receiver on the same machine).
    expect(parseConfig({ CANOPY_WEBHOOK_URL: "http://127.0.0.1:9000/hook", CANOPY_WEBHOOK_SECRET: SECRET }).webhook?.url).toBe("http://127.0.0.1:9000/hook");
  });
});

describeEachDatabase("webhook events through the outbox", (testDb) => {
  const receiver = startReceiver();
  let url: string;
  let users: { id: string; email: string }[];
  let clock: Date;
  const db = () => testDb().prisma;

  beforeAll(async () => {
    url = await receiver.listen();
    users = await Promise.all(
      ["ada@example.com", "bob@example.com"].map((email) => db().user.create({ data: { email, name: email.split("@")[0]!, provider: "demo" }, select: { id: true, email: true } })),
    );
  });
  afterAll(() => receiver.close());
  beforeEach(async () => {
    receiver.received.length = 0;
    receiver.script.length = 0;
    await db().job.deleteMany({});
    clock = new Date(Date.now() + 60_000);
  });
  afterEach(() => {
    delete process.env.CANOPY_WEBHOOK_URL;
    delete process.env.CANOPY_WEBHOOK_SECRET;
    resetConfigForTests();
  });

  const configure = () => {
    process.env.CANOPY_WEBHOOK_URL = url;
    process.env.CANOPY_WEBHOOK_SECRET = SECRET;
    resetConfigForTests();
  };
  const webhookJobs = () => db().job.findMany({ where: { kind: WEBHOOK_JOB }, orderBy: { createdAt: "asc" } });
  const worker = (attempts = 1) =>
    createWorker({ db: db(), handlers: { [WEBHOOK_JOB]: webhookHandler({ target: () => ({ url, secret: SECRET }), attempts, baseDelayMs: 1 }) }, now: () => clock, backoff: { baseMs: 1_000, maxMs: 1_000 } });

  it("enqueues nothing when no webhook is configured", async () => {
    await db().$transaction((tx) => notify(tx, { userIds: [users[0]!.id], kind: "access.approved", title: "Approved" }));
    expect(await webhookJobs()).toEqual([]);
  });

  it("makes one event per notify() call, listing every recipient, in the same transaction", async () => {
    configure();
    await db().$transaction((tx) =>
      notify(tx, { userIds: [users[1]!.id, users[0]!.id, users[0]!.id], kind: "access.requested", title: "Bob requests access", body: "For 90 days.", link: "/access/requests/r9" }),
    );
    const [job, ...more] = await webhookJobs();
    expect(more).toEqual([]);
    const ce = job!.payload as CloudEvent;
    expect(ce).toMatchObject({
      specversion: "1.0",
      source: "canopy",
      type: "io.canopy.access.requested",
      subject: "/access/requests/r9",
      data: { kind: "access.requested", title: "Bob requests access", body: "For 90 days.", link: "/access/requests/r9", recipients: ["ada@example.com", "bob@example.com"] },
    });
    expect(job!.idempotencyKey).toBe(`webhook:${ce.id}`);
    // The secret never reaches the database.
    expect(JSON.stringify(job)).not.toContain(SECRET);

    // A change that rolls back takes its event with it.
    await expect(
      db().$transaction(async (tx) => {
        await notify(tx, { userIds: [users[0]!.id], kind: "access.rejected", title: "Rejected" });
        throw new Error("the decision failed");
      }),
    ).rejects.toThrow("the decision failed");
    expect(await webhookJobs()).toHaveLength(1);
  });

  it("retries a 500 through the outbox and then delivers the same signed event", async () => {
    const id = await db().$transaction((tx) =>
      enqueueWebhook(tx, { kind: "access.expired", title: "Expired", userIds: [users[0]!.id] }, { target: { url, secret: SECRET }, now: clock }),
    );
    receiver.script.push({ status: 500, body: "receiver is restarting" });
    const w = worker();

    expect(await w.runOnce()).toBe(1);
    let [job] = await webhookJobs();
    expect(job).toMatchObject({ status: "pending", attempts: 1, lastError: "The webhook answered 500: receiver is restarting" });

    clock = new Date(clock.getTime() + 1_000);
    expect(await w.runOnce()).toBe(1);
    [job] = await webhookJobs();
    expect(job).toMatchObject({ status: "succeeded", attempts: 2, result: { delivered: true, eventId: id, status: 204 } });
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
    for (const r of receiver.received) expect(verifySignature(r.body, r.headers["x-canopy-signature"] as string, SECRET)).toBe(true);
    expect(JSON.parse(receiver.received[1]!.body)).toMatchObject({ id, data: { recipients: ["ada@example.com"] } });
  });

  it("parks the job on a 400, keeping the receiver's answer", async () => {
    await db().$transaction((tx) => enqueueWebhook(tx, { kind: "access.revoked", title: "Revoked", userIds: [users[1]!.id] }, { target: { url, secret: SECRET }, now: clock }));
    receiver.script.push({ status: 400, body: "invalid signature" });
    expect(await worker(3).drain()).toBe(1);
    const [job] = await webhookJobs();
    expect(job).toMatchObject({ status: "failed", attempts: 1, lastError: "The webhook refused the event with 400: invalid signature" });
    expect(receiver.received).toHaveLength(1);
  });

  it("drops a leftover event as done when the webhook was switched off", async () => {
    await db().$transaction((tx) => enqueueWebhook(tx, { kind: "access.active", title: "Active", userIds: [] }, { target: { url, secret: SECRET }, now: clock }));
    const w = createWorker({ db: db(), handlers: { [WEBHOOK_JOB]: webhookHandler({ target: () => undefined }) }, now: () => clock });
    expect(await w.drain()).toBe(1);
    const [job] = await webhookJobs();
    expect(job).toMatchObject({ status: "succeeded", result: { delivered: false } });
    expect(receiver.received).toEqual([]);
  });
});
