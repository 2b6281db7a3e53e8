import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  NetworkingV1Api,
  Observable,
  PatchStrategy,
  RbacAuthorizationV1Api,
  VersionApi,
  setHeaderOptions,
  type ConfigurationOptions,
  type ObservableMiddleware,
} from "@kubernetes/client-node";
import {
  IntegrationError,
  isTransientNetworkError,
  isTransientStatus,
  probe,
  retry,
  withTimeout,
  type HealthStatus,
  type IntegrationSystem,
  type RetryOptions,
} from "@/lib/integrations/http";
import { assertDnsLabel, assertLabelValue, bucketReadRoleBinding, desiredObjects, GRANT_LABEL } from "@/lib/integrations/kubernetes/objects";
import type { ApplyResult, BucketInfo, KubeObject, KubernetesProvisioner, PlannedResource } from "@/lib/integrations/kubernetes/types";
import type { Logger } from "@/lib/log";

/**
 * The connected provisioner: server-side apply (field manager "canopy", force) through the typed
 * APIs of `@kubernetes/client-node` 1.x. Every call has a time-out and transient failures (409
 * Conflict, 429, 5xx, connection resets, time-outs) are retried with backoff; everything else
 * becomes a permanent IntegrationError carrying Kubernetes' own message and reason.
 */

// ---------------------------------------------------------------------------------------------
// Calls, time-outs, retries and error translation (shared with the Fybrik client)

export type KubeCallContext = {
  system: IntegrationSystem;
  timeoutMs: number;
  retry?: RetryOptions;
  log?: Logger;
};

/** Per-call options: the abort signal of the time-out and, for patches, the Content-Type. */
export type CallOptions = (contentType?: string) => ConfigurationOptions;

function callOptions(signal: AbortSignal): CallOptions {
  // The object-parameter API passes call-time middleware straight to the observable layer.
  const withSignal: ObservableMiddleware = {
    pre: (ctx) => {
      ctx.setSignal(signal);
      return new Observable(Promise.resolve(ctx));
    },
    post: (rsp) => new Observable(Promise.resolve(rsp)),
  };
  return (contentType) => {
    const base: ConfigurationOptions = { middleware: [withSignal], middlewareMergeStrategy: "append" };
    // Generated patch methods default to JSON-patch; the header must be overridden explicitly.
    return contentType ? setHeaderOptions("Content-Type", contentType, base) : base;
  };
}

type KubeStatus = { kind?: string; message?: string; reason?: string; code?: number; details?: { causes?: { message?: string; field?: string }[] } };

/** ApiException.body is the raw response text (undefined for 401); a Status JSON when Kubernetes answered. */
export function parseKubeStatus(body: unknown): KubeStatus | undefined {
  let parsed: unknown = body;
  if (typeof body === "string") {
    try {
      parsed = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const s = parsed as Record<string, unknown>;
  return {
    kind: typeof s.kind === "string" ? s.kind : undefined,
    message: typeof s.message === "string" ? s.message : undefined,
    reason: typeof s.reason === "string" ? s.reason : undefined,
    code: typeof s.code === "number" ? s.code : undefined,
    details: typeof s.details === "object" && s.details !== null ? (s.details as KubeStatus["details"]) : undefined,
  };
}

const DEFAULT_REASONS: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  409: "Conflict",
  410: "Expired",
  415: "UnsupportedMediaType",
  422: "Invalid",
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout",
};

export function toIntegrationError(system: IntegrationSystem, err: unknown, what: string): IntegrationError {
  if (err instanceof IntegrationError) return err;
  if (err instanceof ApiException) {
    const code = (err as ApiException<unknown>).code;
    const raw = (err as ApiException<unknown>).body;
    const status = parseKubeStatus(raw);
    const reason = status?.reason || DEFAULT_REASONS[code] || `HTTP${code}`;
    let message: string;
    if (status?.message) message = status.message;
    else if (code === 401) message = "the API server rejected the credentials (401 Unauthorized): check the kubeconfig user or the service account token";
    else if (typeof raw === "string" && raw.trim() !== "") message = `HTTP ${code}: ${raw.trim().slice(0, 300)}`;
    else message = `HTTP ${code}`;
    // A Conflict is optimistic concurrency losing a race: the next attempt reads fresh state. AlreadyExists is not a race.
    const transient = (code === 409 && reason !== "AlreadyExists") || isTransientStatus(code);
    return new IntegrationError(system, `${what}: ${message}`, { status: code, reason, transient, cause: err });
  }
  if (isTransientNetworkError(err)) {
    return new IntegrationError(system, `${what}: ${(err as Error).message}`, { transient: true, reason: "NetworkError", cause: err });
  }
  const msg = err instanceof Error ? err.message : String(err);
  if (err instanceof Error && (err.name === "AbortError" || /aborted/i.test(msg))) {
    return new IntegrationError(system, `${what}: cancelled`, { reason: "Aborted", cause: err });
  }
  // e.g. "Cannot parse content. No Content-Type defined." when a proxy answers without a JSON type.
  const bad = /Cannot parse content|ObjectSerializer|Unexpected token|JSON/i.test(msg);
  return new IntegrationError(system, `${what}: ${msg}`, { reason: bad ? "UnexpectedResponse" : "ClientError", cause: err });
}

/** One API call with time-out, error translation and retries of transient failures. */
export async function kubeCall<T>(ctx: KubeCallContext, what: string, fn: (options: CallOptions) => Promise<T>, signal?: AbortSignal): Promise<T> {
  return retry(
    async () => {
      try {
        return await withTimeout(ctx.system, what, ctx.timeoutMs, (sig) => fn(callOptions(sig)), signal);
      } catch (err) {
        throw toIntegrationError(ctx.system, err, what);
      }
    },
    {
      ...ctx.retry,
      signal,
      onRetry: (err, attempt, delayMs) => {
        ctx.log?.warn({ system: ctx.system, what, attempt, delayMs, err: (err as Error).message }, "transient failure; retrying");
        ctx.retry?.onRetry?.(err, attempt, delayMs);
      },
    },
  );
}

export function isNotFound(err: unknown): boolean {
  return err instanceof IntegrationError && err.status === 404;
}

/** Reads that answer null for 404. */
export async function orNull<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/**
 * The typed APIs deserialize into model classes: Dates instead of strings and a few renamed fields
 * (`_from` for NetworkPolicy `from`). This turns them back into the wire shape.
 */
const RENAMED: Record<string, string> = { _from: "from", _continue: "continue", _default: "default", _enum: "enum", _int: "int" };
export function toPlain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[RENAMED[k] ?? k] = toPlain(v);
    return out;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Kinds Canopy applies

type Apis = { core: CoreV1Api; rbac: RbacAuthorizationV1Api; net: NetworkingV1Api; custom: CustomObjectsApi };
type ApplyParams = { body: KubeObject; dryRun?: "All"; fieldManager: string; force: true };
type KindOps = {
  read(o: CallOptions): Promise<unknown>;
  apply(p: ApplyParams, o: CallOptions): Promise<unknown>;
};

/** Plurals of the custom resources Canopy knows; others fall back to the lower-cased kind + "s". */
const CUSTOM_PLURALS: Record<string, string> = { ObjectBucketClaim: "objectbucketclaims", FybrikApplication: "fybrikapplications" };

function opsFor(apis: Apis, obj: KubeObject): KindOps {
  const name = obj.metadata.name;
  const namespace = obj.metadata.namespace ?? "";
  const sa = PatchStrategy.ServerSideApply;
  const needNs = () => {
    if (!namespace) throw new IntegrationError("kubernetes", `${obj.kind} ${name} needs metadata.namespace`, { reason: "Invalid" });
  };
  const { core, rbac, net, custom } = apis;
  switch (`${obj.apiVersion}/${obj.kind}`) {
    case "v1/Namespace":
      return { read: (o) => core.readNamespace({ name }, o()), apply: (p, o) => core.patchNamespace({ name, ...p }, o(sa)) };
    case "v1/ResourceQuota":
      needNs();
      return {
        read: (o) => core.readNamespacedResourceQuota({ name, namespace }, o()),
        apply: (p, o) => core.patchNamespacedResourceQuota({ name, namespace, ...p }, o(sa)),
      };
    case "v1/ConfigMap":
      needNs();
      return {
        read: (o) => core.readNamespacedConfigMap({ name, namespace }, o()),
        apply: (p, o) => core.patchNamespacedConfigMap({ name, namespace, ...p }, o(sa)),
      };
    case "rbac.authorization.k8s.io/v1/RoleBinding":
      needNs();
      return {
        read: (o) => rbac.readNamespacedRoleBinding({ name, namespace }, o()),
        apply: (p, o) => rbac.patchNamespacedRoleBinding({ name, namespace, ...p }, o(sa)),
      };
    case "rbac.authorization.k8s.io/v1/Role":
      needNs();
      return {
        read: (o) => rbac.readNamespacedRole({ name, namespace }, o()),
        apply: (p, o) => rbac.patchNamespacedRole({ name, namespace, ...p }, o(sa)),
      };
    case "networking.k8s.io/v1/NetworkPolicy":
      needNs();
      return {
        read: (o) => net.readNamespacedNetworkPolicy({ name, namespace }, o()),
        apply: (p, o) => net.patchNamespacedNetworkPolicy({ name, namespace, ...p }, o(sa)),
      };
  }
  const slash = obj.apiVersion.indexOf("/");
  if (slash <= 0) {
    throw new IntegrationError("kubernetes", `Canopy does not apply ${obj.apiVersion} ${obj.kind} objects`, { reason: "UnsupportedKind" });
  }
  needNs();
  const group = obj.apiVersion.slice(0, slash);
  const version = obj.apiVersion.slice(slash + 1);
  const plural = CUSTOM_PLURALS[obj.kind] ?? `${obj.kind.toLowerCase()}s`;
  return {
    read: (o) => custom.getNamespacedCustomObject({ group, version, namespace, plural, name }, o()),
    apply: (p, o) => custom.patchNamespacedCustomObject({ group, version, namespace, plural, name, ...p }, o(sa)),
  };
}

const describe = (o: KubeObject) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;

type Meta = { resourceVersion?: string; uid?: string; [k: string]: unknown };
type PlainObject = { metadata?: Meta; status?: unknown; [k: string]: unknown };

/** What a write may change, without server bookkeeping: used to tell "unchanged" from "update". */
function comparable(o: PlainObject): unknown {
  const { status: _s, metadata = {}, ...rest } = o;
  const { resourceVersion: _rv, managedFields: _mf, generation: _g, uid: _u, creationTimestamp: _c, selfLink: _sl, ...meta } = metadata;
  return toPlain({ ...rest, metadata: meta });
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/** True when `live` already has every value `desired` sets (maps compared key by key, lists whole). */
function containsDesired(live: PlainObject, desired: KubeObject): boolean {
  const within = (want: unknown, have: unknown): boolean => {
    if (typeof want === "object" && want !== null && !Array.isArray(want)) {
      if (typeof have !== "object" || have === null || Array.isArray(have)) return false;
      return Object.entries(want).every(([k, v]) => within(v, (have as Record<string, unknown>)[k]));
    }
    return sameJson(want, have);
  };
  const { apiVersion: _a, kind: _k, metadata, ...rest } = desired;
  const liveMeta = (live.metadata ?? {}) as Record<string, unknown>;
  return (
    within(rest, live) &&
    within(metadata.labels ?? {}, liveMeta.labels ?? {}) &&
    within(metadata.annotations ?? {}, liveMeta.annotations ?? {})
  );
}

/** Namespaces first: everything else lives in one. */
function ordered(objects: KubeObject[]): KubeObject[] {
  return [...objects.filter((o) => o.kind === "Namespace"), ...objects.filter((o) => o.kind !== "Namespace")];
}

// ---------------------------------------------------------------------------------------------

export type KubernetesProvisionerOptions = {
  kubeConfig: KubeConfig;
  namespacePrefix?: string;
  obcStorageClass?: string;
  fieldManager?: string;
  /** Per API call (default 15 s). */
  timeoutMs?: number;
  retry?: RetryOptions;
  log?: Logger;
  /** How often waitForBucket looks at the claim (default 1 s). */
  pollIntervalMs?: number;
  /** Default time-out of waitForBucket (default 5 min). */
  bucketTimeoutMs?: number;
};

export function createKubernetesProvisioner(opts: KubernetesProvisionerOptions): KubernetesProvisioner {
  const kc = opts.kubeConfig;
  const apis: Apis = {
    core: kc.makeApiClient(CoreV1Api),
    rbac: kc.makeApiClient(RbacAuthorizationV1Api),
    net: kc.makeApiClient(NetworkingV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
  };
  const versionApi = kc.makeApiClient(VersionApi);
  const namespacePrefix = opts.namespacePrefix ?? "dp-";
  const obcStorageClass = opts.obcStorageClass ?? "rook-ceph-bucket";
  const fieldManager = opts.fieldManager ?? "canopy";
  const ctx: KubeCallContext = { system: "kubernetes", timeoutMs: opts.timeoutMs ?? 15_000, retry: opts.retry, log: opts.log };
  const pollIntervalMs = opts.pollIntervalMs ?? 1_000;
  const log = opts.log;

  async function readLive(obj: KubeObject, signal?: AbortSignal): Promise<PlainObject | null> {
    const ops = opsFor(apis, obj);
    const live = await orNull(kubeCall(ctx, `read ${describe(obj)}`, (o) => ops.read(o), signal));
    return live === null ? null : (toPlain(live) as PlainObject);
  }

  async function serverApply(obj: KubeObject, dryRun: boolean): Promise<PlainObject> {
    const ops = opsFor(apis, obj);
    const what = `${dryRun ? "dry-run apply" : "apply"} ${describe(obj)}`;
    const out = await kubeCall(ctx, what, (o) => ops.apply({ body: obj, fieldManager, force: true, ...(dryRun ? { dryRun: "All" as const } : {}) }, o));
    return toPlain(out) as PlainObject;
  }

  async function applyOne(obj: KubeObject): Promise<ApplyResult> {
    const live = await readLive(obj);
    const result = await serverApply(obj, false);
    const rv = result.metadata?.resourceVersion;
    // A no-op apply leaves resourceVersion alone. When a controller wrote in between our read and
    // our apply (the bucket provisioner does), the live object already holding everything we apply
    // still means our apply changed nothing.
    const action: ApplyResult["action"] =
      live === null ? "created" : live.metadata?.resourceVersion === rv || containsDesired(live, obj) ? "unchanged" : "updated";
    log?.info({ object: describe(obj), action, resourceVersion: rv }, "kubernetes object applied");
    return { object: obj, action, resourceVersion: rv, uid: result.metadata?.uid };
  }

  async function sleep(ms: number, signal: AbortSignal) {
    await new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done, { once: true });
    });
  }

  return {
    mode: "connected",

    desiredObjects: (infra) => desiredObjects(infra, { namespacePrefix, obcStorageClass }),

    async plan(objects) {
      const planned: PlannedResource[] = [];
      const newNamespaces = new Set<string>();
      for (const obj of ordered(objects)) {
        const live = await readLive(obj);
        // A dry run inside a namespace that does not exist yet fails on a real server: nothing to validate there.
        if (live === null && obj.metadata.namespace && newNamespaces.has(obj.metadata.namespace)) {
          planned.push({ object: obj, action: "create" });
          continue;
        }
        let dry = await serverApply(obj, true);
        if (live === null) {
          if (obj.kind === "Namespace") newNamespaces.add(obj.metadata.name);
          planned.push({ object: obj, action: "create" });
          continue;
        }
        // A dry run does not bump resourceVersion: a different one means a controller (the bucket
        // provisioner, say) wrote in between our read and the dry run. Compare against fresh state.
        let current: PlainObject | null = live;
        for (let i = 0; i < 3 && current && dry.metadata?.resourceVersion !== current.metadata?.resourceVersion; i++) {
          current = await readLive(obj);
          if (current) dry = await serverApply(obj, true);
        }
        if (current === null) planned.push({ object: obj, action: "create" });
        else planned.push({ object: obj, action: sameJson(comparable(dry), comparable(current)) ? "unchanged" : "update" });
      }
      return planned;
    },

    async apply(objects) {
      const results: ApplyResult[] = [];
      for (const obj of ordered(objects)) results.push(await applyOne(obj));
      return results;
    },

    async waitForBucket(namespace, claim, wopts = {}) {
      const timeoutMs = wopts.timeoutMs ?? opts.bucketTimeoutMs ?? 300_000;
      const what = `ObjectBucketClaim ${namespace}/${claim}`;
      const deadline = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        deadline.abort(new Error("timeout"));
      }, timeoutMs);
      const onOuterAbort = () => deadline.abort(wopts.signal?.reason);
      wopts.signal?.addEventListener("abort", onOuterAbort, { once: true });
      let phase = "";
      const obc: KubeObject = { apiVersion: "objectbucket.io/v1alpha1", kind: "ObjectBucketClaim", metadata: { name: claim, namespace } };
      const cmOps = opsFor(apis, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: claim, namespace } });
      const stopped = () =>
        timedOut
          ? new IntegrationError("kubernetes", `${what} was not bound within ${timeoutMs} ms (phase: ${phase || "not created yet"})`, { transient: true, reason: "Timeout" })
          : new IntegrationError("kubernetes", `${what}: waiting was cancelled`, { reason: "Aborted" });
      try {
        while (!deadline.signal.aborted) {
          let live: PlainObject | null;
          try {
            live = await readLive(obc, deadline.signal);
          } catch (err) {
            if (deadline.signal.aborted) throw stopped();
            throw err;
          }
          const status = (live?.status ?? {}) as { phase?: string; conditions?: { message?: string }[]; message?: string };
          phase = status.phase ?? (live ? "Pending" : "");
          if (phase.toLowerCase() === "failed") {
            const detail = status.message ?? status.conditions?.map((c) => c.message).filter(Boolean).join("; ");
            throw new IntegrationError("kubernetes", `${what} failed: the bucket provisioner reported phase ${phase}${detail ? ` (${detail})` : ""}`, {
              reason: "BucketFailed",
            });
          }
          if (phase.toLowerCase() === "bound") {
            // Only the ConfigMap: the Secret holds the S3 keys and never enters the catalogue.
            let cm: { data?: Record<string, string> } | null;
            try {
              cm = toPlain(await orNull(kubeCall(ctx, `read ConfigMap ${namespace}/${claim}`, (o) => cmOps.read(o), deadline.signal))) as typeof cm;
            } catch (err) {
              if (deadline.signal.aborted) throw stopped();
              throw err;
            }
            if (cm?.data?.BUCKET_NAME) {
              const d = cm.data;
              const host = d.BUCKET_HOST ?? "";
              const port = d.BUCKET_PORT ?? "";
              const endpoint = host ? `${port === "80" ? "http" : "https"}://${host}${port ? `:${port}` : ""}` : undefined;
              return { claim, namespace, phase, bucketName: d.BUCKET_NAME, endpoint, region: d.BUCKET_REGION || undefined } satisfies BucketInfo;
            }
          }
          await sleep(pollIntervalMs, deadline.signal);
        }
        throw stopped();
      } finally {
        clearTimeout(timer);
        wopts.signal?.removeEventListener("abort", onOuterAbort);
      }
    },

    async read(objects) {
      const out: KubeObject[] = [];
      for (const obj of objects) {
        const live = await readLive(obj);
        if (!live) continue;
        const { managedFields: _mf, ...metadata } = (live.metadata ?? {}) as Meta;
        out.push({ ...live, metadata } as unknown as KubeObject);
      }
      return out;
    },

    async grantBucketRead(input) {
      const { role, roleBinding } = bucketReadRoleBinding(input);
      await applyOne(role);
      return applyOne(roleBinding);
    },

    async revokeBucketRead({ namespace, grantId }) {
      assertDnsLabel(namespace, "Namespace");
      assertLabelValue(grantId, "Grant id");
      const selector = `${GRANT_LABEL}=${grantId}`;
      const list = await orNull(kubeCall(ctx, `list RoleBindings ${namespace} (${selector})`, (o) => apis.rbac.listNamespacedRoleBinding({ namespace, labelSelector: selector }, o())));
      for (const item of list?.items ?? []) {
        const name = item.metadata?.name;
        if (!name) continue;
        await orNull(kubeCall(ctx, `delete RoleBinding ${namespace}/${name}`, (o) => apis.rbac.deleteNamespacedRoleBinding({ name, namespace }, o())));
        log?.info({ namespace, name, grantId }, "bucket read grant revoked");
      }
    },

    health(): Promise<HealthStatus> {
      const server = kc.getCurrentCluster()?.server;
      return probe("kubernetes", "connected", async () => {
        const v = await kubeCall({ ...ctx, timeoutMs: Math.min(ctx.timeoutMs, 5_000), retry: { attempts: 1 } }, "GET /version", (o) => versionApi.getCode({}, o()));
        let host = "";
        try {
          host = server ? new URL(server).host : "";
        } catch {
          host = "";
        }
        return { version: v.gitVersion, ...(host ? { server: host } : {}) };
      });
    },
  };
}

/** A KubeConfig from a kubeconfig file (or the default lookup) or the pod's service account. */
export function kubeConfigFrom(opts: { mode: "kubeconfig" | "in-cluster"; path?: string }): KubeConfig {
  const kc = new KubeConfig();
  const where = opts.mode === "in-cluster" ? "the in-cluster service account" : opts.path ? `kubeconfig ${opts.path}` : "the default kubeconfig";
  try {
    if (opts.mode === "in-cluster") kc.loadFromCluster();
    else if (opts.path) kc.loadFromFile(opts.path);
    else kc.loadFromDefault();
  } catch (err) {
    throw new IntegrationError("kubernetes", `Could not load ${where}: ${(err as Error).message}`, { reason: "ConfigError", cause: err });
  }
  const server = kc.getCurrentCluster()?.server;
  if (!server || /undefined/.test(server)) {
    const hint = opts.mode === "in-cluster" ? " (KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT are not set: is this running in a pod?)" : " (no current context or cluster)";
    throw new IntegrationError("kubernetes", `Could not load ${where}: no API server address${hint}`, { reason: "ConfigError" });
  }
  return kc;
}
