import { z } from "zod";

/** A short optional filter value from a form or query string: trimmed, and empty means absent. */
export const optionalText = z
  .string()
  .trim()
  .max(200, "Keep it under 200 characters")
  .optional()
  .transform((v) => (v ? v : undefined));
