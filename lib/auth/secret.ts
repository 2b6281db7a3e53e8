import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { config } from "@/lib/config";

let cached: string | undefined;

/**
 * The key that signs and encrypts session tokens. Production sets NEXTAUTH_SECRET (config refuses to
 * start without it); the embedded default makes one on first start and keeps it in the data directory,
 * so sessions survive restarts and nothing needs configuring.
 */
export function authSecret(): string {
  if (cached) return cached;
  const cfg = config();
  if (cfg.auth.secret) return (cached = cfg.auth.secret);
  const file = path.join(cfg.dataDir, "auth-secret");
  try {
    cached = readFileSync(file, "utf8").trim();
    if (cached.length >= 32) return cached;
  } catch {
    // first start: create below
  }
  mkdirSync(cfg.dataDir, { recursive: true });
  cached = randomBytes(48).toString("base64url");
  writeFileSync(file, cached, { mode: 0o600 });
  chmodSync(file, 0o600);
  return cached;
}
