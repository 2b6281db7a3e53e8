import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { Principal } from "@/lib/auth/permissions";
import type { Db } from "@/lib/db/client";
import { NotFoundError, UserError } from "@/lib/errors";
import { runOperation, type Operation } from "@/lib/http/operation";
import { logger } from "@/lib/log";

const user: Principal = { id: "u1", email: "u1@example.test", name: "U1", roles: [], domains: [], teamIds: [] };
const admin: Principal = { ...user, id: "a1", roles: ["platform_admin"] };
const fakeDb = {} as Db;
const env = (u: Principal | null) => ({ user: u, db: async () => fakeDb, requestId: "req-123456" });

const echo: Operation<z.ZodObject<{ name: z.ZodString }>, string> = {
  name: "echoName",
  input: z.object({ name: z.string().min(2, "Name needs at least 2 characters") }),
  handler: async (_ctx, input) => `hello ${input.name}`,
};

describe("runOperation", () => {
  it("validates input before anything else and reports field errors", async () => {
    const handler = vi.fn();
    const result = await runOperation({ ...echo, handler }, { name: "x" }, env(null));
    expect(result).toEqual({
      ok: false,
      status: 400,
      code: "invalid_input",
      error: "Some fields need attention",
      fieldErrors: { name: ["Name needs at least 2 characters"] },
    });
    expect(handler).not.toHaveBeenCalled();
  });

  it("refuses a caller without a session", async () => {
    const handler = vi.fn();
    const result = await runOperation({ ...echo, handler }, { name: "ok" }, env(null));
    expect(result).toMatchObject({ ok: false, status: 401, code: "unauthenticated" });
    expect(handler).not.toHaveBeenCalled();
  });

  it("checks a resource-free permission before running", async () => {
    const handler = vi.fn();
    const op = { ...echo, permission: "admin.view" as const, handler };
    expect(await runOperation(op, { name: "ok" }, env(user))).toMatchObject({ ok: false, status: 403, code: "forbidden" });
    expect(handler).not.toHaveBeenCalled();
    handler.mockResolvedValue("done");
    expect(await runOperation(op, { name: "ok" }, env(admin))).toEqual({ ok: true, data: "done" });
  });

  it("gives the handler the user, the request id and an audit actor", async () => {
    const result = await runOperation(
      { ...echo, handler: async (ctx) => ({ actor: ctx.actor, requestId: ctx.requestId, db: ctx.db === fakeDb }) },
      { name: "ok" },
      env(user),
    );
    expect(result).toEqual({ ok: true, data: { actor: { id: "u1", label: "u1@example.test", requestId: "req-123456" }, requestId: "req-123456", db: true } });
  });

  it("lets the handler authorize against a resource", async () => {
    const op = {
      ...echo,
      handler: async (ctx: Parameters<typeof echo.handler>[0]) => {
        ctx.authorize("product.read", { id: "p", domainId: "d", status: "draft", ownerIds: ["someone-else"], ownerTeamId: null });
        return "leaked";
      },
    };
    expect(await runOperation(op, { name: "ok" }, env(user))).toMatchObject({ ok: false, status: 404, code: "not_found" });
  });

  it("passes expected errors through with their message", async () => {
    const op = { ...echo, handler: async () => { throw new UserError("Slug already taken", { status: 409, code: "conflict", fieldErrors: { slug: ["taken"] } }); } };
    expect(await runOperation(op, { name: "ok" }, env(user))).toEqual({
      ok: false,
      status: 409,
      code: "conflict",
      error: "Slug already taken",
      fieldErrors: { slug: ["taken"] },
    });
    const nf = { ...echo, handler: async () => { throw new NotFoundError("No such product"); } };
    expect(await runOperation(nf, { name: "ok" }, env(user))).toMatchObject({ status: 404, error: "No such product" });
  });

  it("hides unexpected errors behind a generic message with the request id, and logs them", async () => {
    const logged: unknown[] = [];
    const child = vi.spyOn(logger, "child").mockReturnValue({ error: (...args: unknown[]) => logged.push(args) } as never);
    const op = { ...echo, handler: async () => { throw new Error("connection to 10.0.0.5:5432 refused, password=hunter2"); } };
    const result = await runOperation(op, { name: "ok" }, env(user));
    child.mockRestore();
    expect(result).toEqual({
      ok: false,
      status: 500,
      code: "internal",
      error: "Something went wrong on our side. If it keeps happening, quote reference req-123456.",
    });
    expect(JSON.stringify(result)).not.toContain("hunter2");
    expect(logged).toHaveLength(1);
  });
});
