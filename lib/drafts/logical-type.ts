import type { LOGICAL_TYPES } from "@/lib/products/spec";

export type LogicalType = (typeof LOGICAL_TYPES)[number];

/**
 * The ODCS logical type of a column from its physical type as Trino reports it (`varchar(20)`,
 * `decimal(12,2)`, `timestamp(6) with time zone`, `array(row(a integer))`…). Hive/Spark spellings
 * (`string`, `int`, `struct<…>`) are understood too. Anything unknown is a string: it can always be
 * read as text, and the owner can correct it.
 */
export function logicalTypeOf(physicalType: string): LogicalType {
  const t = physicalType.trim().toLowerCase().replace(/\s+/g, " ");
  const base = /^[a-z_ ]+/.exec(t)?.[0]?.trim() ?? "";
  if (base === "boolean" || base === "bool") return "boolean";
  if (["tinyint", "smallint", "integer", "int", "bigint", "long", "short", "byte"].includes(base)) return "integer";
  if (["real", "double", "double precision", "float", "decimal", "numeric", "number"].includes(base)) return "number";
  if (base === "date") return "date";
  if (base.startsWith("timestamp") || base === "datetime") return "timestamp";
  if (base === "time" || base.startsWith("time ") || base === "timetz") return "time";
  if (base === "array" || base === "list") return "array";
  if (base === "map" || base === "row" || base === "struct" || base === "json" || base === "object") return "object";
  return "string";
}
