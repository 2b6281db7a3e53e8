import { describe, expect, it } from "vitest";
import { UserError } from "@/lib/errors";
import {
  formatTableRef,
  isValidIdentifier,
  parseTableRef,
  qualifiedName,
  quoteIdent,
  snapshotsTableName,
  sqlLimit,
  validateIdentifier,
  validateTableRef,
  validateTrinoUser,
} from "@/lib/integrations/trino/identifiers";

function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error("expected a UserError");
}

describe("validateIdentifier", () => {
  it("accepts letters, digits and underscores not starting with a digit, up to 128 characters", () => {
    for (const ok of ["orders", "Orders", "_tmp", "fx_daily_v2", "a", "x".repeat(128)]) expect(validateIdentifier(ok, "table")).toBe(ok);
  });

  it("refuses everything else, naming the kind and the value", () => {
    const cases: [unknown, RegExp][] = [
      ["", /must not be empty/],
      ["1orders", /must start with a letter/],
      ['or"ders', /only letters, digits and underscores/],
      ["orders;", /only letters/],
      ["a--b", /only letters/],
      ["a b", /only letters/],
      ["orders$snapshots", /only letters/],
      ["sales.orders", /only letters/],
      ["ördnung", /only letters/],
      ["x".repeat(129), /longer than 128/],
      [42, /must be a string/],
    ];
    for (const [value, why] of cases) {
      const err = userError(() => validateIdentifier(value, "schema"));
      expect(err.message).toMatch(/^Invalid Trino schema name/);
      expect(err.message).toMatch(why);
      expect(err.status).toBe(400);
      expect(isValidIdentifier(value)).toBe(false);
    }
  });

  it("does not echo control characters or huge inputs into messages", () => {
    const err = userError(() => validateIdentifier(`a\nb${"y".repeat(500)}`, "table"));
    expect(err.message).not.toContain("\n");
    expect(err.message.length).toBeLessThan(300);
  });
});

describe("quoteIdent", () => {
  it("wraps in double quotes and doubles embedded quotes", () => {
    expect(quoteIdent("orders")).toBe('"orders"');
    expect(quoteIdent('we"ird')).toBe('"we""ird"');
    expect(quoteIdent('"; DROP TABLE x; --')).toBe('"""; DROP TABLE x; --"');
  });

  it("refuses empty names and control characters", () => {
    userError(() => quoteIdent(""));
    userError(() => quoteIdent("a\u0000b"));
  });
});

describe("table references", () => {
  it("parses catalog.schema.table", () => {
    expect(parseTableRef("iceberg.sales.orders")).toEqual({ catalog: "iceberg", schema: "sales", table: "orders" });
  });

  it("names the bad part", () => {
    expect(userError(() => parseTableRef("iceberg.sales")).message).toMatch(/expected catalog\.schema\.table .*got 2 parts/);
    expect(userError(() => parseTableRef("a.b.c.d")).message).toMatch(/got 4 parts/);
    expect(userError(() => parseTableRef("")).message).toMatch(/got nothing/);
    expect(userError(() => parseTableRef("iceberg.sa les.orders")).message).toMatch(/the schema name "sa les"/);
    expect(userError(() => parseTableRef('iceberg.sales.orders"--')).message).toMatch(/the table name "orders\\"--"/);
    expect(userError(() => parseTableRef("9lives.sales.orders")).message).toMatch(/the catalog name "9lives"/);
    expect(userError(() => parseTableRef("iceberg..orders")).message).toMatch(/the schema name "" must not be empty/);
  });

  it("formats and quotes validated references", () => {
    const ref = { catalog: "iceberg", schema: "sales", table: "orders" };
    expect(formatTableRef(ref)).toBe("iceberg.sales.orders");
    expect(qualifiedName(ref)).toBe('"iceberg"."sales"."orders"');
    expect(snapshotsTableName(ref)).toBe('"iceberg"."sales"."orders$snapshots"');
    expect(validateTableRef(ref)).toEqual(ref);
  });

  it("lets `$` in only through the snapshots helper", () => {
    const withDollar = { catalog: "iceberg", schema: "sales", table: "orders$snapshots" };
    userError(() => qualifiedName(withDollar));
    userError(() => snapshotsTableName(withDollar));
    userError(() => qualifiedName({ catalog: "iceberg", schema: 'x"', table: "t" }));
  });
});

describe("sqlLimit", () => {
  it("caps at the maximum and defaults to the fallback", () => {
    expect(sqlLimit(10, 1000)).toBe(10);
    expect(sqlLimit(5000, 1000)).toBe(1000);
    expect(sqlLimit(0, 1000)).toBe(0);
    expect(sqlLimit(undefined, 1000)).toBe(1000);
    expect(sqlLimit(undefined, 1000, 50)).toBe(50);
    expect(sqlLimit(undefined, 20, 50)).toBe(20);
  });

  it("refuses non-integers and negatives", () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, "10" as unknown as number]) userError(() => sqlLimit(bad, 1000));
  });
});

describe("validateTrinoUser", () => {
  it("accepts e-mail addresses and plain names", () => {
    expect(validateTrinoUser("alice@canopy.demo")).toBe("alice@canopy.demo");
    expect(validateTrinoUser("svc_canopy")).toBe("svc_canopy");
  });

  it("refuses header injection, blanks and non-ASCII", () => {
    for (const bad of ["", " alice", "alice ", "alice\r\nX-Trino-User: root", "zoë", "a".repeat(257)]) userError(() => validateTrinoUser(bad));
  });
});
