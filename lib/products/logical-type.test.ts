import { describe, expect, it } from "vitest";
import { logicalTypeOf } from "@/lib/products/spec";

describe("logicalTypeOf", () => {
  it.each([
    ["boolean", "boolean"],
    ["tinyint", "integer"],
    ["smallint", "integer"],
    ["integer", "integer"],
    ["bigint", "integer"],
    ["real", "number"],
    ["double", "number"],
    ["decimal(12,2)", "number"],
    ["decimal(38, 0)", "number"],
    ["varchar", "string"],
    ["varchar(255)", "string"],
    ["char(2)", "string"],
    ["varbinary", "string"],
    ["uuid", "string"],
    ["ipaddress", "string"],
    ["interval day to second", "string"],
    ["date", "date"],
    ["timestamp", "timestamp"],
    ["timestamp(3)", "timestamp"],
    ["timestamp(6) with time zone", "timestamp"],
    ["timestamp with time zone", "timestamp"],
    ["time", "time"],
    ["time(3)", "time"],
    ["time with time zone", "time"],
    ["array(varchar)", "array"],
    ["array(row(name varchar, qty integer))", "array"],
    ["map(varchar, varchar)", "object"],
    ["row(street varchar, city varchar)", "object"],
    ["json", "object"],
  ])("Trino %s is %s", (physical, logical) => {
    expect(logicalTypeOf(physical)).toBe(logical);
  });

  it("ignores case and surrounding blanks", () => {
    expect(logicalTypeOf("  BIGINT ")).toBe("integer");
    expect(logicalTypeOf("TIMESTAMP(6)  WITH TIME ZONE")).toBe("timestamp");
    expect(logicalTypeOf("Decimal(10,4)")).toBe("number");
  });

  it("understands Hive and Spark spellings", () => {
    expect(logicalTypeOf("string")).toBe("string");
    expect(logicalTypeOf("int")).toBe("integer");
    expect(logicalTypeOf("float")).toBe("number");
    expect(logicalTypeOf("array<string>")).toBe("array");
    expect(logicalTypeOf("struct<a:int>")).toBe("object");
    expect(logicalTypeOf("timestamp_ntz")).toBe("timestamp");
  });

  it("falls back to string for anything unknown, including empty input", () => {
    expect(logicalTypeOf("geometry")).toBe("string");
    expect(logicalTypeOf("HyperLogLog")).toBe("string");
    expect(logicalTypeOf("")).toBe("string");
    expect(logicalTypeOf("(")).toBe("string");
  });
});
