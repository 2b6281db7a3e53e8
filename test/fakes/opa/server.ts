/**
 * A small Open Policy Agent Data API for tests (external-apis.md §5). Policies are plain functions
 * of the input keyed by document path (`canopy/publish/allow`); a function returning undefined is an
 * undefined document, answered like OPA does: 200 with no `result` key. Asking for a parent path
 * (`canopy/publish`) gathers the defined children into an object, as OPA's virtual documents do.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { baseUrl, Faults, readBody, sendJson, keepConnectionsOpen } from "../faults";

export type OpaPolicy = (input: unknown) => unknown;

export type OpaRecordedRequest = { method: string; path: string; query: Record<string, string>; headers: IncomingHttpHeaders; body: unknown };

export type FakeOpa = {
  url: string;
  close(): Promise<void>;
  faults: Faults;
  requests: OpaRecordedRequest[];
  /** Sets (or, with undefined, removes) the policy at a path. */
  setPolicy(path: string, fn: OpaPolicy | undefined): void;
};

class OpaError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startFakeOpa(opts: { policies?: Record<string, OpaPolicy>; faults?: Faults } = {}): Promise<FakeOpa> {
  const faults = opts.faults ?? new Faults();
  const policies = new Map<string, OpaPolicy>(Object.entries(opts.policies ?? {}));
  const requests: OpaRecordedRequest[] = [];

  /** The document at `path`: a policy's value, or an object of the defined documents beneath it. */
  function evaluate(path: string, input: unknown): unknown {
    const fn = policies.get(path);
    if (fn) {
      try {
        return fn(input);
      } catch (err) {
        throw new OpaError(500, "internal_error", `1 error occurred: ${path}: eval_error: ${(err as Error).message}`);
      }
    }
    const prefix = path === "" ? "" : `${path}/`;
    const children = new Set([...policies.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length).split("/")[0]!));
    if (children.size === 0) return undefined;
    const doc: Record<string, unknown> = {};
    for (const child of children) {
      const value = evaluate(`${prefix}${child}`, input);
      if (value !== undefined) doc[child] = value;
    }
    return doc;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    if (await faults.control(req, res)) return;
    const u = new URL(req.url ?? "/", "http://fake");
    const method = (req.method ?? "GET").toUpperCase();
    const text = await readBody(req);
    let body: unknown;
    let bad: string | undefined;
    if (text.trim() !== "") {
      try {
        body = JSON.parse(text);
      } catch (err) {
        bad = (err as Error).message;
      }
    }
    requests.push({ method, path: u.pathname, query: Object.fromEntries(u.searchParams), headers: req.headers, body: bad ? text : body });
    if (await faults.apply(req, res)) return;

    if (u.pathname === "/health" && method === "GET") return sendJson(res, 200, {});
    const m = /^\/v1\/data(?:\/(.*))?$/.exec(u.pathname);
    if (!m || (method !== "POST" && method !== "GET")) {
      return sendJson(res, 404, { code: "resource_not_found", message: `${method} ${u.pathname} not found` });
    }
    const path = (m[1] ?? "").replace(/\/+$/, "");
    let input: unknown;
    if (method === "POST") {
      if (bad) return sendJson(res, 400, { code: "invalid_parameter", message: `body contains malformed input document: ${bad}` });
      if (body !== undefined && (body === null || typeof body !== "object" || Array.isArray(body))) {
        return sendJson(res, 400, { code: "invalid_parameter", message: "body must be a JSON object with an input key" });
      }
      input = (body as { input?: unknown } | undefined)?.input;
    } else {
      const raw = u.searchParams.get("input");
      if (raw !== null) {
        try {
          input = JSON.parse(raw);
        } catch (err) {
          return sendJson(res, 400, { code: "invalid_parameter", message: `input parameter: ${(err as Error).message}` });
        }
      }
    }
    try {
      const result = evaluate(path, input);
      return sendJson(res, 200, result === undefined ? {} : { result, decision_id: randomUUID() });
    } catch (err) {
      if (err instanceof OpaError) return sendJson(res, err.status, { code: err.code, message: err.message });
      throw err;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { code: "internal_error", message: (err as Error).message });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
  keepConnectionsOpen(server);
    server.listen(0, "127.0.0.1", () => resolve());
  });

  return {
    url: baseUrl(server),
    faults,
    requests,
    setPolicy(path, fn) {
      if (fn) policies.set(path, fn);
      else policies.delete(path);
    },
    /** Idempotent: drops open (keep-alive) connections and stops listening. */
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
