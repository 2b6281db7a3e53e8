import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { KubeConfig } from "@kubernetes/client-node";
import { baseUrl, Faults, readBody, sendJson, keepConnectionsOpen } from "@/test/fakes/faults";

/**
 * A protocol-faithful fake of the Kubernetes API server, for the resources Canopy touches, so tests
 * drive the real `@kubernetes/client-node` over real HTTP. It reproduces what the client and the
 * adapters depend on: Status error bodies, resourceVersion/generation bookkeeping, server-side apply
 * with field managers and conflicts, dry runs, status subresources, watches, and a simulated
 * ObjectBucketClaim provisioner. Simplifications: lists are atomic for apply (no list-map merging),
 * strategic merge on built-in types behaves as a JSON merge patch, admission is limited to a few
 * validations, and deleting a namespace removes its content at once.
 */

type Json = Record<string, unknown>;
export type FakeObject = Json & { apiVersion: string; kind: string; metadata: Json & { name: string; namespace?: string } };

type ResourceDef = { group: string; version: string; plural: string; singular: string; kind: string; namespaced: boolean; status: boolean; custom: boolean };

const RESOURCES: ResourceDef[] = [
  { group: "", version: "v1", plural: "namespaces", singular: "namespace", kind: "Namespace", namespaced: false, status: true, custom: false },
  { group: "", version: "v1", plural: "resourcequotas", singular: "resourcequota", kind: "ResourceQuota", namespaced: true, status: true, custom: false },
  { group: "", version: "v1", plural: "configmaps", singular: "configmap", kind: "ConfigMap", namespaced: true, status: false, custom: false },
  { group: "", version: "v1", plural: "secrets", singular: "secret", kind: "Secret", namespaced: true, status: false, custom: false },
  { group: "rbac.authorization.k8s.io", version: "v1", plural: "rolebindings", singular: "rolebinding", kind: "RoleBinding", namespaced: true, status: false, custom: false },
  { group: "rbac.authorization.k8s.io", version: "v1", plural: "roles", singular: "role", kind: "Role", namespaced: true, status: false, custom: false },
  { group: "networking.k8s.io", version: "v1", plural: "networkpolicies", singular: "networkpolicy", kind: "NetworkPolicy", namespaced: true, status: false, custom: false },
  { group: "objectbucket.io", version: "v1alpha1", plural: "objectbucketclaims", singular: "objectbucketclaim", kind: "ObjectBucketClaim", namespaced: true, status: true, custom: true },
  { group: "app.fybrik.io", version: "v1beta1", plural: "fybrikapplications", singular: "fybrikapplication", kind: "FybrikApplication", namespaced: true, status: true, custom: true },
];

const gv = (d: ResourceDef) => (d.group ? `${d.group}/${d.version}` : d.version);
const qualified = (d: ResourceDef) => (d.group ? `${d.plural}.${d.group}` : d.plural);
const defByPlural = (plural: string) => RESOURCES.find((d) => d.plural === plural);

export type FakeRequest = { method: string; path: string; contentType?: string; query: Record<string, string> };

export type FakeKubernetesOptions = {
  faults?: Faults;
  /** Delay before the simulated provisioner binds a new ObjectBucketClaim (default 50 ms). */
  bindDelayMs?: number;
  /** Claims for which the provisioner reports phase Failed instead of Bound. */
  failBucket?: (name: string, namespace: string) => boolean;
  /** Bearer token the fake accepts (default: a random one, used by kubeConfig()). */
  token?: string;
  bucketHost?: string;
  bucketPort?: string;
};

type Stored = { obj: FakeObject; owners: Map<string, string> };
type WatchEvent = { type: "ADDED" | "MODIFIED" | "DELETED"; object: FakeObject; rv: number; plural: string };
type Watcher = { plural: string; match: (o: FakeObject) => boolean; res: ServerResponse };

class HttpError extends Error {
  constructor(
    readonly code: number,
    readonly body: Json,
  ) {
    super(String(body.message));
  }
}

function statusBody(code: number, reason: string, message: string, details?: Json): Json {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, ...(details ? { details } : {}), code };
}

const notFound = (d: ResourceDef, name: string) =>
  new HttpError(404, statusBody(404, "NotFound", `${qualified(d)} "${name}" not found`, { name, group: d.group || undefined, kind: d.plural }));
const badRequest = (message: string) => new HttpError(400, statusBody(400, "BadRequest", message));

const clone = <T>(v: T): T => structuredClone(v);
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** Leaf field paths an apply configuration (or update) sets: maps recurse, lists and scalars are leaves. */
function leafPaths(obj: Json, includeStatus: boolean): string[][] {
  const out: string[][] = [];
  const walk = (v: unknown, path: string[]) => {
    if (isObj(v) && Object.keys(v).length > 0) for (const [k, c] of Object.entries(v)) walk(c, [...path, k]);
    else out.push(path);
  };
  for (const [k, v] of Object.entries(obj)) {
    if (k === "apiVersion" || k === "kind") continue;
    if (k === "status" && !includeStatus) continue;
    if (k === "metadata") {
      if (isObj(v)) for (const m of ["labels", "annotations"]) if (isObj(v[m])) walk(v[m], ["metadata", m]);
      continue;
    }
    walk(v, [k]);
  }
  return out.filter((p) => p.length > 0);
}

function getPath(obj: unknown, path: string[]): unknown {
  let cur = obj;
  for (const k of path) cur = isObj(cur) ? cur[k] : undefined;
  return cur;
}

function deletePath(obj: Json, path: string[]) {
  const parents: Json[] = [];
  let cur: unknown = obj;
  for (const k of path.slice(0, -1)) {
    if (!isObj(cur)) return;
    parents.push(cur);
    cur = cur[k];
  }
  if (!isObj(cur)) return;
  delete cur[path[path.length - 1]!];
  // Prune maps left empty by the removal.
  for (let i = path.length - 2; i >= 0; i--) {
    const parent = parents[i]!;
    const child = parent[path[i]!];
    if (isObj(child) && Object.keys(child).length === 0) delete parent[path[i]!];
    else break;
  }
}

/** Maps merge, everything else (lists included) is replaced. */
function applyMerge(base: Json, patch: Json): Json {
  const out = clone(base);
  for (const [k, v] of Object.entries(patch)) {
    out[k] = isObj(v) && isObj(out[k]) ? applyMerge(out[k] as Json, v) : clone(v);
  }
  return out;
}

/** RFC 7386 JSON merge patch. */
function mergePatch(base: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return clone(patch);
  const out: Json = isObj(base) ? clone(base) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** RFC 6902 JSON patch (add, remove, replace, test). */
function jsonPatch(base: Json, ops: unknown): Json {
  if (!Array.isArray(ops)) throw badRequest("the body of a JSON patch must be an array of operations");
  const doc = clone(base);
  for (const op of ops as { op: string; path: string; value?: unknown }[]) {
    const parts = String(op.path)
      .split("/")
      .slice(1)
      .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
    const last = parts.pop();
    if (last === undefined) throw badRequest(`invalid JSON patch path "${op.path}"`);
    let parent: unknown = doc;
    for (const p of parts) parent = Array.isArray(parent) ? parent[Number(p)] : isObj(parent) ? parent[p] : undefined;
    if (!isObj(parent) && !Array.isArray(parent)) throw new HttpError(422, statusBody(422, "Invalid", `doc is missing path: "${op.path}"`));
    const arr = Array.isArray(parent) ? parent : undefined;
    const map = isObj(parent) ? parent : undefined;
    switch (op.op) {
      case "add":
        if (arr) arr.splice(last === "-" ? arr.length : Number(last), 0, clone(op.value));
        else map![last] = clone(op.value);
        break;
      case "replace":
        if (arr) arr[Number(last)] = clone(op.value);
        else map![last] = clone(op.value);
        break;
      case "remove":
        if (arr) arr.splice(Number(last), 1);
        else delete map![last];
        break;
      case "test":
        if (!deepEqual(arr ? arr[Number(last)] : map![last], op.value)) throw new HttpError(422, statusBody(422, "Invalid", `testing value ${op.path} failed`));
        break;
      default:
        throw badRequest(`unsupported JSON patch operation "${op.op}"`);
    }
  }
  return doc;
}

type Requirement = (labels: Record<string, string>) => boolean;

function parseLabelSelector(sel: string | null): Requirement {
  if (!sel) return () => true;
  const reqs: Requirement[] = sel
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((term) => {
      let m = /^([^!=\s]+)\s*(==|=|!=)\s*([^,\s]*)$/.exec(term);
      if (m) {
        const [, key, op, value] = m as unknown as [string, string, string, string];
        return op === "!=" ? (l) => l[key] !== value : (l) => l[key] === value;
      }
      m = /^!([^!=\s]+)$/.exec(term);
      if (m) return (l) => !(m![1]! in l);
      m = /^([^!=\s()]+)$/.exec(term);
      if (m) return (l) => m![1]! in l;
      throw badRequest(`unable to parse requirement: "${term}" (this fake understands k=v, k!=v, k and !k)`);
    });
  return (labels) => reqs.every((r) => r(labels));
}

function parseFieldSelector(sel: string | null): (o: FakeObject) => boolean {
  if (!sel) return () => true;
  const terms = sel.split(",").map((t) => {
    const m = /^(metadata\.name|metadata\.namespace)(==|=|!=)(.*)$/.exec(t.trim());
    if (!m) throw badRequest(`field label not supported: ${t}`);
    return m;
  });
  return (o) =>
    terms.every(([, field, op, value]) => {
      const actual = field === "metadata.name" ? o.metadata.name : o.metadata.namespace;
      return op === "!=" ? actual !== value : actual === value;
    });
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+)?$/;

type Cause = { reason: string; message: string; field: string };

function validate(d: ResourceDef, o: FakeObject): Cause[] {
  const causes: Cause[] = [];
  const invalid = (field: string, value: unknown, msg: string) =>
    causes.push({ reason: "FieldValueInvalid", field, message: `Invalid value: ${JSON.stringify(value)}: ${msg}` });
  const required = (field: string) => causes.push({ reason: "FieldValueRequired", field, message: "Required value" });
  const name = o.metadata.name;
  if (d.plural === "namespaces") {
    if (name.length > 63 || !DNS_LABEL.test(name))
      invalid("metadata.name", name, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character");
  } else if (d.plural === "rolebindings" || d.plural === "roles") {
    if (name.includes("/") || name.includes("%") || name === "." || name === "..") invalid("metadata.name", name, "may not contain '/' or '%'");
  } else if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    invalid("metadata.name", name, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'");
  }
  const labels = o.metadata.labels;
  if (labels !== undefined) {
    if (!isObj(labels)) invalid("metadata.labels", labels, "must be a map of strings");
    else
      for (const [k, v] of Object.entries(labels)) {
        if (k.length > 316 || !LABEL_KEY.test(k)) invalid("metadata.labels", k, "name part must consist of alphanumeric characters, '-', '_' or '.'");
        if (typeof v !== "string" || v.length > 63 || !LABEL_VALUE.test(v))
          invalid(`metadata.labels`, v, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'");
      }
  }
  const spec = isObj(o.spec) ? o.spec : undefined;
  switch (d.plural) {
    case "resourcequotas":
      for (const [k, v] of Object.entries(isObj(spec?.hard) ? spec.hard : {}))
        if (typeof v !== "string" || !QUANTITY.test(v)) invalid(`spec.hard[${k}]`, v, "must be a quantity");
      break;
    case "rolebindings": {
      const ref = o.roleRef;
      if (!isObj(ref) || !ref.kind || !ref.name) required("roleRef");
      else if (ref.kind !== "Role" && ref.kind !== "ClusterRole") invalid("roleRef.kind", ref.kind, 'supported values: "Role", "ClusterRole"');
      const subjects = o.subjects;
      if (subjects !== undefined && !Array.isArray(subjects)) invalid("subjects", subjects, "must be a list");
      (Array.isArray(subjects) ? subjects : []).forEach((s: unknown, i) => {
        if (!isObj(s) || !s.name) required(`subjects[${i}].name`);
        else if (!["User", "Group", "ServiceAccount"].includes(String(s.kind))) invalid(`subjects[${i}].kind`, s.kind, 'supported values: "User", "Group", "ServiceAccount"');
      });
      break;
    }
    case "roles":
      if (o.rules !== undefined && !Array.isArray(o.rules)) invalid("rules", o.rules, "must be a list");
      break;
    case "networkpolicies":
      if (spec && spec.podSelector === undefined) required("spec.podSelector");
      break;
    case "configmaps":
      for (const [k, v] of Object.entries(isObj(o.data) ? o.data : {})) if (typeof v !== "string") invalid(`data[${k}]`, v, "must be a string");
      break;
    case "objectbucketclaims":
      if (!spec) required("spec");
      else {
        if (!spec.storageClassName) required("spec.storageClassName");
        if (!spec.bucketName && !spec.generateBucketName) required("spec.generateBucketName");
      }
      break;
    case "fybrikapplications":
      if (!spec) required("spec");
      else if (!Array.isArray(spec.data)) required("spec.data");
      else
        (spec.data as unknown[]).forEach((a, i) => {
          if (!isObj(a) || !a.dataSetID) required(`spec.data[${i}].dataSetID`);
        });
      break;
  }
  return causes;
}

function invalidError(d: ResourceDef, name: string, causes: Cause[]): HttpError {
  const kind = d.group ? `${d.kind}.${d.group}` : d.kind;
  const text = causes.map((c) => `${c.field}: ${c.message}`);
  const message = `${kind} "${name}" is invalid: ${text.length === 1 ? text[0] : `[${text.join(", ")}]`}`;
  return new HttpError(422, statusBody(422, "Invalid", message, { name, group: d.group || undefined, kind: d.kind, causes }));
}

/** Everything but bookkeeping: used to tell a no-op write from a change. */
function content(o: FakeObject): Json {
  const { metadata, ...rest } = o;
  const { resourceVersion: _rv, managedFields: _mf, generation: _g, ...meta } = metadata;
  return { ...rest, metadata: meta };
}
function specOf(o: FakeObject): Json {
  const { metadata: _m, status: _s, ...rest } = o;
  return rest;
}

type Route =
  | { type: "version" }
  | { type: "api" }
  | { type: "apis" }
  | { type: "resources"; group: string; version: string }
  | { type: "object"; def: ResourceDef; namespace?: string; name?: string; sub?: "status" }
  | { type: "unknown" };

function parseRoute(path: string): Route {
  const seg = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (seg.length === 1 && seg[0] === "version") return { type: "version" };
  if (seg.length === 1 && seg[0] === "api") return { type: "api" };
  if (seg.length === 1 && seg[0] === "apis") return { type: "apis" };
  let group: string, version: string, rest: string[];
  if (seg[0] === "api" && seg[1]) [group, version, rest] = ["", seg[1], seg.slice(2)];
  else if (seg[0] === "apis" && seg[1] && seg[2]) [group, version, rest] = [seg[1], seg[2], seg.slice(3)];
  else return { type: "unknown" };
  const find = (plural: string | undefined) => RESOURCES.find((d) => d.group === group && d.version === version && d.plural === plural);
  if (rest.length === 0) return { type: "resources", group, version };
  if (rest[0] === "namespaces" && rest.length >= 3) {
    const def = find(rest[2]);
    if (def?.namespaced && rest.length <= 5 && (rest.length < 5 || rest[4] === "status"))
      return { type: "object", def, namespace: rest[1], name: rest[3], sub: rest[4] === "status" ? "status" : undefined };
  }
  const def = find(rest[0]);
  if (!def) return { type: "unknown" };
  if (def.namespaced) return rest.length === 1 ? { type: "object", def } : { type: "unknown" };
  if (rest.length <= 3 && (rest.length < 3 || rest[2] === "status")) return { type: "object", def, name: rest[1], sub: rest[2] === "status" ? "status" : undefined };
  return { type: "unknown" };
}

export async function startFakeKubernetes(opts: FakeKubernetesOptions = {}) {
  const faults = opts.faults ?? new Faults();
  const token = opts.token ?? `fake-${randomBytes(12).toString("hex")}`;
  const bindDelayMs = opts.bindDelayMs ?? 50;
  const requests: FakeRequest[] = [];
  const objects = new Map<string, Stored>();
  const history: WatchEvent[] = [];
  const watchers = new Set<Watcher>();
  const timers = new Set<NodeJS.Timeout>();
  let rv = 1000;
  let url = "";

  const key = (plural: string, ns: string | undefined, name: string) => `${plural}|${ns ?? ""}|${name}`;
  const getStored = (d: ResourceDef, ns: string | undefined, name: string) => objects.get(key(d.plural, d.namespaced ? ns : undefined, name));

  function emit(d: ResourceDef, type: WatchEvent["type"], obj: FakeObject) {
    const ev: WatchEvent = { type, object: clone(obj), rv, plural: d.plural };
    history.push(ev);
    if (history.length > 2000) history.shift();
    for (const w of watchers) if (w.plural === d.plural && w.match(obj)) w.res.write(`${JSON.stringify({ type, object: ev.object })}\n`);
  }

  function namespaceExists(ns: string | undefined) {
    return ns !== undefined && objects.has(key("namespaces", undefined, ns));
  }

  function managedFields(owners: Map<string, string>, d: ResourceDef, operations: Map<string, string>) {
    return [...new Set(owners.values())].sort().map((manager) => ({
      manager,
      operation: operations.get(manager) ?? "Update",
      apiVersion: gv(d),
      time: new Date().toISOString(),
      fieldsType: "FieldsV1",
      fieldsV1: {},
    }));
  }
  const operationsOf = (o: FakeObject) =>
    new Map(((o.metadata.managedFields as { manager: string; operation: string }[] | undefined) ?? []).map((m) => [m.manager, m.operation]));

  /** Builds a new object as the server would store it; does not store it. */
  function newObject(d: ResourceDef, ns: string | undefined, body: Json, manager: string, operation: string): Stored {
    const obj = clone(body) as FakeObject;
    obj.apiVersion = gv(d);
    obj.kind = d.kind;
    const meta = (isObj(obj.metadata) ? obj.metadata : {}) as FakeObject["metadata"];
    if (!meta.name && typeof meta.generateName === "string") meta.name = `${meta.generateName}${randomBytes(3).toString("hex").slice(0, 5)}`;
    if (!meta.name) throw invalidError(d, "", [{ reason: "FieldValueRequired", field: "metadata.name", message: "Required value: name or generateName is required" }]);
    if (d.namespaced) meta.namespace = ns;
    else delete meta.namespace;
    meta.uid = randomUUID();
    meta.creationTimestamp = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    meta.generation = 1;
    delete meta.resourceVersion;
    obj.metadata = meta;
    if (d.status) delete obj.status;
    if (d.plural === "namespaces") {
      obj.spec = { finalizers: ["kubernetes"], ...(isObj(obj.spec) ? obj.spec : {}) };
      obj.status = { phase: "Active" };
      meta.labels = { ...(isObj(meta.labels) ? meta.labels : {}), "kubernetes.io/metadata.name": meta.name };
    }
    if (d.plural === "objectbucketclaims") obj.status = { phase: "Pending" };
    // Server defaults (finalizers, the metadata.name label) belong to nobody; the sender owns what it sent.
    const owners = new Map<string, string>();
    for (const p of leafPaths(body, false)) owners.set(JSON.stringify(p), manager);
    obj.metadata.managedFields = managedFields(owners, d, new Map([[manager, operation]]));
    const causes = validate(d, obj);
    if (causes.length) throw invalidError(d, meta.name, causes);
    return { obj, owners };
  }

  function commitCreate(d: ResourceDef, s: Stored, provision = true) {
    rv++;
    s.obj.metadata.resourceVersion = String(rv);
    objects.set(key(d.plural, s.obj.metadata.namespace, s.obj.metadata.name), s);
    emit(d, "ADDED", s.obj);
    if (provision && d.plural === "objectbucketclaims") scheduleProvisioner(s.obj.metadata.namespace!, s.obj.metadata.name, s.obj.metadata.uid as string);
  }

  /** Turns `next` into the stored form of an update of `prev`; returns whether anything changed. */
  function prepareUpdate(d: ResourceDef, prev: FakeObject, nextIn: Json, sub: "status" | undefined): { obj: FakeObject; changed: boolean } {
    let next = clone(nextIn) as FakeObject;
    if (sub === "status") next = { ...clone(prev), status: clone(next.status) };
    else if (d.status) {
      if (prev.status === undefined) delete next.status;
      else next.status = clone(prev.status);
    }
    const meta = (isObj(next.metadata) ? next.metadata : {}) as FakeObject["metadata"];
    next.apiVersion = gv(d);
    next.kind = d.kind;
    next.metadata = {
      ...meta,
      name: prev.metadata.name,
      ...(d.namespaced ? { namespace: prev.metadata.namespace } : {}),
      uid: prev.metadata.uid,
      creationTimestamp: prev.metadata.creationTimestamp,
      resourceVersion: prev.metadata.resourceVersion,
      generation: prev.metadata.generation,
      managedFields: prev.metadata.managedFields,
    };
    if (d.plural === "namespaces") next.metadata.labels = { ...(isObj(meta.labels) ? meta.labels : {}), "kubernetes.io/metadata.name": prev.metadata.name };
    const causes = validate(d, next);
    if (d.plural === "rolebindings" && prev.roleRef !== undefined && !deepEqual(prev.roleRef, next.roleRef)) {
      causes.push({ reason: "FieldValueInvalid", field: "roleRef", message: `Invalid value: ${JSON.stringify(next.roleRef)}: cannot change roleRef` });
    }
    if (causes.length) throw invalidError(d, prev.metadata.name, causes);
    const changed = !deepEqual(content(prev), content(next));
    if (changed && !deepEqual(specOf(prev), specOf(next))) next.metadata.generation = Number(prev.metadata.generation ?? 1) + 1;
    return { obj: next, changed };
  }

  function commitUpdate(d: ResourceDef, s: Stored, next: FakeObject, owners: Map<string, string>, manager: string, operation: string) {
    rv++;
    next.metadata.resourceVersion = String(rv);
    const ops = operationsOf(s.obj);
    ops.set(manager, operation);
    next.metadata.managedFields = managedFields(owners, d, ops);
    s.obj = next;
    s.owners = owners;
    emit(d, "MODIFIED", next);
  }

  function remove(d: ResourceDef, s: Stored) {
    objects.delete(key(d.plural, s.obj.metadata.namespace, s.obj.metadata.name));
    rv++;
    emit(d, "DELETED", { ...s.obj, metadata: { ...s.obj.metadata, resourceVersion: String(rv) } });
    if (d.plural === "namespaces") {
      for (const [k, inner] of [...objects]) {
        if (inner.obj.metadata.namespace === s.obj.metadata.name) {
          const innerDef = RESOURCES.find((r) => r.kind === inner.obj.kind)!;
          objects.delete(k);
          rv++;
          emit(innerDef, "DELETED", inner.obj);
        }
      }
    }
  }

  function scheduleProvisioner(ns: string, name: string, uid: string) {
    const timer = setTimeout(() => {
      timers.delete(timer);
      const d = defByPlural("objectbucketclaims")!;
      const s = getStored(d, ns, name);
      if (!s || s.obj.metadata.uid !== uid) return;
      const failed = opts.failBucket?.(name, ns) ?? false;
      const next = clone(s.obj);
      const spec = (isObj(next.spec) ? next.spec : {}) as Json;
      const owners = new Map(s.owners);
      const manager = "lib-bucket-provisioner";
      if (failed) {
        next.status = { phase: "Failed" };
      } else {
        const bucketName = (spec.bucketName as string | undefined) ?? `${String(spec.generateBucketName ?? name)}-${randomUUID()}`;
        next.spec = { ...spec, bucketName, objectBucketName: `obc-${ns}-${name}` };
        for (const f of ["bucketName", "objectBucketName"]) if (!owners.has(JSON.stringify(["spec", f]))) owners.set(JSON.stringify(["spec", f]), manager);
        next.status = { phase: "Bound" };
        const ownerReferences = [{ apiVersion: gv(d), kind: d.kind, name, uid, controller: true, blockOwnerDeletion: true }];
        const labels = { "bucket-provisioner": "rook-ceph.ceph.rook.io-bucket" };
        const cmDef = defByPlural("configmaps")!;
        const secretDef = defByPlural("secrets")!;
        if (!getStored(cmDef, ns, name)) {
          const cm = newObject(
            cmDef,
            ns,
            {
              metadata: { name, labels, ownerReferences },
              data: {
                BUCKET_HOST: opts.bucketHost ?? "rook-ceph-rgw-my-store.rook-ceph.svc",
                BUCKET_PORT: opts.bucketPort ?? "443",
                BUCKET_NAME: bucketName,
                BUCKET_REGION: "us-east-1",
                BUCKET_SUBREGION: "",
              },
            },
            manager,
            "Update",
          );
          commitCreate(cmDef, cm);
        }
        if (!getStored(secretDef, ns, name)) {
          const b64 = (v: string) => Buffer.from(v).toString("base64");
          const secret = newObject(
            secretDef,
            ns,
            {
              metadata: { name, labels, ownerReferences },
              type: "Opaque",
              data: { AWS_ACCESS_KEY_ID: b64(randomBytes(10).toString("hex").toUpperCase()), AWS_SECRET_ACCESS_KEY: b64(randomBytes(20).toString("base64")) },
            },
            manager,
            "Update",
          );
          commitCreate(secretDef, secret);
        }
      }
      // The provisioner writes spec and status separately in reality; one write is enough here.
      const specChanged = !deepEqual(specOf(s.obj), specOf(next));
      if (specChanged) next.metadata.generation = Number(s.obj.metadata.generation ?? 1) + 1;
      commitUpdate(d, s, next, owners, manager, "Update");
    }, bindDelayMs);
    timers.add(timer);
  }

  function parseJsonBody(text: string): unknown {
    try {
      return JSON.parse(text || "null");
    } catch (err) {
      throw badRequest(`error decoding YAML: this fake reads JSON bodies only: ${(err as Error).message}`);
    }
  }

  function checkIdentity(d: ResourceDef, route: { namespace?: string; name?: string }, body: Json, requireName: boolean) {
    if (!isObj(body)) throw badRequest("the body must be a JSON object");
    if (body.apiVersion !== undefined && body.apiVersion !== gv(d)) throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${gv(d)})`);
    if (body.kind !== undefined && body.kind !== d.kind) throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${d.kind})`);
    const meta = isObj(body.metadata) ? body.metadata : {};
    if (d.namespaced && meta.namespace !== undefined && meta.namespace !== route.namespace)
      throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
    if (route.name !== undefined && requireName && meta.name !== undefined && meta.name !== route.name)
      throw badRequest("the name of the object does not match the name on the URL");
  }

  function list(d: ResourceDef, ns: string | undefined, q: URLSearchParams): FakeObject[] {
    const labels = parseLabelSelector(q.get("labelSelector"));
    const fields = parseFieldSelector(q.get("fieldSelector"));
    return [...objects.values()]
      .map((s) => s.obj)
      .filter((o) => o.kind === d.kind && (ns === undefined || o.metadata.namespace === ns))
      .filter((o) => labels((o.metadata.labels ?? {}) as Record<string, string>) && fields(o))
      .sort((a, b) => `${a.metadata.namespace ?? ""}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ""}/${b.metadata.name}`));
  }

  function startWatch(d: ResourceDef, ns: string | undefined, q: URLSearchParams, req: IncomingMessage, res: ServerResponse) {
    const labels = parseLabelSelector(q.get("labelSelector"));
    const fields = parseFieldSelector(q.get("fieldSelector"));
    const match = (o: FakeObject) => (ns === undefined || o.metadata.namespace === ns) && labels((o.metadata.labels ?? {}) as Record<string, string>) && fields(o);
    const since = q.get("resourceVersion");
    res.writeHead(200, { "Content-Type": "application/json", "Transfer-Encoding": "chunked", "Cache-Control": "no-cache" });
    // The client's fetch resolves on the headers: send them now, not with the first event.
    res.flushHeaders();
    if (!since || since === "0") {
      for (const o of list(d, ns, new URLSearchParams())) if (match(o)) res.write(`${JSON.stringify({ type: "ADDED", object: o })}\n`);
    } else {
      const from = Number(since);
      const oldest = history[0]?.rv ?? rv;
      if (Number.isFinite(from) && from < oldest - 1) {
        const gone = statusBody(410, "Expired", `too old resource version: ${since} (${oldest})`);
        res.write(`${JSON.stringify({ type: "ERROR", object: gone })}\n`);
        res.end();
        return;
      }
      for (const ev of history) if (ev.plural === d.plural && ev.rv > from && match(ev.object)) res.write(`${JSON.stringify({ type: ev.type, object: ev.object })}\n`);
    }
    const w: Watcher = { plural: d.plural, match, res };
    watchers.add(w);
    const stop = () => {
      watchers.delete(w);
      if (!res.writableEnded) res.end();
    };
    const timeout = Number(q.get("timeoutSeconds") ?? "0");
    if (timeout > 0) {
      const t = setTimeout(stop, timeout * 1000);
      timers.add(t);
    }
    req.on("close", stop);
  }

  function discovery(group: string, version: string): Json | undefined {
    const defs = RESOURCES.filter((d) => d.group === group && d.version === version);
    if (!defs.length) return undefined;
    const verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    return {
      kind: "APIResourceList",
      apiVersion: "v1",
      groupVersion: group ? `${group}/${version}` : version,
      resources: defs.flatMap((d) => [
        { name: d.plural, singularName: d.singular, namespaced: d.namespaced, kind: d.kind, verbs },
        ...(d.status ? [{ name: `${d.plural}/status`, singularName: "", namespaced: d.namespaced, kind: d.kind, verbs: ["get", "patch", "update"] }] : []),
      ]),
    };
  }

  async function handleObject(route: Extract<Route, { type: "object" }>, req: IncomingMessage, res: ServerResponse, q: URLSearchParams) {
    const { def: d, namespace: ns, name, sub } = route;
    const method = req.method ?? "GET";
    if (sub && !d.status) throw new HttpError(404, statusBody(404, "NotFound", "the server could not find the requested resource"));
    const dryRun = q.get("dryRun");
    if (dryRun !== null && dryRun !== "All") throw badRequest(`Invalid dryRun value "${dryRun}": only "All" is supported`);
    const isDry = dryRun === "All";
    const manager = q.get("fieldManager") ?? "unknown";
    const needNamespace = () => {
      if (d.namespaced && !namespaceExists(ns)) throw new HttpError(404, statusBody(404, "NotFound", `namespaces "${ns}" not found`, { name: ns, kind: "namespaces" }));
    };

    if (name === undefined) {
      if (method === "GET") {
        if (q.get("watch") === "true" || q.get("watch") === "1") return startWatch(d, ns, q, req, res);
        let items = list(d, ns, q);
        const limit = Number(q.get("limit") ?? "0");
        const start = Number(q.get("continue") ?? "0") || 0;
        let cont: string | undefined;
        if (limit > 0) {
          cont = start + limit < items.length ? String(start + limit) : undefined;
          items = items.slice(start, start + limit);
        }
        return sendJson(res, 200, { apiVersion: gv(d), kind: `${d.kind}List`, metadata: { resourceVersion: String(rv), ...(cont ? { continue: cont } : {}) }, items });
      }
      if (method === "POST") {
        const body = parseJsonBody(await readBody(req)) as Json;
        checkIdentity(d, route, body, false);
        needNamespace();
        const s = newObject(d, ns, body, manager, "Update");
        if (getStored(d, ns, s.obj.metadata.name)) {
          throw new HttpError(409, statusBody(409, "AlreadyExists", `${qualified(d)} "${s.obj.metadata.name}" already exists`, { name: s.obj.metadata.name, group: d.group || undefined, kind: d.plural }));
        }
        if (!isDry) commitCreate(d, s);
        return sendJson(res, 201, s.obj);
      }
      if (method === "DELETE") {
        const items = list(d, ns, q);
        if (!isDry) for (const o of items) remove(d, getStored(d, o.metadata.namespace, o.metadata.name)!);
        return sendJson(res, 200, { apiVersion: gv(d), kind: `${d.kind}List`, metadata: { resourceVersion: String(rv) }, items });
      }
      throw new HttpError(405, statusBody(405, "MethodNotAllowed", `the server does not allow this method on the requested resource`));
    }

    const stored = getStored(d, ns, name);
    switch (method) {
      case "GET":
        if (!stored) throw notFound(d, name);
        return sendJson(res, 200, stored.obj);
      case "DELETE": {
        if (!stored) throw notFound(d, name);
        if (!isDry) remove(d, stored);
        return sendJson(res, 200, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details: { name, group: d.group || undefined, kind: d.plural, uid: stored.obj.metadata.uid } });
      }
      case "PUT": {
        const body = parseJsonBody(await readBody(req)) as Json;
        checkIdentity(d, route, body, true);
        if (!stored) throw notFound(d, name);
        const sentRv = isObj(body.metadata) ? body.metadata.resourceVersion : undefined;
        if (sentRv !== undefined && sentRv !== "" && sentRv !== stored.obj.metadata.resourceVersion) {
          throw new HttpError(
            409,
            statusBody(409, "Conflict", `Operation cannot be fulfilled on ${qualified(d)} "${name}": the object has been modified; please apply your changes to the latest version and try again`, {
              name,
              group: d.group || undefined,
              kind: d.plural,
            }),
          );
        }
        const { obj, changed } = prepareUpdate(d, stored.obj, body, sub);
        const owners = new Map(stored.owners);
        for (const p of leafPaths(body, sub === "status")) owners.set(JSON.stringify(p), manager);
        if (changed && !isDry) commitUpdate(d, stored, obj, owners, manager, "Update");
        return sendJson(res, 200, isDry || !changed ? obj : stored.obj);
      }
      case "PATCH":
        return handlePatch(route as typeof route & { name: string }, stored, req, res, q, isDry, manager);
      default:
        throw new HttpError(405, statusBody(405, "MethodNotAllowed", "the server does not allow this method on the requested resource"));
    }
  }

  async function handlePatch(
    route: Extract<Route, { type: "object" }> & { name: string },
    stored: Stored | undefined,
    req: IncomingMessage,
    res: ServerResponse,
    q: URLSearchParams,
    isDry: boolean,
    manager: string,
  ) {
    const { def: d, namespace: ns, name, sub } = route;
    const contentType = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    const text = await readBody(req);
    const force = q.get("force") === "true";
    const unsupported = () =>
      new HttpError(
        415,
        statusBody(
          415,
          "UnsupportedMediaType",
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml${d.custom ? "" : ", application/strategic-merge-patch+json"}`,
        ),
      );

    if (contentType === "application/apply-patch+yaml") {
      if (!q.get("fieldManager")) {
        throw new HttpError(
          422,
          statusBody(422, "Invalid", 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
            group: "meta.k8s.io",
            kind: "PatchOptions",
            causes: [{ reason: "FieldValueRequired", message: "Required value: is required for apply patch", field: "fieldManager" }],
          }),
        );
      }
      const body = parseJsonBody(text) as Json;
      checkIdentity(d, route, body, true);
      if (!body.apiVersion || !body.kind) throw badRequest("apiVersion and kind must be set in an apply configuration");
      const meta = isObj(body.metadata) ? body.metadata : {};
      if (meta.name !== name) throw badRequest("the name of the object does not match the name on the URL");
      if (!stored) {
        if (d.namespaced) needNamespaceFor(d, ns);
        if (sub === "status") throw notFound(d, name);
        const s = newObject(d, ns, body, manager, "Apply");
        if (!isDry) commitCreate(d, s);
        return sendJson(res, 201, s.obj);
      }
      const paths = leafPaths(body, sub === "status");
      const conflicts: { path: string[]; owner: string }[] = [];
      for (const p of paths) {
        const owner = stored.owners.get(JSON.stringify(p));
        if (owner && owner !== manager && !deepEqual(getPath(stored.obj, p), getPath(body, p))) conflicts.push({ path: p, owner });
      }
      if (conflicts.length && !force) {
        const fields = conflicts.map((c) => `conflict with "${c.owner}": .${c.path.join(".")}`);
        throw new HttpError(
          409,
          statusBody(409, "Conflict", `Apply failed with ${conflicts.length} conflict${conflicts.length > 1 ? "s" : ""}: ${fields.join("\n")}`, {
            name,
            group: d.group || undefined,
            kind: d.plural,
            causes: conflicts.map((c) => ({ reason: "FieldManagerConflict", message: `conflict with "${c.owner}"`, field: `.${c.path.join(".")}` })),
          }),
        );
      }
      let merged = applyMerge(stored.obj, body);
      const owners = new Map(stored.owners);
      const newKeys = new Set(paths.map((p) => JSON.stringify(p)));
      const related = (a: string[], b: string[]) => a.every((x, i) => b[i] === undefined || b[i] === x) || b.every((x, i) => a[i] === undefined || a[i] === x);
      // Fields this manager applied before and no longer applies are removed (unless someone else owns them).
      for (const [k, owner] of stored.owners) {
        if (owner !== manager || newKeys.has(k)) continue;
        const p = JSON.parse(k) as string[];
        if ((p[0] === "status") !== (sub === "status")) continue;
        if (paths.some((np) => related(np, p))) continue;
        deletePath(merged, p);
        owners.delete(k);
      }
      for (const p of paths) owners.set(JSON.stringify(p), manager);
      merged = merged as FakeObject;
      const { obj, changed } = prepareUpdate(d, stored.obj, merged, sub);
      const ownersChanged = !deepEqual(Object.fromEntries(owners), Object.fromEntries(stored.owners));
      if ((changed || ownersChanged) && !isDry) {
        if (changed) commitUpdate(d, stored, obj, owners, manager, "Apply");
        else stored.owners = owners;
      }
      return sendJson(res, 200, isDry || !changed ? obj : stored.obj);
    }

    if (force) {
      throw new HttpError(422, statusBody(422, "Invalid", 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch'));
    }
    let patched: Json;
    if (contentType === "application/merge-patch+json" || (contentType === "application/strategic-merge-patch+json" && !d.custom)) {
      if (!stored) throw notFound(d, name);
      const patch = parseJsonBody(text);
      if (!isObj(patch)) throw badRequest("a merge patch must be a JSON object");
      patched = mergePatch(stored.obj, patch) as Json;
    } else if (contentType === "application/json-patch+json") {
      if (!stored) throw notFound(d, name);
      patched = jsonPatch(stored.obj, parseJsonBody(text));
    } else {
      throw unsupported();
    }
    const { obj, changed } = prepareUpdate(d, stored.obj, patched, sub);
    const owners = new Map(stored.owners);
    if (changed) for (const p of leafPaths(obj, sub === "status")) if (!deepEqual(getPath(stored.obj, p), getPath(obj, p))) owners.set(JSON.stringify(p), manager);
    if (changed && !isDry) commitUpdate(d, stored, obj, owners, manager, "Update");
    return sendJson(res, 200, isDry || !changed ? obj : stored.obj);
  }

  function needNamespaceFor(d: ResourceDef, ns: string | undefined) {
    if (d.namespaced && !namespaceExists(ns)) throw new HttpError(404, statusBody(404, "NotFound", `namespaces "${ns}" not found`, { name: ns, kind: "namespaces" }));
  }

  function conflictFor(route: Route): Json {
    if (route.type !== "object") return statusBody(409, "Conflict", "Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again");
    const what = route.name ? `${qualified(route.def)} "${route.name}"` : qualified(route.def);
    return statusBody(409, "Conflict", `Operation cannot be fulfilled on ${what}: the object has been modified; please apply your changes to the latest version and try again`, {
      name: route.name,
      group: route.def.group || undefined,
      kind: route.def.plural,
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const parsed = new URL(req.url ?? "/", "http://fake");
    if (await faults.control(req, res)) return;
    const contentType = req.headers["content-type"];
    requests.push({ method: req.method ?? "GET", path: parsed.pathname, contentType: typeof contentType === "string" ? contentType : undefined, query: Object.fromEntries(parsed.searchParams) });
    const route = parseRoute(parsed.pathname);
    if (await faults.apply(req, res, conflictFor(route))) return;
    if (req.headers.authorization !== `Bearer ${token}`) {
      // The real server answers a Status here, but the client drops it: ApiException.body is undefined.
      res.writeHead(401, { "Content-Type": "application/json" });
      res.end();
      return;
    }
    try {
      switch (route.type) {
        case "version":
          return sendJson(res, 200, { major: "1", minor: "31", gitVersion: "v1.31.0-canopy-fake", gitCommit: "0000000", gitTreeState: "clean", buildDate: "2025-01-01T00:00:00Z", goVersion: "go1.23", compiler: "gc", platform: "linux/amd64" });
        case "api":
          return sendJson(res, 200, { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: url.replace(/^https?:\/\//, "") }] });
        case "apis": {
          const groups = [...new Set(RESOURCES.filter((d) => d.group).map((d) => `${d.group}/${d.version}`))].map((g) => {
            const [name, version] = g.split("/") as [string, string];
            return { name, versions: [{ groupVersion: g, version }], preferredVersion: { groupVersion: g, version } };
          });
          return sendJson(res, 200, { kind: "APIGroupList", apiVersion: "v1", groups });
        }
        case "resources": {
          const list = discovery(route.group, route.version);
          if (!list) throw new HttpError(404, statusBody(404, "NotFound", "the server could not find the requested resource"));
          return sendJson(res, 200, list);
        }
        case "object":
          return await handleObject(route, req, res, parsed.searchParams);
        default:
          throw new HttpError(404, statusBody(404, "NotFound", "the server could not find the requested resource"));
      }
    } catch (err) {
      if (err instanceof HttpError) return sendJson(res, err.code, err.body);
      return sendJson(res, 500, statusBody(500, "InternalError", `Internal error occurred: ${(err as Error).message}`));
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, statusBody(500, "InternalError", String(err)));
      else res.end();
    });
  });
  keepConnectionsOpen(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = baseUrl(server);

  const store = {
    /** A copy of a stored object, or undefined. `plural` as in the REST path ("configmaps"). */
    get(plural: string, namespace: string | undefined, name: string): FakeObject | undefined {
      const d = defByPlural(plural);
      const s = d && getStored(d, namespace, name);
      return s ? clone(s.obj) : undefined;
    },
    list(plural: string, namespace?: string): FakeObject[] {
      const d = defByPlural(plural);
      return d ? clone(list(d, namespace, new URLSearchParams())) : [];
    },
    /** Every stored object (copies). */
    all(): FakeObject[] {
      return [...objects.values()].map((s) => clone(s.obj));
    },
    /** Stores an object directly, as if another client had created it with `manager` (default "kubectl"). */
    put(object: Json, manager = "kubectl"): FakeObject {
      const d = RESOURCES.find((r) => r.kind === object.kind);
      if (!d) throw new Error(`the fake does not serve kind ${String(object.kind)}`);
      const meta = (object.metadata ?? {}) as Json;
      const existing = getStored(d, meta.namespace as string | undefined, String(meta.name));
      if (existing) remove(d, existing);
      const s = newObject(d, meta.namespace as string | undefined, object, manager, "Update");
      if (d.status && object.status !== undefined) s.obj.status = clone(object.status);
      commitCreate(d, s, object.status === undefined);
      return clone(s.obj);
    },
  };

  return {
    url,
    token,
    faults,
    store,
    requests,
    /** A KubeConfig pointing at the fake (bearer token; `token` overrides it, e.g. to provoke 401). */
    kubeConfig(override?: { token?: string }): KubeConfig {
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [{ name: "fake", server: url, skipTLSVerify: true }],
        users: [{ name: "canopy", token: override?.token ?? token }],
        contexts: [{ name: "fake", cluster: "fake", user: "canopy", namespace: "default" }],
        currentContext: "fake",
      });
      return kc;
    },
    /** Sets .status of a FybrikApplication, as the Fybrik manager would. */
    setFybrikStatus(namespace: string, name: string, status: Json): FakeObject {
      const d = defByPlural("fybrikapplications")!;
      const s = getStored(d, namespace, name);
      if (!s) throw new Error(`fybrikapplication ${namespace}/${name} does not exist`);
      const { obj, changed } = prepareUpdate(d, s.obj, { ...s.obj, status }, "status");
      if (changed) commitUpdate(d, s, obj, s.owners, "manager", "Update");
      return clone(s.obj);
    },
    async close(): Promise<void> {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const w of watchers) if (!w.res.writableEnded) w.res.end();
      watchers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

export type FakeKubernetes = Awaited<ReturnType<typeof startFakeKubernetes>>;
