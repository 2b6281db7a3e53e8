import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Fault injection shared by the fake servers. A test (or `POST /__faults` on a running fake) adds
 * rules; each request is checked against them before the fake handles it. A rule matches by method
 * and path (substring or RegExp) and fires `times` times (default: once), then expires.
 */

export type Fault =
  | { kind: "latency"; ms: number }
  | { kind: "status"; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: "reset" }
  | { kind: "conflict"; body?: unknown };

export type FaultRule = Fault & { method?: string; path: string | RegExp; times?: number };

type Active = FaultRule & { remaining: number; hits: number };

export class Faults {
  private rules: Active[] = [];

  add(rule: FaultRule): this {
    this.rules.push({ ...rule, remaining: rule.times ?? 1, hits: 0 });
    return this;
  }

  clear(): void {
    this.rules = [];
  }

  /** How many times rules matching this path fired. */
  hits(path: string): number {
    return this.rules.filter((r) => String(r.path) === path).reduce((n, r) => n + r.hits, 0);
  }

  private take(method: string, path: string): Active | undefined {
    const rule = this.rules.find(
      (r) =>
        r.remaining !== 0 &&
        (!r.method || r.method.toUpperCase() === method.toUpperCase()) &&
        (typeof r.path === "string" ? path.includes(r.path) : r.path.test(path)),
    );
    if (!rule) return undefined;
    rule.hits++;
    if (rule.remaining > 0) rule.remaining--;
    return rule;
  }

  /**
   * Applies a matching fault. Returns true when the response was handled (the fake must stop),
   * false when the request should proceed (no fault, or latency only).
   */
  async apply(req: IncomingMessage, res: ServerResponse, conflictBody?: unknown): Promise<boolean> {
    const url = req.url ?? "/";
    const rule = this.take(req.method ?? "GET", url.split("?")[0] ?? url);
    if (!rule) return false;
    switch (rule.kind) {
      case "latency":
        await new Promise((r) => setTimeout(r, rule.ms));
        return false;
      case "reset":
        req.socket.destroy();
        return true;
      case "status":
        res.writeHead(rule.status, { "Content-Type": "application/json", ...rule.headers });
        res.end(JSON.stringify(rule.body ?? { message: `injected ${rule.status}` }));
        return true;
      case "conflict":
        res.writeHead(409, { "Content-Type": "application/json" });
        res.end(JSON.stringify(rule.body ?? conflictBody ?? { message: "injected conflict" }));
        return true;
    }
  }

  /**
   * Handles `POST /__faults` (JSON rule, or `{"clear":true}`) so a fake running as its own process
   * (npm run sandbox) can be given faults with curl. Returns true when it handled the request.
   */
  async control(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (!(req.url ?? "").startsWith("/__faults")) return false;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as FaultRule & { clear?: boolean };
      if (body.clear) this.clear();
      else this.add({ ...body, path: body.path ?? "/" });
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ ok: true }));
    } catch (err) {
      res.writeHead(400, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ message: (err as Error).message }));
    }
    return true;
  }
}

/** Reads a request body as text (fakes must accept any Content-Type). */
export async function readBody(req: IncomingMessage, limit = 5 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) throw new Error("body too large");
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** Base URL of a listening server (ephemeral ports: listen on 0). */
export function baseUrl(server: { address(): unknown }): string {
  const addr = server.address() as { port: number };
  return `http://127.0.0.1:${addr.port}`;
}

/**
 * Keeps idle keep-alive connections open longer than any client keeps them (Node's default of 5 s
 * closes them just as a slow test reuses one, which the client sees as ECONNRESET). Fault injection,
 * not timing, decides when a fake drops a connection.
 */
export function keepConnectionsOpen(server: { keepAliveTimeout: number; headersTimeout: number }) {
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 121_000;
}
