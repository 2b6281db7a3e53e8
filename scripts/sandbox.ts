// npm run sandbox — the portal in connected mode on your machine: starts the fake Trino, Kubernetes
// (with Fybrik and a Ceph bucket provisioner), OpenMetadata and OPA servers from test/fakes on
// 127.0.0.1, then the portal connected to them, with its own data directory (.data/sandbox).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startFakeKubernetes } from "@/test/fakes/kubernetes/server";
import { startFakeOpa } from "@/test/fakes/opa/server";
import { startFakeOpenMetadata } from "@/test/fakes/openmetadata/server";
import { seedDemoMeshTables } from "@/test/fakes/trino/demo-tables";
import { startFakeTrino } from "@/test/fakes/trino/server";

const root = path.resolve(import.meta.dirname, "..");
const dataDir = path.join(root, ".data", "sandbox");
mkdirSync(dataDir, { recursive: true });

async function main() {
  const omToken = `sandbox-${randomBytes(12).toString("hex")}`;
  const trino = await startFakeTrino({ seed: false });
  await seedDemoMeshTables(trino.db);
  const kube = await startFakeKubernetes({ bindDelayMs: 1500 });
  const om = await startFakeOpenMetadata({ token: omToken });
  const opa = await startFakeOpa({ policies: { "canopy/publish/allow": () => true } });

  const kubeconfigPath = path.join(dataDir, "kubeconfig.json");
  writeFileSync(kubeconfigPath, kube.kubeConfig().exportConfig());
  const rulesToken = randomBytes(24).toString("hex");

  console.log(`
Sandbox systems (fault injection: POST <url>/__faults with a JSON rule):
  Trino          ${trino.url}
  Kubernetes     ${kube.url}   (kubeconfig ${path.relative(root, kubeconfigPath)})
  OpenMetadata   ${om.url}
  OPA            ${opa.url}
Trino access rules token: ${rulesToken}
`);

  const portal = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      CANOPY_DATA_DIR: dataDir,
      DATABASE_URL: "",
      TRINO_URL: trino.url,
      TRINO_RULES_TOKEN: rulesToken,
      KUBERNETES_MODE: "kubeconfig",
      KUBECONFIG: kubeconfigPath,
      FYBRIK_ENABLED: "true",
      OPENMETADATA_URL: om.url,
      OPENMETADATA_TOKEN: omToken,
      OPA_URL: opa.url,
    },
  });
  const stop = async () => {
    portal.kill("SIGTERM");
    await Promise.allSettled([trino.close(), kube.close(), om.close(), opa.close()]);
  };
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => void stop());
  portal.on("exit", (code) => {
    void Promise.allSettled([trino.close(), kube.close(), om.close(), opa.close()]).then(() => process.exit(code ?? 0));
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
