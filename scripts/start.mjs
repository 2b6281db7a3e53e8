#!/usr/bin/env node
// `npm start`: build the portal when there is no build yet or the sources changed since the last one,
// then serve it. Configuration comes from the environment (see README); with none, Canopy runs on
// its embedded default.
import { spawnSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const nextBin = require.resolve("next/dist/bin/next");
// Canopy closes its database itself on SIGTERM/SIGINT (lib/startup.ts).
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NEXT_MANUAL_SIG_HANDLE: "true" };
const port = env.PORT || "3000";
env.NEXTAUTH_URL ||= `http://localhost:${port}`;

const INPUTS = ["app", "components", "lib", "public", "prisma", "types", "proxy.ts", "instrumentation.ts", "next.config.ts", "postcss.config.mjs", "package-lock.json", "tsconfig.json"];

function fingerprint() {
  const hash = createHash("sha256");
  const walk = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      if (p.endsWith(`${path.sep}generated`)) return;
      for (const name of readdirSync(p).sort()) walk(path.join(p, name));
    } else {
      hash.update(path.relative(root, p));
      hash.update(readFileSync(p));
    }
  };
  for (const i of INPUTS) walk(path.join(root, i));
  return hash.digest("hex");
}

const stamp = path.join(root, ".next", "canopy-build-fingerprint");
const current = fingerprint();
const built = existsSync(path.join(root, ".next", "BUILD_ID")) && existsSync(stamp) && readFileSync(stamp, "utf8") === current;
if (!built) {
  console.log("Building Canopy (first start or sources changed)…");
  const result = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(stamp, current);
}

const child = spawn(process.execPath, [nextBin, "start", "-p", port, ...process.argv.slice(2)], { cwd: root, env, stdio: "inherit" });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
