import { config, type Config } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { createFybrikClient, createDisabledFybrikClient } from "@/lib/integrations/fybrik/client";
import type { FybrikClient } from "@/lib/integrations/fybrik/types";
import type { HealthStatus } from "@/lib/integrations/http";
import { createKubernetesProvisioner, kubeConfigFrom } from "@/lib/integrations/kubernetes/client";
import { createEmbeddedProvisioner } from "@/lib/integrations/kubernetes/embedded";
import type { KubernetesProvisioner } from "@/lib/integrations/kubernetes/types";
import { createOpaClient, createDisabledOpaClient } from "@/lib/integrations/opa/client";
import type { OpaClient } from "@/lib/integrations/opa/types";
import { createEmbeddedOpenMetadataClient, createOpenMetadataClient } from "@/lib/integrations/openmetadata/client";
import type { OpenMetadataClient } from "@/lib/integrations/openmetadata/types";
import { createTrinoQueryEngine } from "@/lib/integrations/trino/client";
import { createEmbeddedTrinoEngine } from "@/lib/integrations/trino/embedded";
import type { TrinoQueryEngine } from "@/lib/integrations/trino/types";
import { logger } from "@/lib/log";

/** The adapters for this process, real or embedded per system, chosen by configuration. */
export type Integrations = {
  trino: TrinoQueryEngine;
  kubernetes: KubernetesProvisioner;
  fybrik: FybrikClient;
  openmetadata: OpenMetadataClient;
  opa: OpaClient;
};

export async function createIntegrations(cfg: Config["integrations"] = config().integrations): Promise<Integrations> {
  const log = logger.child({ component: "integrations" });
  const trino =
    cfg.trino.mode === "connected"
      ? createTrinoQueryEngine({
          server: cfg.trino.url,
          source: cfg.trino.source,
          serviceUser: cfg.trino.serviceUser,
          password: cfg.trino.password,
          log: log.child({ system: "trino" }),
        })
      : createEmbeddedTrinoEngine({ db: await getPrisma() });
  const k8s = cfg.kubernetes;
  const kubeConfig = k8s.mode === "embedded" ? undefined : kubeConfigFrom({ mode: k8s.mode, path: k8s.kubeconfigPath });
  const kubernetes = kubeConfig
    ? createKubernetesProvisioner({
        kubeConfig,
        namespacePrefix: k8s.namespacePrefix,
        obcStorageClass: k8s.obcStorageClass,
        log: log.child({ system: "kubernetes" }),
      })
    : createEmbeddedProvisioner({ namespacePrefix: k8s.namespacePrefix, obcStorageClass: k8s.obcStorageClass });
  const fybrik = kubeConfig && cfg.fybrik ? createFybrikClient({ kubeConfig, log: log.child({ system: "fybrik" }) }) : createDisabledFybrikClient();
  const openmetadata =
    cfg.openmetadata.mode === "connected"
      ? createOpenMetadataClient({ baseUrl: cfg.openmetadata.url, token: cfg.openmetadata.token, log: log.child({ system: "openmetadata" }) })
      : createEmbeddedOpenMetadataClient();
  const opa = cfg.opa.mode === "connected" ? createOpaClient({ url: cfg.opa.url, log: log.child({ system: "opa" }) }) : createDisabledOpaClient();
  return { trino, kubernetes, fybrik, openmetadata, opa };
}

const globalForIntegrations = globalThis as unknown as { __canopyIntegrations?: Promise<Integrations> };

export function getIntegrations(): Promise<Integrations> {
  globalForIntegrations.__canopyIntegrations ??= createIntegrations();
  return globalForIntegrations.__canopyIntegrations;
}

export async function integrationHealth(integrations: Integrations): Promise<HealthStatus[]> {
  return Promise.all([
    integrations.trino.health(),
    integrations.kubernetes.health(),
    integrations.fybrik.health(),
    integrations.openmetadata.health(),
    integrations.opa.health(),
  ]);
}
