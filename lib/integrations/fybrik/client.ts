import { CustomObjectsApi, PatchStrategy, type KubeConfig } from "@kubernetes/client-node";
import { IntegrationError, probe, type RetryOptions } from "@/lib/integrations/http";
import type { FybrikApplicationInput, FybrikApplicationStatus, FybrikAssetState, FybrikClient } from "@/lib/integrations/fybrik/types";
import { kubeCall, orNull, type KubeCallContext } from "@/lib/integrations/kubernetes/client";
import type { Logger } from "@/lib/log";

/**
 * FybrikApplication (app.fybrik.io/v1beta1) through the Kubernetes API: server-side apply of the
 * spec and a reading of the per-asset status. Fybrik is in maintenance mode, so this stays small.
 */

const GROUP = "app.fybrik.io";
const VERSION = "v1beta1";
const PLURAL = "fybrikapplications";
const FIELD_MANAGER = "canopy";

type Condition = { type?: string; status?: string; message?: string };
type AssetStateJson = { conditions?: Condition[]; endpoint?: Record<string, unknown> & { name?: string } };
type AppJson = {
  metadata?: { name?: string; namespace?: string };
  spec?: { data?: { dataSetID?: string }[] };
  status?: { ready?: boolean; errorMessage?: string; assetStates?: Record<string, AssetStateJson> };
};

/** The FybrikApplication object Canopy applies for an input. */
export function fybrikApplicationObject(input: FybrikApplicationInput) {
  return {
    apiVersion: `${GROUP}/${VERSION}`,
    kind: "FybrikApplication",
    metadata: {
      name: input.name,
      namespace: input.namespace,
      labels: { ...input.labels, "app.kubernetes.io/managed-by": "canopy" },
    },
    spec: {
      selector: { workloadSelector: { matchLabels: { ...input.workloadLabels } } },
      appInfo: { intent: input.intent, role: input.role },
      data: input.assets.map((a) => ({
        dataSetID: a.dataSetID,
        flow: a.flow ?? "read",
        requirements: {
          interface: { protocol: a.protocol ?? "fybrik-arrow-flight", ...(a.dataformat ? { dataformat: a.dataformat } : {}) },
        },
      })),
    },
  };
}

const isTrue = (conditions: Condition[] | undefined, type: string) => conditions?.some((c) => c.type === type && String(c.status).toLowerCase() === "true") ?? false;

function assetState(dataSetID: string, state: AssetStateJson | undefined): FybrikAssetState {
  const conditions = state?.conditions ?? [];
  const ready = isTrue(conditions, "Ready");
  const denied = isTrue(conditions, "Deny");
  const failed = isTrue(conditions, "Error");
  // The most telling message: why it was denied or failed, else whatever Ready says.
  const pick = (type: string) => conditions.find((c) => c.type === type && String(c.status).toLowerCase() === "true" && c.message)?.message;
  const message = (denied ? pick("Deny") : undefined) ?? (failed ? pick("Error") : undefined) ?? conditions.find((c) => c.type === "Ready" && c.message)?.message;
  let endpoint: FybrikAssetState["endpoint"];
  const ep = state?.endpoint;
  if (ep && typeof ep.name === "string" && ep.name) {
    const details = (typeof ep[ep.name] === "object" && ep[ep.name] !== null ? ep[ep.name] : {}) as { scheme?: unknown; hostname?: unknown; port?: unknown };
    const port = details.port === undefined || details.port === null || details.port === "" ? undefined : Number(details.port);
    endpoint = {
      protocol: ep.name,
      ...(typeof details.scheme === "string" ? { scheme: details.scheme } : {}),
      ...(typeof details.hostname === "string" ? { hostname: details.hostname } : {}),
      ...(port !== undefined && Number.isFinite(port) ? { port } : {}),
    };
  }
  return { dataSetID, ready, denied, ...(message ? { message } : {}), ...(endpoint ? { endpoint } : {}) };
}

/** Maps a FybrikApplication's status; assets in the spec without a state yet are listed as not ready. */
export function mapFybrikStatus(app: AppJson, namespace: string, name: string): FybrikApplicationStatus {
  const states = app.status?.assetStates ?? {};
  const ids = [...new Set([...(app.spec?.data ?? []).map((d) => d.dataSetID).filter((id): id is string => !!id), ...Object.keys(states)])];
  return {
    name,
    namespace,
    ready: app.status?.ready === true,
    ...(app.status?.errorMessage ? { errorMessage: app.status.errorMessage } : {}),
    assets: ids.map((id) => assetState(id, states[id])),
  };
}

export function createFybrikClient(opts: { kubeConfig: KubeConfig; retry?: RetryOptions; log?: Logger; timeoutMs?: number }): FybrikClient {
  const custom = opts.kubeConfig.makeApiClient(CustomObjectsApi);
  const ctx: KubeCallContext = { system: "fybrik", timeoutMs: opts.timeoutMs ?? 15_000, retry: opts.retry, log: opts.log };
  const ref = (namespace: string, name: string) => ({ group: GROUP, version: VERSION, plural: PLURAL, namespace, name });

  return {
    mode: "connected",

    async applyApplication(input) {
      const body = fybrikApplicationObject(input);
      await kubeCall(ctx, `apply FybrikApplication ${input.namespace}/${input.name}`, (o) =>
        custom.patchNamespacedCustomObject({ ...ref(input.namespace, input.name), body, fieldManager: FIELD_MANAGER, force: true }, o(PatchStrategy.ServerSideApply)),
      );
      opts.log?.info({ namespace: input.namespace, name: input.name, assets: input.assets.length }, "FybrikApplication applied");
    },

    async getStatus(namespace, name) {
      const app = await orNull(
        kubeCall(ctx, `read FybrikApplication ${namespace}/${name}`, (o) => custom.getNamespacedCustomObject(ref(namespace, name), o()) as Promise<AppJson>),
      );
      return app ? mapFybrikStatus(app, namespace, name) : null;
    },

    async deleteApplication(namespace, name) {
      await orNull(kubeCall(ctx, `delete FybrikApplication ${namespace}/${name}`, (o) => custom.deleteNamespacedCustomObject(ref(namespace, name), o())));
    },

    health() {
      return probe("fybrik", "connected", async () => {
        // Discovery of app.fybrik.io/v1beta1 answers only when the Fybrik CRDs are installed.
        const list = await kubeCall({ ...ctx, timeoutMs: Math.min(ctx.timeoutMs, 5_000), retry: { attempts: 1 } }, `GET /apis/${GROUP}/${VERSION}`, (o) =>
          custom.getAPIResources({ group: GROUP, version: VERSION }, o()),
        );
        if (!list.resources?.some((r) => r.name === PLURAL)) throw new Error(`${GROUP}/${VERSION} does not serve ${PLURAL}: is Fybrik installed?`);
        return { apiVersion: `${GROUP}/${VERSION}` };
      });
    },
  };
}

/** When Fybrik is not enabled: nothing to talk to, and saying so is healthy. */
export function createDisabledFybrikClient(): FybrikClient {
  const notConnected = () => new IntegrationError("fybrik", "Fybrik is not enabled: set FYBRIK_ENABLED=true with a connected Kubernetes", { reason: "NotConnected" });
  return {
    mode: "disabled",
    applyApplication: async () => {
      throw notConnected();
    },
    getStatus: async () => {
      throw notConnected();
    },
    deleteApplication: async () => {
      throw notConnected();
    },
    health: async () => ({ system: "fybrik", mode: "disabled", healthy: true, latencyMs: 0 }),
  };
}
