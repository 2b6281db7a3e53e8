/**
 * Identifier handling for everything Canopy sends to Trino.
 *
 * No user-written SQL ever reaches Trino: every statement is assembled from identifiers that passed
 * `validateIdentifier` (letters, digits and underscores only), quoted with `quoteIdent`, plus integer
 * limits from `sqlLimit`. Bad input is the caller's mistake, so it raises `UserError` naming the bad
 * part; `IntegrationError` stays reserved for failures of Trino itself.
 */

import { UserError } from "@/lib/errors";
import type { TableRef } from "@/lib/integrations/trino/types";

export type IdentifierKind = "catalog" | "schema" | "table" | "column";

/** Letters, digits and underscores; never starting with a digit. */
export const IDENTIFIER_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const MAX_IDENTIFIER_LENGTH = 128;
/** Suffix of the Iceberg metadata table holding a table's snapshot history. */
export const SNAPSHOTS_SUFFIX = "$snapshots";

const ERROR_CODE = "invalid_trino_identifier";

/** Shows a value in a message without letting control characters or huge inputs through. */
function show(value: unknown): string {
  const text = typeof value === "string" ? value : String(value);
  const cut = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return JSON.stringify(cut);
}

/** The reason a value is not a valid identifier, or null when it is valid. */
function problem(value: unknown): string | null {
  if (typeof value !== "string") return "must be a string";
  if (value.length === 0) return "must not be empty";
  if (value.length > MAX_IDENTIFIER_LENGTH) return `is longer than ${MAX_IDENTIFIER_LENGTH} characters`;
  if (!IDENTIFIER_PATTERN.test(value)) return "must start with a letter or underscore and contain only letters, digits and underscores";
  return null;
}

export function isValidIdentifier(value: unknown): value is string {
  return problem(value) === null;
}

/** Returns the identifier unchanged when valid; throws UserError naming the bad part otherwise. */
export function validateIdentifier(value: unknown, kind: IdentifierKind): string {
  const why = problem(value);
  if (why) throw new UserError(`Invalid Trino ${kind} name ${show(value)}: it ${why}.`, { code: ERROR_CODE });
  return value as string;
}

/**
 * Quotes an identifier for Trino: wrapped in double quotes, embedded double quotes doubled.
 * Quoting alone makes any text a single identifier, but statements must still be built from
 * validated names only (see `qualifiedName`).
 */
export function quoteIdent(name: string): string {
  if (typeof name !== "string" || name.length === 0) throw new UserError("A Trino identifier must not be empty.", { code: ERROR_CODE });
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new UserError(`Invalid Trino identifier ${show(name)}: control characters are not allowed.`, { code: ERROR_CODE });
  return `"${name.replace(/"/g, '""')}"`;
}

/** Validates all three parts of a table reference; returns a copy. */
export function validateTableRef(ref: TableRef): TableRef {
  if (!ref || typeof ref !== "object") throw new UserError("A Trino table needs a catalog, a schema and a table name.", { code: ERROR_CODE });
  return {
    catalog: validateIdentifier(ref.catalog, "catalog"),
    schema: validateIdentifier(ref.schema, "schema"),
    table: validateIdentifier(ref.table, "table"),
  };
}

/** Parses `catalog.schema.table` (the OutputPort.location of trino_table ports). */
export function parseTableRef(text: string): TableRef {
  if (typeof text !== "string" || text.length === 0) {
    throw new UserError("Invalid Trino table: expected catalog.schema.table, got nothing.", { code: ERROR_CODE });
  }
  if (text.length > 3 * MAX_IDENTIFIER_LENGTH + 2) {
    throw new UserError(`Invalid Trino table ${show(text)}: it is too long.`, { code: ERROR_CODE });
  }
  const parts = text.split(".");
  if (parts.length !== 3) {
    throw new UserError(`Invalid Trino table ${show(text)}: expected catalog.schema.table (three names separated by dots), got ${parts.length} part${parts.length === 1 ? "" : "s"}.`, {
      code: ERROR_CODE,
    });
  }
  const kinds: IdentifierKind[] = ["catalog", "schema", "table"];
  parts.forEach((part, i) => {
    const why = problem(part);
    if (why) throw new UserError(`Invalid Trino table ${show(text)}: the ${kinds[i]} name ${show(part)} ${why}.`, { code: ERROR_CODE });
  });
  const [catalog, schema, table] = parts as [string, string, string];
  return { catalog, schema, table };
}

/** `catalog.schema.table`, the inverse of parseTableRef (validates). */
export function formatTableRef(ref: TableRef): string {
  const r = validateTableRef(ref);
  return `${r.catalog}.${r.schema}.${r.table}`;
}

/** `"catalog"."schema"."table"` from validated parts. */
export function qualifiedName(ref: TableRef): string {
  const r = validateTableRef(ref);
  return `${quoteIdent(r.catalog)}.${quoteIdent(r.schema)}.${quoteIdent(r.table)}`;
}

/**
 * `"catalog"."schema"."table$snapshots"`: the only place a `$` may enter an identifier. The table
 * part is validated first, then the fixed suffix is appended inside the quotes.
 */
export function snapshotsTableName(ref: TableRef): string {
  const r = validateTableRef(ref);
  return `${quoteIdent(r.catalog)}.${quoteIdent(r.schema)}.${quoteIdent(`${r.table}${SNAPSHOTS_SUFFIX}`)}`;
}

/**
 * A row limit for SQL: a non-negative integer, capped at `max`. Missing → `fallback` (itself capped).
 */
export function sqlLimit(value: number | undefined, max: number, fallback = max): number {
  if (!Number.isSafeInteger(max) || max < 1) throw new Error(`invalid row cap ${max}`);
  if (value === undefined) return Math.min(Math.max(1, Math.trunc(fallback)), max);
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new UserError(`Invalid row limit ${show(value)}: it must be a whole number of at least 0.`, { code: "invalid_limit" });
  }
  return Math.min(value, max);
}

/**
 * Trino user names travel in the X-Trino-User header: printable ASCII without leading or trailing
 * blanks (e-mail addresses and local parts qualify), at most 256 characters.
 */
export function validateTrinoUser(user: unknown): string {
  if (typeof user !== "string" || user.length === 0) throw new UserError("A Trino user name is required.", { code: "invalid_trino_user" });
  if (user.length > 256 || !/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(user)) {
    throw new UserError(`Invalid Trino user name ${show(user)}: only printable ASCII characters are allowed.`, { code: "invalid_trino_user" });
  }
  return user;
}
