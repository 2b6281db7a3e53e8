import pino from "pino";
import { config } from "@/lib/config";

/** Structured JSON logs. Child loggers carry the request id and the acting user. */
function level() {
  try {
    return config().logLevel;
  } catch {
    return "info";
  }
}

export const logger = pino({
  level: level(),
  base: { service: "canopy" },
  redact: {
    paths: ["*.password", "*.secret", "*.token", "*.authorization", "*.cookie", "*.clientSecret", "*.DATABASE_URL"],
    censor: "[redacted]",
  },
});

export type Logger = typeof logger;
