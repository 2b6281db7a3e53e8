/**
 * A small, protocol-faithful Trino coordinator for tests (see docs/external-apis.md §1).
 *
 * - Statement protocol: `POST /v1/statement` (raw SQL body, any Content-Type) answers a QUEUED page
 *   with a `nextUri` and no data; `GET <nextUri>` long-polls through RUNNING pages to the results,
 *   which come in pages of at most `pageSize` rows (default 2, so paging is always exercised), and
 *   a last FINISHED page without `nextUri`. Query errors come back on a 200 page with `error`.
 * - `DELETE <nextUri>` and `DELETE /v1/query/{id}` cancel (the query becomes FAILED, USER_CANCELED);
 *   `GET /v1/query/{id}` returns QueryInfo, 410 without a body for unknown ids; `GET /v1/info`.
 * - Every URL is absolute and points at the fake itself; every JSON reply is `application/json`.
 * - SQL subset, executed against a PGlite instance in which the Trino catalog `iceberg` maps to
 *   PGlite schemas: SHOW CATALOGS | SCHEMAS | TABLES | COLUMNS, DESCRIBE, SELECT (column list, `*`,
 *   `CAST(col AS type)`, literals) FROM a table, `information_schema.{columns,tables,schemata}` or
 *   an Iceberg `"t$snapshots"` metadata table, with WHERE col = literal [AND …], ORDER BY and
 *   LIMIT; GRANT / REVOKE answer NOT_SUPPORTED (Iceberg has no SQL privileges). Anything else
 *   answers SYNTAX_ERROR or NOT_SUPPORTED.
 * - Access control: a per-user deny list answers PERMISSION_DENIED ("Access Denied: …") and hides
 *   the tables from SHOW TABLES and information_schema, like Trino's file-based rules.
 * - Fault injection through `Faults` (and `POST /__faults`).
 *
 * PGlite → Trino types: bigint, integer, smallint, real, double, boolean, date, varchar[(n)],
 * char(n), decimal(p,s), timestamp(p) [with time zone] (values rendered in UTC), uuid, json;
 * jsonb stands for `map(varchar, varchar)` and arrays for `array(…)`.
 */

import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fnv1a } from "@/lib/hash";
import { PGlite } from "@electric-sql/pglite";
import { Faults, readBody, sendJson, keepConnectionsOpen } from "@/test/fakes/faults";

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export type FakeTrinoUser = {
  /** When set, requests authenticating as this user with HTTP Basic must present this password. */
  password?: string;
  /** Tables (`catalog.schema.table`) this user may not read. */
  deny?: string[];
};

export type FakeTrinoOptions = {
  faults?: Faults;
  /** Data for the `iceberg` catalog; a fresh in-memory PGlite is created (and closed) when omitted. */
  data?: PGlite;
  /** Seeds the sample tables (`seedSampleTables`); default: only when the fake creates its own PGlite. */
  seed?: boolean;
  users?: Record<string, FakeTrinoUser>;
  /** Rows per result page (default 2). */
  pageSize?: number;
  /** Artificial execution time: a query stays RUNNING (no data) this long (default 0). */
  runningMs?: number;
  /** How long one GET waits for progress before answering another RUNNING page (default 50). */
  maxWaitMs?: number;
};

export type FakeStatement = { user: string | undefined; sql: string; queryId: string; source?: string; principal?: string };
export type FakeRequest = { method: string; path: string; user: string | undefined; principal?: string };
export type FakeCancellation = { queryId: string; via: "nextUri" | "query" };

export type FakeTrino = {
  url: string;
  close(): Promise<void>;
  faults: Faults;
  /** Every POSTed statement, with the X-Trino-User it carried. */
  statements: FakeStatement[];
  /** Every HTTP request that reached the routes (after fault injection). */
  requests: FakeRequest[];
  /** Every cancellation of a known query. */
  cancellations: FakeCancellation[];
  /** The PGlite holding the `iceberg` catalog. */
  db: PGlite;
  /** Denies (or allows again) `table` (`catalog.schema.table`) to `user`. */
  setDenied(user: string, table: string, denied?: boolean): void;
  /** Changes the artificial RUNNING duration for queries submitted from now on. */
  setRunningMs(ms: number): void;
  /** State of a query (QUEUED, RUNNING, FINISHED, FAILED), undefined when unknown. */
  queryState(queryId: string): string | undefined;
};

// ---------------------------------------------------------------------------------------------
// Errors (io.trino.spi.StandardErrorCode)
// ---------------------------------------------------------------------------------------------

type Location = { lineNumber: number; columnNumber: number };

class TrinoError extends Error {
  constructor(
    readonly errorName: string,
    readonly errorCode: number,
    readonly rawMessage: string,
    readonly location?: Location,
    readonly errorType: "USER_ERROR" | "INTERNAL_ERROR" = "USER_ERROR",
  ) {
    super(location ? `line ${location.lineNumber}:${location.columnNumber}: ${rawMessage}` : rawMessage);
  }

  toJSON() {
    return {
      message: this.message,
      sqlState: null,
      errorCode: this.errorCode,
      errorName: this.errorName,
      errorType: this.errorType,
      ...(this.location ? { errorLocation: this.location } : {}),
      failureInfo: { type: "io.trino.spi.TrinoException", message: this.message, suppressed: [], stack: [] },
    };
  }
}

const ERR = {
  syntax: (msg: string, loc?: Location) => new TrinoError("SYNTAX_ERROR", 1, msg, loc),
  canceled: () => new TrinoError("USER_CANCELED", 3, "Query was canceled"),
  denied: (msg: string) => new TrinoError("PERMISSION_DENIED", 4, `Access Denied: ${msg}`),
  notSupported: (msg: string, loc?: Location) => new TrinoError("NOT_SUPPORTED", 13, msg, loc),
  catalogNotFound: (name: string, loc?: Location) => new TrinoError("CATALOG_NOT_FOUND", 44, `Catalog '${name}' not found`, loc),
  schemaNotFound: (name: string, loc?: Location) => new TrinoError("SCHEMA_NOT_FOUND", 45, `Schema '${name}' does not exist`, loc),
  tableNotFound: (name: string, loc?: Location) => new TrinoError("TABLE_NOT_FOUND", 46, `Table '${name}' does not exist`, loc),
  columnNotFound: (name: string, loc?: Location) => new TrinoError("COLUMN_NOT_FOUND", 47, `Column '${name}' cannot be resolved`, loc),
  // Codes 56/57 (MISSING_CATALOG_NAME / MISSING_SCHEMA_NAME) are unconfirmed.
  missingCatalog: (loc?: Location) => new TrinoError("MISSING_CATALOG_NAME", 56, "Catalog must be specified when session catalog is not set", loc),
  missingSchema: (loc?: Location) => new TrinoError("MISSING_SCHEMA_NAME", 57, "Schema must be specified when session schema is not set", loc),
  internal: (msg: string) => new TrinoError("GENERIC_INTERNAL_ERROR", 65536, msg, undefined, "INTERNAL_ERROR"),
};

// ---------------------------------------------------------------------------------------------
// Tokenizer and parser for the supported subset
// ---------------------------------------------------------------------------------------------

type Tok = { t: "id" | "qid" | "str" | "num" | "op" | "eof"; v: string; pos: number };

function locate(sql: string, pos: number): Location {
  const before = sql.slice(0, pos);
  const lines = before.split("\n");
  return { lineNumber: lines.length, columnNumber: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

function tokenize(sql: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (sql.startsWith("--", i)) {
      while (i < sql.length && sql[i] !== "\n") i++;
    } else if (sql.startsWith("/*", i)) {
      const end = sql.indexOf("*/", i + 2);
      if (end < 0) throw ERR.syntax("mismatched input '/*'. Expecting: <EOF>", locate(sql, i));
      i = end + 2;
    } else if (ch === '"' || ch === "'") {
      const start = i;
      let text = "";
      i++;
      for (;;) {
        if (i >= sql.length) throw ERR.syntax(`mismatched input '${sql.slice(start, start + 20)}'. Expecting: <EOF>`, locate(sql, start));
        if (sql[i] === ch) {
          if (sql[i + 1] === ch) {
            text += ch;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += sql[i];
        i++;
      }
      if (ch === '"' && text.length === 0) throw ERR.syntax("Zero-length delimited identifier not allowed", locate(sql, start));
      toks.push({ t: ch === '"' ? "qid" : "str", v: text, pos: start });
    } else if (/[0-9]/.test(ch)) {
      const m = /^[0-9]+(?:\.[0-9]+)?/.exec(sql.slice(i))!;
      toks.push({ t: "num", v: m[0], pos: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i))!;
      toks.push({ t: "id", v: m[0], pos: i });
      i += m[0].length;
    } else {
      const two = sql.slice(i, i + 2);
      if (two === "<>" || two === "!=" || two === "<=" || two === ">=") {
        toks.push({ t: "op", v: two, pos: i });
        i += 2;
      } else if (".,()*=<>;+-/%".includes(ch)) {
        toks.push({ t: "op", v: ch, pos: i });
        i++;
      } else {
        throw ERR.syntax(`token recognition error at: '${ch}'`, locate(sql, i));
      }
    }
  }
  toks.push({ t: "eof", v: "<EOF>", pos: sql.length });
  return toks;
}

type Name = { name: string; pos: number };
type QName = Name[];
type Literal = string | number | boolean | null;
type SelectItem =
  | { k: "star" }
  | { k: "col"; col: Name; alias?: string }
  | { k: "cast"; col: Name; type: string; alias?: string }
  | { k: "lit"; value: Literal; alias?: string };
type Cond = { col: Name; op: "=" | "<>"; value: Literal };
type OrderKey = { col: Name | number; desc: boolean; nullsFirst: boolean };
type Stmt =
  | { k: "showCatalogs" }
  | { k: "showSchemas"; catalog?: Name }
  | { k: "showTables"; schema?: QName }
  | { k: "showColumns"; table: QName }
  | { k: "select"; items: SelectItem[]; from?: QName; where: Cond[]; orderBy: OrderKey[]; limit?: number }
  | { k: "grant" | "revoke"; target: QName; onSchema: boolean };

const RESERVED = new Set(["from", "where", "order", "limit", "group", "having", "union", "as", "and", "or", "on", "join", "offset", "fetch"]);
const UNSUPPORTED_STATEMENTS = new Set([
  "insert", "update", "delete", "merge", "create", "drop", "alter", "call", "use", "set", "reset", "prepare",
  "execute", "deallocate", "start", "commit", "rollback", "explain", "analyze", "comment", "truncate", "refresh",
  "values", "with", "deny", "table",
]);

class Parser {
  private i = 0;
  constructor(
    private readonly sql: string,
    private readonly toks: Tok[],
  ) {}

  private peek(offset = 0): Tok {
    return this.toks[Math.min(this.i + offset, this.toks.length - 1)]!;
  }
  private next(): Tok {
    const t = this.peek();
    if (t.t !== "eof") this.i++;
    return t;
  }
  private isKw(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.t === "id" && t.v.toLowerCase() === word;
  }
  private isOp(op: string): boolean {
    const t = this.peek();
    return t.t === "op" && t.v === op;
  }
  private fail(expecting: string): never {
    const t = this.peek();
    throw ERR.syntax(`mismatched input '${t.v}'. Expecting: ${expecting}`, locate(this.sql, t.pos));
  }
  private expectKw(word: string) {
    if (!this.isKw(word)) this.fail(`'${word.toUpperCase()}'`);
    this.next();
  }
  private expectOp(op: string) {
    if (!this.isOp(op)) this.fail(`'${op}'`);
    this.next();
  }
  /** Identifiers are case-insensitive in Trino, quoted or not. */
  private ident(): Name {
    const t = this.peek();
    if (t.t !== "id" && t.t !== "qid") this.fail("<identifier>");
    this.next();
    return { name: t.v.toLowerCase(), pos: t.pos };
  }
  private qname(): QName {
    const parts = [this.ident()];
    while (this.isOp(".")) {
      this.next();
      parts.push(this.ident());
    }
    return parts;
  }
  private integer(): number {
    const t = this.peek();
    if (t.t !== "num" || t.v.includes(".")) this.fail("<integer>");
    this.next();
    return Number(t.v);
  }
  private literal(): Literal {
    const t = this.peek();
    if (t.t === "str") return this.next().v;
    if (t.t === "num") return Number(this.next().v);
    if (this.isOp("-") && this.peek(1).t === "num") {
      this.next();
      return -Number(this.next().v);
    }
    if (this.isKw("true") || this.isKw("false")) return this.next().v.toLowerCase() === "true";
    if (this.isKw("null")) {
      this.next();
      return null;
    }
    return this.fail("<literal>");
  }

  parse(): Stmt | { k: "unsupported"; what: string } {
    const first = this.peek();
    let stmt: Stmt | { k: "unsupported"; what: string };
    if (this.isKw("show")) stmt = this.show();
    else if (this.isKw("describe") || this.isKw("desc")) {
      this.next();
      if (this.isKw("input") || this.isKw("output")) return { k: "unsupported", what: "DESCRIBE INPUT/OUTPUT" };
      stmt = { k: "showColumns", table: this.qname() };
    } else if (this.isKw("select")) stmt = this.select();
    else if (this.isKw("grant") || this.isKw("revoke")) stmt = this.grant();
    else if (first.t === "id" && UNSUPPORTED_STATEMENTS.has(first.v.toLowerCase())) return { k: "unsupported", what: first.v.toUpperCase() };
    else
      this.fail(
        "'ALTER', 'ANALYZE', 'CALL', 'COMMENT', 'COMMIT', 'CREATE', 'DEALLOCATE', 'DELETE', 'DENY', 'DESC', 'DESCRIBE', 'DROP', 'EXECUTE', 'EXPLAIN', 'GRANT', 'INSERT', 'MERGE', 'PREPARE', 'REFRESH', 'RESET', 'REVOKE', 'ROLLBACK', 'SET', 'SHOW', 'START', 'TRUNCATE', 'UPDATE', 'USE', <query>",
      );
    if (this.peek().t !== "eof") this.fail("<EOF>");
    return stmt;
  }

  private show(): Stmt | { k: "unsupported"; what: string } {
    this.expectKw("show");
    if (this.isKw("catalogs")) {
      this.next();
      return { k: "showCatalogs" };
    }
    if (this.isKw("schemas")) {
      this.next();
      if (this.isKw("from") || this.isKw("in")) {
        this.next();
        return { k: "showSchemas", catalog: this.ident() };
      }
      return { k: "showSchemas" };
    }
    if (this.isKw("tables")) {
      this.next();
      if (this.isKw("from") || this.isKw("in")) {
        this.next();
        return { k: "showTables", schema: this.qname() };
      }
      return { k: "showTables" };
    }
    if (this.isKw("columns")) {
      this.next();
      if (!this.isKw("from") && !this.isKw("in")) this.fail("'FROM', 'IN'");
      this.next();
      return { k: "showColumns", table: this.qname() };
    }
    const what = this.peek();
    if (what.t === "id") return { k: "unsupported", what: `SHOW ${what.v.toUpperCase()}` };
    return this.fail("'CATALOGS', 'COLUMNS', 'SCHEMAS', 'TABLES'");
  }

  private alias(): string | undefined {
    if (this.isKw("as")) {
      this.next();
      return this.ident().name;
    }
    const t = this.peek();
    if ((t.t === "id" && !RESERVED.has(t.v.toLowerCase())) || t.t === "qid") return this.ident().name;
    return undefined;
  }

  private selectItem(): SelectItem {
    if (this.isOp("*")) {
      this.next();
      return { k: "star" };
    }
    if (this.isKw("cast") && this.peek(1).t === "op" && this.peek(1).v === "(") {
      this.next();
      this.expectOp("(");
      const col = this.ident();
      this.expectKw("as");
      let type = this.ident().name;
      if (this.isOp("(")) {
        this.next();
        const args = [this.integer()];
        while (this.isOp(",")) {
          this.next();
          args.push(this.integer());
        }
        this.expectOp(")");
        type += `(${args.join(",")})`;
      }
      this.expectOp(")");
      return { k: "cast", col, type, alias: this.alias() };
    }
    const t = this.peek();
    if (t.t === "str" || t.t === "num" || this.isOp("-") || this.isKw("true") || this.isKw("false") || this.isKw("null")) {
      return { k: "lit", value: this.literal(), alias: this.alias() };
    }
    return { k: "col", col: this.ident(), alias: this.alias() };
  }

  private select(): Stmt {
    this.expectKw("select");
    if (this.isKw("distinct")) throw ERR.notSupported("This fake Trino does not support SELECT DISTINCT", locate(this.sql, this.peek().pos));
    const items = [this.selectItem()];
    while (this.isOp(",")) {
      this.next();
      items.push(this.selectItem());
    }
    let from: QName | undefined;
    const where: Cond[] = [];
    const orderBy: OrderKey[] = [];
    let limit: number | undefined;
    if (this.isKw("from")) {
      this.next();
      from = this.qname();
    }
    if (this.isKw("where")) {
      this.next();
      for (;;) {
        const col = this.ident();
        const t = this.peek();
        if (t.t !== "op" || !["=", "<>", "!="].includes(t.v)) this.fail("'=', '<>'");
        this.next();
        where.push({ col, op: t.v === "=" ? "=" : "<>", value: this.literal() });
        if (!this.isKw("and")) break;
        this.next();
      }
    }
    if (this.isKw("order")) {
      this.next();
      this.expectKw("by");
      for (;;) {
        const col: Name | number = this.peek().t === "num" ? this.integer() : this.ident();
        let desc = false;
        if (this.isKw("asc") || this.isKw("desc")) desc = this.next().v.toLowerCase() === "desc";
        let nullsFirst = false;
        if (this.isKw("nulls")) {
          this.next();
          if (this.isKw("first")) nullsFirst = true;
          else if (!this.isKw("last")) this.fail("'FIRST', 'LAST'");
          this.next();
        }
        orderBy.push({ col, desc, nullsFirst });
        if (!this.isOp(",")) break;
        this.next();
      }
    }
    if (this.isKw("limit")) {
      this.next();
      if (this.isKw("all")) this.next();
      else limit = this.integer();
    }
    return { k: "select", items, from, where, orderBy, limit };
  }

  private grant(): Stmt {
    const kind = this.next().v.toLowerCase() as "grant" | "revoke";
    // Privileges up to ON: SELECT, INSERT, … | ALL PRIVILEGES; REVOKE may start with GRANT OPTION FOR.
    let guard = 0;
    while (!this.isKw("on")) {
      if (this.peek().t === "eof" || guard++ > 50) this.fail("'ON'");
      this.next();
    }
    this.next();
    let onSchema = false;
    if (this.isKw("schema")) {
      onSchema = true;
      this.next();
    } else if (this.isKw("table")) this.next();
    const target = this.qname();
    this.expectKw(kind === "grant" ? "to" : "from");
    if (this.isKw("user") || this.isKw("role")) this.next();
    this.ident();
    while (this.peek().t !== "eof") this.next(); // WITH GRANT OPTION etc.
    return { k: kind, target, onSchema };
  }
}

// ---------------------------------------------------------------------------------------------
// Types and values
// ---------------------------------------------------------------------------------------------

type Column = { name: string; type: string; comment: string | null; nullable: boolean };
type Relation = { columns: Column[]; rows: unknown[][] };
type PgColumn = { name: string; pgType: string; notNull: boolean; comment: string | null };

/** PostgreSQL format_type() text → Trino type name. */
function trinoType(pgType: string): string {
  const t = pgType.trim();
  if (t.endsWith("[]")) return `array(${trinoType(t.slice(0, -2))})`;
  let m: RegExpExecArray | null;
  if ((m = /^timestamp(?:\((\d)\))? with time zone$/.exec(t))) return `timestamp(${m[1] ?? 6}) with time zone`;
  if ((m = /^timestamp(?:\((\d)\))?(?: without time zone)?$/.exec(t))) return `timestamp(${m[1] ?? 6})`;
  if ((m = /^character varying(?:\((\d+)\))?$/.exec(t))) return m[1] ? `varchar(${m[1]})` : "varchar";
  if ((m = /^character(?:\((\d+)\))?$/.exec(t))) return `char(${m[1] ?? 1})`;
  if ((m = /^numeric(?:\((\d+),(\d+)\))?$/.exec(t))) return m[1] ? `decimal(${m[1]},${m[2]})` : "decimal(38,0)";
  const simple: Record<string, string> = {
    bigint: "bigint",
    integer: "integer",
    smallint: "smallint",
    real: "real",
    "double precision": "double",
    boolean: "boolean",
    date: "date",
    text: "varchar",
    uuid: "uuid",
    json: "json",
    jsonb: "map(varchar, varchar)",
  };
  return simple[t] ?? "varchar";
}

type TypeArg = { kind: "LONG"; value: number } | { kind: "TYPE"; value: TypeSignature };
type TypeSignature = { rawType: string; arguments: TypeArg[] };

/** Trino's ClientTypeSignature for a type name. */
export function typeSignature(type: string): TypeSignature {
  const t = type.trim();
  const withTz = / with time zone$/.test(t);
  const core = withTz ? t.replace(/ with time zone$/, "") : t;
  const open = core.indexOf("(");
  if (open < 0) {
    if (core === "varchar") return { rawType: "varchar", arguments: [{ kind: "LONG", value: 2147483647 }] };
    return { rawType: withTz ? `${core} with time zone` : core, arguments: [] };
  }
  const raw = core.slice(0, open);
  const inner = core.slice(open + 1, core.lastIndexOf(")"));
  const args: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of inner) {
    if (ch === "," && depth === 0) {
      args.push(current.trim());
      current = "";
      continue;
    }
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    current += ch;
  }
  args.push(current.trim());
  return {
    rawType: withTz ? `${raw} with time zone` : raw,
    arguments: args.map((a): TypeArg => (/^\d+$/.test(a) ? { kind: "LONG", value: Number(a) } : { kind: "TYPE", value: typeSignature(a) })),
  };
}

function precisionOf(type: string): number {
  const m = /^timestamp\((\d)\)/.exec(type);
  return m ? Number(m[1]) : 6;
}

/** SQL expression selecting a PGlite column so the value comes back ready for Trino's JSON encoding. */
function selectExpr(col: PgColumn, type: string): string {
  const q = `"${col.name.replace(/"/g, '""')}"`;
  if (type.endsWith("with time zone")) return `to_char(${q} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')`;
  if (type.startsWith("timestamp")) return `to_char(${q}, 'YYYY-MM-DD HH24:MI:SS.US')`;
  if (type === "bigint" || type === "date" || type.startsWith("decimal") || type.startsWith("varchar") || type.startsWith("char") || type === "uuid" || type === "json") {
    return `${q}::text`;
  }
  return q;
}

function fromPg(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  if (type === "bigint") return BigInt(value as string);
  if (type.startsWith("timestamp")) {
    const p = precisionOf(type);
    const [base, frac = ""] = String(value).split(".");
    const text = p > 0 ? `${base}.${frac.padEnd(p, "0").slice(0, p)}` : `${base}`;
    return type.endsWith("with time zone") ? `${text} UTC` : text;
  }
  if (type.startsWith("map(") && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, v === null ? null : typeof v === "string" ? v : JSON.stringify(v)]));
  }
  return value;
}

/** JSON with bigint values written as plain numbers (as Trino does; JavaScript clients lose precision). */
function toJson(body: unknown): string {
  const marker = "\u0000bigint:";
  const text = JSON.stringify(body, (_k, v: unknown) => (typeof v === "bigint" ? `${marker}${v.toString()}` : v));
  return text.replace(/"\\u0000bigint:(-?\d+)"/g, "$1");
}

function castValue(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  const base = type.replace(/\(.*$/, "");
  switch (base) {
    case "varchar":
    case "char":
      if (typeof value === "object") return JSON.stringify(value);
      return String(value);
    case "bigint":
      return BigInt(typeof value === "number" ? Math.trunc(value) : (value as string));
    case "integer":
    case "smallint":
      return Math.trunc(Number(value));
    case "double":
    case "real":
      return Number(value);
    case "boolean":
      return value === true || value === "true";
    default:
      throw ERR.notSupported(`This fake Trino cannot cast to ${type}`);
  }
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === "bigint" || typeof b === "bigint") {
    const x = BigInt(a as bigint);
    const y = BigInt(b as bigint);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  const x = typeof a === "object" ? JSON.stringify(a) : String(a);
  const y = typeof b === "object" ? JSON.stringify(b) : String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function equalsLiteral(value: unknown, lit: Literal): boolean {
  if (value === null || value === undefined || lit === null) return false;
  if (typeof value === "bigint") return typeof lit === "number" && Number.isInteger(lit) && value === BigInt(lit);
  if (typeof value === "number" || typeof value === "boolean") return value === lit;
  return String(value) === String(lit);
}

const hash = fnv1a;

// ---------------------------------------------------------------------------------------------
// Catalog access over PGlite
// ---------------------------------------------------------------------------------------------

const SYSTEM_TABLES: Record<string, string[]> = {
  information_schema: ["columns", "schemata", "tables"],
  jdbc: ["catalogs", "columns", "schemas", "tables", "types"],
  metadata: ["catalogs", "schema_properties", "table_properties"],
  runtime: ["nodes", "queries", "tasks", "transactions"],
};
const INFO_TABLES = ["columns", "schemata", "tables"];
const SNAPSHOT_SUFFIX = "$snapshots";

type TableTarget = { catalog: string; schema: string; table: string; pos: number };

class Catalogs {
  constructor(
    private readonly db: PGlite,
    readonly isDenied: (user: string | undefined, table: string) => boolean,
  ) {}

  catalogs(): string[] {
    return ["iceberg", "system"];
  }

  async schemas(catalog: string): Promise<string[]> {
    if (catalog === "system") return Object.keys(SYSTEM_TABLES).sort();
    const rows = (
      await this.db.query<{ nspname: string }>(
        `SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT IN ('information_schema', 'public')`,
      )
    ).rows.map((r) => r.nspname);
    return [...new Set([...rows, "information_schema"])].sort();
  }

  async tables(catalog: string, schema: string): Promise<string[]> {
    if (catalog === "system") return [...(SYSTEM_TABLES[schema] ?? [])];
    if (schema === "information_schema") return [...INFO_TABLES];
    const rows = await this.db.query<{ relname: string }>(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'v', 'p', 'm') AND position('$' in c.relname) = 0 ORDER BY c.relname`,
      [schema],
    );
    return rows.rows.map((r) => r.relname);
  }

  async pgColumns(schema: string, table: string): Promise<PgColumn[]> {
    const rows = await this.db.query<{ name: string; pgtype: string; notnull: boolean; comment: string | null }>(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS pgtype, a.attnotnull AS notnull,
              col_description(a.attrelid, a.attnum) AS comment
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
      [schema, table],
    );
    return rows.rows.map((r) => ({ name: r.name, pgType: r.pgtype, notNull: r.notnull, comment: r.comment }));
  }

  private async pgTableExists(schema: string, table: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'v', 'p', 'm')`,
      [schema, table],
    );
    return rows.rows.length > 0;
  }

  private async loadPgTable(schema: string, table: string): Promise<Relation> {
    const cols = await this.pgColumns(schema, table);
    const types = cols.map((c) => trinoType(c.pgType));
    const exprs = cols.map((c, i) => `${selectExpr(c, types[i]!)} AS c${i}`);
    const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const result = await this.db.query<Record<string, unknown>>(`SELECT ${exprs.join(", ") || "1"} FROM ${q(schema)}.${q(table)} ORDER BY ctid`);
    return {
      columns: cols.map((c, i) => ({ name: c.name, type: types[i]!, comment: c.comment, nullable: !c.notNull })),
      rows: result.rows.map((r) => cols.map((_c, i) => fromPg(r[`c${i}`], types[i]!))),
    };
  }

  /** Checks catalog and schema; returns the table target (identifiers lower-cased by the parser). */
  async resolve(parts: QName, session: { catalog?: string; schema?: string }): Promise<TableTarget> {
    const last = parts[parts.length - 1]!;
    let catalog: Name;
    let schema: Name;
    if (parts.length === 3) [catalog, schema] = [parts[0]!, parts[1]!];
    else if (parts.length === 2) {
      if (!session.catalog) throw ERR.missingCatalog(loc0(last));
      catalog = { name: session.catalog.toLowerCase(), pos: parts[0]!.pos };
      schema = parts[0]!;
    } else if (parts.length === 1) {
      if (!session.catalog) throw ERR.missingCatalog(loc0(last));
      if (!session.schema) throw ERR.missingSchema(loc0(last));
      catalog = { name: session.catalog.toLowerCase(), pos: last.pos };
      schema = { name: session.schema.toLowerCase(), pos: last.pos };
    } else throw ERR.syntax(`Too many dots in table name: ${parts.map((p) => p.name).join(".")}`, loc0(last));
    if (!this.catalogs().includes(catalog.name)) throw ERR.catalogNotFound(catalog.name, loc0(catalog));
    if (!(await this.schemas(catalog.name)).includes(schema.name)) throw ERR.schemaNotFound(schema.name, loc0(schema));
    return { catalog: catalog.name, schema: schema.name, table: last.name, pos: parts[0]!.pos };
  }

  /** Loads a whole relation; `action` names the privilege checked against the deny list. */
  async load(t: TableTarget, user: string | undefined, action: "select" | "show"): Promise<Relation> {
    const full = `${t.catalog}.${t.schema}.${t.table}`;
    const where = loc0(t);
    if (t.schema === "information_schema") {
      if (!INFO_TABLES.includes(t.table)) throw ERR.tableNotFound(full, where);
      return this.informationSchema(t.catalog, t.table, user);
    }
    if (t.catalog === "system") {
      if (!(SYSTEM_TABLES[t.schema] ?? []).includes(t.table)) throw ERR.tableNotFound(full, where);
      throw ERR.notSupported(`This fake Trino does not serve ${full}`, where);
    }
    let base = t.table;
    let metadata: string | undefined;
    const dollar = t.table.indexOf("$");
    if (dollar >= 0) {
      base = t.table.slice(0, dollar);
      metadata = t.table.slice(dollar);
    }
    if (!(await this.pgTableExists(t.schema, base))) throw ERR.tableNotFound(full, where);
    if (metadata !== undefined && metadata !== SNAPSHOT_SUFFIX) throw ERR.tableNotFound(full, where);
    if (this.isDenied(user, `${t.catalog}.${t.schema}.${base}`)) {
      throw ERR.denied(action === "select" ? `Cannot select from table ${full}` : `Cannot show columns of table ${full}`);
    }
    if (metadata === SNAPSHOT_SUFFIX) {
      if (await this.pgTableExists(t.schema, t.table)) return this.loadPgTable(t.schema, t.table);
      return this.generatedSnapshots(t.catalog, t.schema, base);
    }
    return this.loadPgTable(t.schema, t.table);
  }

  private async generatedSnapshots(catalog: string, schema: string, table: string): Promise<Relation> {
    const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const total = Number((await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${q(schema)}.${q(table)}`)).rows[0]?.n ?? 0);
    const name = `${catalog}.${schema}.${table}`;
    const ids = [0, 1, 2].map((i) => ((BigInt(hash(`${name}#${i}`)) & 0x7fffffffn) << 32n) | BigInt(hash(`${name}@${i}`)));
    const committed = (i: number) => `${new Date(Date.UTC(2025, 0, 10 + i * 7, 8, 0, 0) + (hash(name) % 3_600_000)).toISOString().replace("T", " ").replace("Z", "")} UTC`;
    const perStep = [Math.ceil(total / 2), total - Math.ceil(total / 2), 0];
    let running = 0;
    const rows = ids.map((id, i) => {
      running += perStep[i]!;
      const op = i === 2 ? "overwrite" : "append";
      return [
        committed(i),
        id,
        i === 0 ? null : ids[i - 1]!,
        op,
        `s3://warehouse/${schema}/${table}/metadata/snap-${id}-1.avro`,
        { "added-records": String(perStep[i]), "total-records": String(running), "added-data-files": String(i === 2 ? 0 : 1) },
      ];
    });
    return { columns: SNAPSHOT_COLUMNS, rows };
  }

  private async informationSchema(catalog: string, table: string, user: string | undefined): Promise<Relation> {
    const schemas = catalog === "iceberg" ? (await this.schemas(catalog)).filter((s) => s !== "information_schema") : [];
    const visible = async (schema: string) => (await this.tables(catalog, schema)).filter((t) => !this.isDenied(user, `${catalog}.${schema}.${t}`));
    const varchar = (name: string): Column => ({ name, type: "varchar", comment: null, nullable: true });
    if (table === "schemata") {
      const all = catalog === "system" ? Object.keys(SYSTEM_TABLES) : [...schemas, "information_schema"];
      return { columns: [varchar("catalog_name"), varchar("schema_name")], rows: all.sort().map((s) => [catalog, s]) };
    }
    if (table === "tables") {
      const rows: unknown[][] = [];
      for (const s of schemas) for (const t of await visible(s)) rows.push([catalog, s, t, "BASE TABLE"]);
      return { columns: [varchar("table_catalog"), varchar("table_schema"), varchar("table_name"), varchar("table_type")], rows };
    }
    const rows: unknown[][] = [];
    for (const s of schemas) {
      for (const t of await visible(s)) {
        (await this.pgColumns(s, t)).forEach((c, i) => {
          rows.push([catalog, s, t, c.name, BigInt(i + 1), null, c.notNull ? "NO" : "YES", trinoType(c.pgType), c.comment, null]);
        });
      }
    }
    return {
      columns: [
        varchar("table_catalog"),
        varchar("table_schema"),
        varchar("table_name"),
        varchar("column_name"),
        { name: "ordinal_position", type: "bigint", comment: null, nullable: true },
        varchar("column_default"),
        varchar("is_nullable"),
        varchar("data_type"),
        varchar("comment"),
        varchar("extra_info"),
      ],
      rows,
    };
  }
}

const SNAPSHOT_COLUMNS: Column[] = [
  { name: "committed_at", type: "timestamp(3) with time zone", comment: null, nullable: true },
  { name: "snapshot_id", type: "bigint", comment: null, nullable: true },
  { name: "parent_id", type: "bigint", comment: null, nullable: true },
  { name: "operation", type: "varchar", comment: null, nullable: true },
  { name: "manifest_list", type: "varchar", comment: null, nullable: true },
  { name: "summary", type: "map(varchar, varchar)", comment: null, nullable: true },
];

function loc0(n: { pos: number }): Location {
  // Positions are resolved against the statement text by `execute`, which rewrites this placeholder.
  return { lineNumber: 0, columnNumber: n.pos };
}

// ---------------------------------------------------------------------------------------------
// Statement execution
// ---------------------------------------------------------------------------------------------

type Session = { user?: string; catalog?: string; schema?: string };

function varcharColumn(name: string): Column {
  return { name, type: "varchar", comment: null, nullable: true };
}

async function execute(catalogs: Catalogs, sql: string, session: Session): Promise<Relation> {
  try {
    return await executeParsed(catalogs, sql, session);
  } catch (err) {
    if (err instanceof TrinoError && err.location && err.location.lineNumber === 0) {
      throw new TrinoError(err.errorName, err.errorCode, err.rawMessage, locate(sql, err.location.columnNumber), err.errorType);
    }
    throw err;
  }
}

async function executeParsed(catalogs: Catalogs, sql: string, session: Session): Promise<Relation> {
  const stmt = new Parser(sql, tokenize(sql)).parse();
  switch (stmt.k) {
    case "unsupported":
      throw ERR.notSupported(`This fake Trino does not support ${stmt.what} statements`);
    case "showCatalogs":
      return { columns: [varcharColumn("Catalog")], rows: catalogs.catalogs().map((c) => [c]) };
    case "showSchemas": {
      const catalog = stmt.catalog?.name ?? session.catalog?.toLowerCase();
      if (!catalog) throw ERR.missingCatalog();
      if (!catalogs.catalogs().includes(catalog)) throw ERR.catalogNotFound(catalog, stmt.catalog ? loc0(stmt.catalog) : undefined);
      return { columns: [varcharColumn("Schema")], rows: (await catalogs.schemas(catalog)).map((s) => [s]) };
    }
    case "showTables": {
      const parts = stmt.schema ?? [];
      if (parts.length > 2) throw ERR.syntax(`Too many parts in schema name: ${parts.map((p) => p.name).join(".")}`, loc0(parts[0]!));
      const catalogName = parts.length === 2 ? parts[0]! : session.catalog ? { name: session.catalog.toLowerCase(), pos: 0 } : undefined;
      const schemaName = parts.length === 2 ? parts[1]! : parts.length === 1 ? parts[0]! : session.schema ? { name: session.schema.toLowerCase(), pos: 0 } : undefined;
      if (!catalogName) throw ERR.missingCatalog();
      if (!schemaName) throw ERR.missingSchema();
      if (!catalogs.catalogs().includes(catalogName.name)) throw ERR.catalogNotFound(catalogName.name, loc0(catalogName));
      if (!(await catalogs.schemas(catalogName.name)).includes(schemaName.name)) throw ERR.schemaNotFound(schemaName.name, loc0(schemaName));
      const tables = (await catalogs.tables(catalogName.name, schemaName.name)).filter(
        (t) => !catalogs.isDenied(session.user, `${catalogName.name}.${schemaName.name}.${t}`),
      );
      return { columns: [varcharColumn("Table")], rows: tables.map((t) => [t]) };
    }
    case "showColumns": {
      const target = await catalogs.resolve(stmt.table, session);
      const rel = await catalogs.load(target, session.user, "show");
      return {
        columns: [varcharColumn("Column"), varcharColumn("Type"), varcharColumn("Extra"), varcharColumn("Comment")],
        rows: rel.columns.map((c) => [c.name, c.type, "", c.comment]),
      };
    }
    case "grant":
    case "revoke": {
      const parts = stmt.target;
      if (stmt.onSchema) {
        const catalog = parts.length === 2 ? parts[0]!.name : session.catalog?.toLowerCase();
        if (!catalog) throw ERR.missingCatalog();
        if (!catalogs.catalogs().includes(catalog)) throw ERR.catalogNotFound(catalog, loc0(parts[0]!));
      } else {
        const target = await catalogs.resolve(parts, session);
        if (!(await catalogs.tables(target.catalog, target.schema)).includes(target.table)) {
          throw ERR.tableNotFound(`${target.catalog}.${target.schema}.${target.table}`, loc0(target));
        }
      }
      throw ERR.notSupported(stmt.k === "grant" ? "This connector does not support grants" : "This connector does not support revokes");
    }
    case "select":
      return select(catalogs, stmt, session);
  }
}

async function select(catalogs: Catalogs, stmt: Extract<Stmt, { k: "select" }>, session: Session): Promise<Relation> {
  let rel: Relation = { columns: [], rows: [[]] };
  if (stmt.from) rel = await catalogs.load(await catalogs.resolve(stmt.from, session), session.user, "select");
  const index = (col: Name): number => {
    const i = rel.columns.findIndex((c) => c.name.toLowerCase() === col.name);
    if (i < 0) throw ERR.columnNotFound(col.name, loc0(col));
    return i;
  };
  let rows = rel.rows;
  for (const cond of stmt.where) {
    const i = index(cond.col);
    rows = rows.filter((r) => (cond.op === "=" ? equalsLiteral(r[i], cond.value) : r[i] !== null && !equalsLiteral(r[i], cond.value)));
  }

  // Projection (before ORDER BY so ordinals and aliases resolve against the select list).
  const columns: Column[] = [];
  const getters: ((row: unknown[]) => unknown)[] = [];
  const sources: (number | undefined)[] = [];
  stmt.items.forEach((item, n) => {
    switch (item.k) {
      case "star":
        rel.columns.forEach((c, i) => {
          columns.push(c);
          getters.push((r) => r[i]);
          sources.push(i);
        });
        break;
      case "col": {
        const i = index(item.col);
        columns.push({ ...rel.columns[i]!, name: item.alias ?? rel.columns[i]!.name });
        getters.push((r) => r[i]);
        sources.push(i);
        break;
      }
      case "cast": {
        const i = index(item.col);
        const type = item.type === "varchar" ? "varchar" : item.type;
        columns.push({ name: item.alias ?? `_col${n}`, type, comment: null, nullable: true });
        getters.push((r) => castValue(r[i], type));
        sources.push(undefined);
        break;
      }
      case "lit": {
        const v = item.value;
        const type =
          v === null ? "unknown" : typeof v === "boolean" ? "boolean" : typeof v === "string" ? `varchar(${v.length})` : Number.isInteger(v) ? (Math.abs(v) > 2147483647 ? "bigint" : "integer") : "double";
        columns.push({ name: item.alias ?? `_col${n}`, type, comment: null, nullable: true });
        getters.push(() => v);
        sources.push(undefined);
        break;
      }
    }
  });

  let ordered = rows.map((r) => ({ src: r, out: getters.map((g) => g(r)) }));
  if (stmt.orderBy.length > 0) {
    const keys = stmt.orderBy.map((k) => {
      if (typeof k.col === "number") {
        if (k.col < 1 || k.col > columns.length) throw ERR.syntax(`ORDER BY position ${k.col} is not in select list`);
        const pos = k.col - 1;
        return { get: (x: { out: unknown[] }) => x.out[pos], ...k };
      }
      const name = k.col.name;
      const alias = columns.findIndex((c) => c.name.toLowerCase() === name);
      if (alias >= 0) return { get: (x: { out: unknown[] }) => x.out[alias], ...k };
      const i = index(k.col);
      return { get: (x: { src: unknown[] }) => x.src[i], ...k };
    });
    ordered = [...ordered].sort((a, b) => {
      for (const key of keys) {
        const x = key.get(a);
        const y = key.get(b);
        const xn = x === null || x === undefined;
        const yn = y === null || y === undefined;
        if (xn || yn) {
          if (xn && yn) continue;
          return (xn ? 1 : -1) * (key.nullsFirst ? -1 : 1);
        }
        const c = compareValues(x, y);
        if (c !== 0) return key.desc ? -c : c;
      }
      return 0;
    });
  }
  if (stmt.limit !== undefined) ordered = ordered.slice(0, stmt.limit);
  return { columns, rows: ordered.map((x) => x.out) };
}

// ---------------------------------------------------------------------------------------------
// Sample data
// ---------------------------------------------------------------------------------------------

/** Snapshot ids in the sample `iceberg.sales."orders$snapshots"` table, newest first (beyond 2^53 on purpose). */
export const SAMPLE_SNAPSHOT_IDS = ["8744736658442914487", "5937117119577207000", "3051729675574597004"] as const;

/**
 * Seeds sample tables into a PGlite used as the fake's `iceberg` catalog (or into a running fake's;
 * does nothing when `sales.orders` already exists):
 * - `iceberg.sales.orders` (5 rows, column comments) and its `"orders$snapshots"` history (3 snapshots);
 * - `iceberg.sales.customers` (3 rows);
 * - `iceberg.finance.fx_daily` (2 rows).
 */
export async function seedSampleTables(target: PGlite | { db: PGlite }): Promise<{ seeded: boolean }> {
  const db = target instanceof PGlite ? target : target.db;
  // Idempotent: a second call (startFakeTrino seeds its own PGlite already) changes nothing.
  const existing = await db.query<{ t: string | null }>(`SELECT to_regclass('sales.orders')::text AS t`);
  if (existing.rows[0]?.t) return { seeded: false };
  await db.exec(`
    CREATE SCHEMA IF NOT EXISTS sales;
    CREATE SCHEMA IF NOT EXISTS finance;
    CREATE TABLE sales.orders (
      order_id bigint NOT NULL,
      customer_email varchar NOT NULL,
      shipping_country varchar(2),
      net_amount numeric(12,2) NOT NULL,
      ordered_at timestamp(6) with time zone NOT NULL,
      is_gift boolean NOT NULL
    );
    COMMENT ON COLUMN sales.orders.order_id IS 'Surrogate order key';
    COMMENT ON COLUMN sales.orders.customer_email IS 'E-mail the order confirmation went to';
    COMMENT ON COLUMN sales.orders.net_amount IS 'Order value before tax, in EUR';
    INSERT INTO sales.orders VALUES
      (1001, 'user1@example.com', 'DE', 120.50, '2025-03-01 09:15:00.123456+00', false),
      (1002, 'user2@example.com', 'FR', 75.00, '2025-03-01 10:00:00+00', true),
      (1003, 'user3@example.com', NULL, 12.99, '2025-03-02 11:30:00+00', false),
      (1004, 'user4@example.com', 'SE', 980.10, '2025-03-03 08:05:00+00', false),
      (1005, 'user5@example.com', 'NL', 44.40, '2025-03-04 16:45:00+00', true);
    CREATE TABLE sales."orders$snapshots" (
      committed_at timestamp(3) with time zone,
      snapshot_id bigint,
      parent_id bigint,
      operation varchar,
      manifest_list varchar,
      summary jsonb
    );
    INSERT INTO sales."orders$snapshots" VALUES
      ('2025-03-01 09:20:00.000+00', ${SAMPLE_SNAPSHOT_IDS[2]}, NULL, 'append', 's3://warehouse/sales/orders/metadata/snap-1.avro', '{"added-records":"2","total-records":"2"}'),
      ('2025-03-04 17:00:00.500+00', ${SAMPLE_SNAPSHOT_IDS[0]}, ${SAMPLE_SNAPSHOT_IDS[1]}, 'overwrite', 's3://warehouse/sales/orders/metadata/snap-3.avro', '{"added-records":"1","deleted-records":"0","total-records":"5"}'),
      ('2025-03-03 08:10:00.000+00', ${SAMPLE_SNAPSHOT_IDS[1]}, ${SAMPLE_SNAPSHOT_IDS[2]}, 'append', 's3://warehouse/sales/orders/metadata/snap-2.avro', '{"added-records":"2","total-records":"4"}');
    CREATE TABLE sales.customers (customer_id varchar NOT NULL, full_name varchar, country_code varchar(2), signup_date date);
    INSERT INTO sales.customers VALUES ('CUS-0001', 'Ada Lovelace', 'GB', '2024-01-15'), ('CUS-0002', 'Grace Hopper', 'US', '2024-02-01'), ('CUS-0003', 'Alan Turing', 'GB', '2024-03-12');
    CREATE TABLE finance.fx_daily (rate_date date NOT NULL, base_currency varchar(3), quote_currency varchar(3), rate numeric(18,8));
    COMMENT ON COLUMN finance.fx_daily.rate IS 'Units of quote currency per base currency';
    INSERT INTO finance.fx_daily VALUES ('2025-03-01', 'EUR', 'USD', 1.08123456), ('2025-03-01', 'EUR', 'SEK', 11.20000000);
  `);
  return { seeded: true };
}

// ---------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------

type QueryState = "QUEUED" | "RUNNING" | "FINISHED" | "FAILED";

type FakeQuery = {
  id: string;
  slug: string;
  sql: string;
  session: Session;
  source?: string;
  state: QueryState;
  createdAt: number;
  readyAt: number;
  outcome?: { ok: true; rel: Relation } | { ok: false; error: TrinoError };
  done: Promise<void>;
  pages: Map<number, unknown>;
  lastToken: number;
  cursor: number;
  error?: TrinoError;
};

let queryCounter = 0;

function newQueryId(): string {
  const d = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const stamp = `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}_${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
  queryCounter = (queryCounter + 1) % 100000;
  const suffix = [...randomBytes(5)].map((b) => "abcdefghijklmnopqrstuvwxyz0123456789"[b % 36]).join("");
  return `${stamp}_${p(queryCounter, 5)}_${suffix}`;
}

function decodeBasic(header: string | undefined): { user: string; password: string } | undefined {
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? { user: decoded, password: "" } : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export async function startFakeTrino(opts: FakeTrinoOptions = {}): Promise<FakeTrino> {
  const faults = opts.faults ?? new Faults();
  const ownDb = !opts.data;
  const db = opts.data ?? (await PGlite.create());
  if (opts.seed ?? ownDb) await seedSampleTables(db);
  const pageSize = Math.max(1, opts.pageSize ?? 2);
  const maxWaitMs = opts.maxWaitMs ?? 50;
  let runningMs = opts.runningMs ?? 0;
  const users = opts.users ?? {};

  const denied = new Map<string, Set<string>>();
  for (const [user, u] of Object.entries(users)) for (const t of u.deny ?? []) setDenied(user, t, true);
  function setDenied(user: string, table: string, deny = true) {
    const set = denied.get(user) ?? new Set<string>();
    if (deny) set.add(table.toLowerCase());
    else set.delete(table.toLowerCase());
    denied.set(user, set);
  }
  const isDenied = (user: string | undefined, table: string) => (user !== undefined && denied.get(user)?.has(table.toLowerCase())) ?? false;
  const catalogs = new Catalogs(db, isDenied);

  const statements: FakeStatement[] = [];
  const requests: FakeRequest[] = [];
  const cancellations: FakeCancellation[] = [];
  const queries = new Map<string, FakeQuery>();
  let base = "";

  const stats = (q: FakeQuery, processedRows = 0) => ({
    state: q.state,
    queued: q.state === "QUEUED",
    scheduled: q.state !== "QUEUED",
    nodes: 1,
    totalSplits: 1,
    queuedSplits: 0,
    runningSplits: q.state === "RUNNING" ? 1 : 0,
    completedSplits: q.state === "FINISHED" ? 1 : 0,
    cpuTimeMillis: 1,
    wallTimeMillis: Date.now() - q.createdAt,
    queuedTimeMillis: 0,
    elapsedTimeMillis: Date.now() - q.createdAt,
    processedRows,
    processedBytes: processedRows * 64,
    physicalInputBytes: processedRows * 64,
    peakMemoryBytes: 1024,
    spilledBytes: 0,
  });
  const pageBase = (q: FakeQuery) => ({ id: q.id, infoUri: `${base}/ui/query.html?${q.id}` });
  const nextUri = (q: FakeQuery, token: number) => `${base}/v1/statement/executing/${q.id}/${q.slug}/${token}`;
  const columnsJson = (rel: Relation) => rel.columns.map((c) => ({ name: c.name, type: c.type, typeSignature: typeSignature(c.type) }));
  const failedPage = (q: FakeQuery, error: TrinoError) => {
    q.state = "FAILED";
    q.error = error;
    return { ...pageBase(q), stats: stats(q), warnings: [], error: error.toJSON() };
  };

  function cancel(q: FakeQuery, via: FakeCancellation["via"]) {
    cancellations.push({ queryId: q.id, via });
    if (q.state === "FINISHED" || q.state === "FAILED") return;
    q.state = "FAILED";
    q.error = ERR.canceled();
  }

  async function buildPage(q: FakeQuery, token: number): Promise<unknown> {
    if (q.state === "FAILED") return failedPage(q, q.error ?? ERR.canceled());
    const waitUntil = Date.now() + maxWaitMs;
    // Re-read through a function: a DELETE may cancel the query while this request waits.
    const failed = (x: FakeQuery) => x.state === "FAILED";
    while (Date.now() < waitUntil && (!q.outcome || Date.now() < q.readyAt) && !failed(q)) {
      await Promise.race([q.done, new Promise((r) => setTimeout(r, Math.max(1, Math.min(10, q.readyAt - Date.now()))))]);
    }
    if (failed(q)) return failedPage(q, q.error ?? ERR.canceled());
    if (!q.outcome || Date.now() < q.readyAt) {
      q.state = "RUNNING";
      return { ...pageBase(q), nextUri: nextUri(q, token + 1), stats: stats(q), warnings: [] };
    }
    if (!q.outcome.ok) return failedPage(q, q.outcome.error);
    const rel = q.outcome.rel;
    q.state = "RUNNING";
    if (q.cursor < rel.rows.length) {
      const data = rel.rows.slice(q.cursor, q.cursor + pageSize);
      q.cursor += data.length;
      return { ...pageBase(q), nextUri: nextUri(q, token + 1), columns: columnsJson(rel), data, stats: stats(q, q.cursor), warnings: [] };
    }
    q.state = "FINISHED";
    return { ...pageBase(q), columns: columnsJson(rel), stats: stats(q, q.cursor), warnings: [] };
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const user = (req.headers["x-trino-user"] as string | undefined) ?? undefined;
    const basic = decodeBasic(req.headers.authorization);
    requests.push({ method, path, user, ...(basic ? { principal: basic.user } : {}) });

    if (basic && users[basic.user]?.password !== undefined && users[basic.user]!.password !== basic.password) {
      sendJson(res, 401, { message: "Unauthorized" }, { "WWW-Authenticate": 'Basic realm="Trino"' });
      return;
    }

    if (path === "/v1/info" && method === "GET") {
      sendJson(res, 200, { nodeVersion: { version: "476-fake" }, environment: "test", coordinator: true, starting: false, uptime: "1.00m" });
      return;
    }
    if (path === "/v1/info/state" && method === "GET") {
      sendJson(res, 200, "ACTIVE");
      return;
    }

    if (path === "/v1/statement") {
      if (method !== "POST") return sendJson(res, 405, { message: "Method not allowed" });
      const sql = await readBody(req);
      const q: FakeQuery = {
        id: newQueryId(),
        slug: `y${randomBytes(8).toString("hex")}`,
        sql,
        session: {
          user,
          catalog: (req.headers["x-trino-catalog"] as string | undefined) || undefined,
          schema: (req.headers["x-trino-schema"] as string | undefined) || undefined,
        },
        source: (req.headers["x-trino-source"] as string | undefined) || undefined,
        state: "QUEUED",
        createdAt: Date.now(),
        readyAt: Date.now() + runningMs,
        done: Promise.resolve(),
        pages: new Map(),
        lastToken: 0,
        cursor: 0,
      };
      q.done = execute(catalogs, sql, q.session).then(
        (rel) => {
          q.outcome = { ok: true, rel };
        },
        (err: unknown) => {
          q.outcome = { ok: false, error: err instanceof TrinoError ? err : ERR.internal(err instanceof Error ? err.message : String(err)) };
        },
      );
      queries.set(q.id, q);
      statements.push({ user, sql, queryId: q.id, ...(q.source ? { source: q.source } : {}), ...(basic ? { principal: basic.user } : {}) });
      sendJson(res, 200, {
        ...pageBase(q),
        nextUri: `${base}/v1/statement/queued/${q.id}/${q.slug}/1`,
        stats: stats(q),
        warnings: [],
      });
      return;
    }

    const stmt = /^\/v1\/statement\/(queued|executing)\/([^/]+)\/([^/]+)\/(\d+)$/.exec(path);
    if (stmt) {
      const q = queries.get(stmt[2]!);
      if (!q || q.slug !== stmt[3]) return sendJson(res, 404, { message: "Query not found" });
      const token = Number(stmt[4]);
      if (method === "DELETE") {
        cancel(q, "nextUri");
        res.writeHead(204);
        res.end();
        return;
      }
      if (method !== "GET") return sendJson(res, 405, { message: "Method not allowed" });
      let page = q.pages.get(token);
      if (page === undefined) {
        if (token !== q.lastToken + 1) return sendJson(res, 404, { message: `Invalid token ${token} for query ${q.id}` });
        page = await buildPage(q, token);
        q.pages.set(token, page);
        q.lastToken = token;
      }
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(toJson(page));
      return;
    }

    const info = /^\/v1\/query\/([^/]+)$/.exec(path);
    if (info) {
      const q = queries.get(info[1]!);
      if (method === "DELETE") {
        if (q) cancel(q, "query");
        res.writeHead(204);
        res.end();
        return;
      }
      if (method !== "GET") return sendJson(res, 405, { message: "Method not allowed" });
      if (!q) {
        res.writeHead(410);
        res.end();
        return;
      }
      sendJson(res, 200, {
        queryId: q.id,
        state: q.state,
        query: q.sql,
        self: `${base}/v1/query/${q.id}`,
        session: { user: q.session.user ?? null, source: q.source ?? null, catalog: q.session.catalog ?? null, schema: q.session.schema ?? null },
        ...(q.error ? { errorCode: { code: q.error.errorCode, name: q.error.errorName, type: q.error.errorType }, failureInfo: q.error.toJSON().failureInfo } : {}),
      });
      return;
    }

    sendJson(res, 404, { message: `Not found: ${method} ${path}` });
  }

  const server = createServer((req, res) => {
    void (async () => {
      try {
        if (await faults.control(req, res)) return;
        if (await faults.apply(req, res)) return;
        await route(req, res);
      } catch (err) {
        if (!res.headersSent) sendJson(res, 500, { message: err instanceof Error ? err.message : String(err) });
        else res.destroy();
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
  keepConnectionsOpen(server);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    faults,
    statements,
    requests,
    cancellations,
    db,
    setDenied,
    setRunningMs: (ms: number) => {
      runningMs = ms;
    },
    queryState: (id: string) => queries.get(id)?.state,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownDb && !db.closed) await db.close();
    },
  };
}
