import { z } from "zod";
import { trinoUserName, type TrinoUserMapping } from "@/lib/access/trino-rules";
import { ForbiddenError, NotFoundError, UserError } from "@/lib/errors";
import type { Operation, OperationContext } from "@/lib/http/operation";
import { IntegrationError } from "@/lib/integrations/http";
import type { TrinoColumn, TrinoQueryEngine } from "@/lib/integrations/trino/types";

/**
 * Schema browsing for the wizard's table import: catalogs → schemas → tables → columns, asked of
 * Trino as the signed-in user, so Trino's own rules decide what each person sees. Names are
 * validated by the adapter (UserError naming the bad part); Trino's failures become messages a
 * user can act on.
 */

export type TrinoBrowseDeps = {
  trino: () => Promise<TrinoQueryEngine>;
  userMapping: () => TrinoUserMapping;
};

const name = (label: string) => z.string({ error: `Give a ${label} name` }).min(1, `Give a ${label} name`).max(200, `The ${label} name is too long`);

async function ask<T>(ctx: OperationContext, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof IntegrationError)) throw err;
    const detail = err.message.replace(/^Trino query failed: /, "");
    if (err.reason === "PERMISSION_DENIED" || err.status === 403) {
      throw new ForbiddenError(`Trino refused to ${what} for you: ${detail}`);
    }
    if (err.status === 404) throw new NotFoundError(`Trino could not ${what}: ${detail}`);
    ctx.log.warn({ err, reason: err.reason }, "trino browse failed");
    throw new UserError(
      err.transient
        ? `Trino is not answering right now, so Canopy could not ${what}. Try again in a moment.`
        : `Trino could not ${what}. Try again; if it keeps failing, tell your platform team (reference ${ctx.requestId}).`,
      { status: 502, code: "upstream" },
    );
  }
}

export function trinoBrowseOperations(deps: TrinoBrowseDeps) {
  const userOf = (ctx: OperationContext) => trinoUserName(ctx.user.email, deps.userMapping());

  const catalogs: Operation<z.ZodObject<Record<string, never>>, { catalogs: string[] }> = {
    name: "listTrinoCatalogs",
    input: z.object({}),
    permission: "catalog.browse",
    handler: async (ctx) => {
      const trino = await deps.trino();
      return { catalogs: await ask(ctx, "list the catalogs", () => trino.listCatalogs(userOf(ctx))) };
    },
  };

  const schemasInput = z.object({ catalog: name("catalog") });
  const schemas: Operation<typeof schemasInput, { catalog: string; schemas: string[] }> = {
    name: "listTrinoSchemas",
    input: schemasInput,
    permission: "catalog.browse",
    handler: async (ctx, { catalog }) => {
      const trino = await deps.trino();
      return { catalog, schemas: await ask(ctx, `list the schemas of ${catalog}`, () => trino.listSchemas(userOf(ctx), catalog)) };
    },
  };

  const tablesInput = z.object({ catalog: name("catalog"), schema: name("schema") });
  const tables: Operation<typeof tablesInput, { catalog: string; schema: string; tables: string[] }> = {
    name: "listTrinoTables",
    input: tablesInput,
    permission: "catalog.browse",
    handler: async (ctx, { catalog, schema }) => {
      const trino = await deps.trino();
      return { catalog, schema, tables: await ask(ctx, `list the tables of ${catalog}.${schema}`, () => trino.listTables(userOf(ctx), catalog, schema)) };
    },
  };

  const columnsInput = z.object({ catalog: name("catalog"), schema: name("schema"), table: name("table") });
  const columns: Operation<typeof columnsInput, { catalog: string; schema: string; table: string; columns: TrinoColumn[] }> = {
    name: "describeTrinoTable",
    input: columnsInput,
    permission: "catalog.browse",
    handler: async (ctx, ref) => {
      const trino = await deps.trino();
      const cols = await ask(ctx, `describe ${ref.catalog}.${ref.schema}.${ref.table}`, () => trino.describeTable(userOf(ctx), ref));
      return { ...ref, columns: cols };
    },
  };

  return { catalogs, schemas, tables, columns };
}
