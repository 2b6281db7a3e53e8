import { z } from "zod";

/** A short optional filter value from a form or query string: trimmed, and empty means absent. */
export const optionalText = z
  .string()
  .trim()
  .max(200, "Keep it under 200 characters")
  .optional()
  .transform((v) => (v ? v : undefined));

/** A true/false query-string parameter ("true", "false", "1", "0"); absent means `fallback`. */
export const queryFlag = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0"], { error: "Use true or false" })
    .optional()
    .transform((v) => (v === undefined ? fallback : v === "true" || v === "1"));
