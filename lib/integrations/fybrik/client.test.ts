import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDisabledFybrikClient, createFybrikClient } from "@/lib/integrations/fybrik/client";
import type { FybrikApplicationInput, FybrikClient } from "@/lib/integrations/fybrik/types";
import { IntegrationError } from "@/lib/integrations/http";
import { startFakeKubernetes, type FakeKubernetes } from "@/test/fakes/kubernetes/server";

const DATASET = 'openmetadata-s3.default.demo."file.csv"';
const input: FybrikApplicationInput = {
  name: "fraud-notebook",
  namespace: "dp-fraud",
  workloadLabels: { app: "my-nb" },
  intent: "Fraud Detection",
  role: "analyst",
  assets: [{ dataSetID: DATASET, protocol: "fybrik-arrow-flight", dataformat: "parquet" }, { dataSetID: "sales.orders" }],
  labels: { "canopy.io/grant": "g1" },
};

let fake: FakeKubernetes;
let fybrik: FybrikClient;

beforeEach(async () => {
  fake = await startFakeKubernetes();
  fake.store.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: "dp-fraud" } });
  fybrik = createFybrikClient({ kubeConfig: fake.kubeConfig(), retry: { baseDelayMs: 1, maxDelayMs: 5 } });
});

afterEach(async () => {
  await fake.close();
});

describe("Fybrik client", () => {
  it("applies a FybrikApplication by server-side apply", async () => {
    await fybrik.applyApplication(input);
    const patch = fake.requests.find((r) => r.method === "PATCH");
    expect(patch).toMatchObject({
      path: "/apis/app.fybrik.io/v1beta1/namespaces/dp-fraud/fybrikapplications/fraud-notebook",
      contentType: "application/apply-patch+yaml",
      query: { fieldManager: "canopy", force: "true" },
    });
    const app = fake.store.get("fybrikapplications", "dp-fraud", "fraud-notebook");
    expect(app?.metadata.labels).toMatchObject({ "app.kubernetes.io/managed-by": "canopy", "canopy.io/grant": "g1" });
    expect(app?.spec).toEqual({
      selector: { workloadSelector: { matchLabels: { app: "my-nb" } } },
      appInfo: { intent: "Fraud Detection", role: "analyst" },
      data: [
        { dataSetID: DATASET, flow: "read", requirements: { interface: { protocol: "fybrik-arrow-flight", dataformat: "parquet" } } },
        { dataSetID: "sales.orders", flow: "read", requirements: { interface: { protocol: "fybrik-arrow-flight" } } },
      ],
    });

    // Re-applying with a change updates in place (generation bumps, one object).
    await fybrik.applyApplication({ ...input, role: "auditor" });
    const updated = fake.store.get("fybrikapplications", "dp-fraud", "fraud-notebook");
    expect(updated?.spec).toMatchObject({ appInfo: { role: "auditor" } });
    expect(updated?.metadata.generation).toBe(2);
    expect(fake.store.list("fybrikapplications")).toHaveLength(1);
  });

  it("maps per-asset Ready and Deny conditions and the endpoint", async () => {
    await fybrik.applyApplication(input);
    expect(await fybrik.getStatus("dp-fraud", "fraud-notebook")).toEqual({
      name: "fraud-notebook",
      namespace: "dp-fraud",
      ready: false,
      assets: [
        { dataSetID: DATASET, ready: false, denied: false },
        { dataSetID: "sales.orders", ready: false, denied: false },
      ],
    });

    fake.setFybrikStatus("dp-fraud", "fraud-notebook", {
      ready: true,
      errorMessage: "",
      observedGeneration: 1,
      validApplication: "True",
      assetStates: {
        [DATASET]: {
          conditions: [
            { type: "Ready", status: "True", message: "", observedGeneration: 1 },
            { type: "Deny", status: "False" },
          ],
          endpoint: { name: "fybrik-arrow-flight", "fybrik-arrow-flight": { scheme: "grpc", hostname: "my-notebook-read.fybrik-blueprints", port: 80 } },
        },
        "sales.orders": {
          conditions: [
            { type: "Ready", status: "False" },
            { type: "Deny", status: "True", message: "Deny access to PII outside the EU", observedGeneration: 1 },
          ],
        },
      },
    });
    // Status writes went to the status subresource only; spec is untouched.
    expect(fake.store.get("fybrikapplications", "dp-fraud", "fraud-notebook")?.metadata.generation).toBe(1);

    const status = await fybrik.getStatus("dp-fraud", "fraud-notebook");
    expect(status).toEqual({
      name: "fraud-notebook",
      namespace: "dp-fraud",
      ready: true,
      assets: [
        {
          dataSetID: DATASET,
          ready: true,
          denied: false,
          endpoint: { protocol: "fybrik-arrow-flight", scheme: "grpc", hostname: "my-notebook-read.fybrik-blueprints", port: 80 },
        },
        { dataSetID: "sales.orders", ready: false, denied: true, message: "Deny access to PII outside the EU" },
      ],
    });
  });

  it("reports Error conditions and the application's error message", async () => {
    await fybrik.applyApplication(input);
    fake.setFybrikStatus("dp-fraud", "fraud-notebook", {
      ready: false,
      errorMessage: "no module supports the requested interface",
      assetStates: { [DATASET]: { conditions: [{ type: "Error", status: "True", message: "no module supports parquet over arrow-flight" }] } },
    });
    const status = await fybrik.getStatus("dp-fraud", "fraud-notebook");
    expect(status?.errorMessage).toBe("no module supports the requested interface");
    expect(status?.assets[0]).toEqual({ dataSetID: DATASET, ready: false, denied: false, message: "no module supports parquet over arrow-flight" });
  });

  it("answers null for a missing application and deletes idempotently", async () => {
    expect(await fybrik.getStatus("dp-fraud", "nothing")).toBeNull();
    await fybrik.applyApplication(input);
    await fybrik.deleteApplication("dp-fraud", "fraud-notebook");
    expect(fake.store.get("fybrikapplications", "dp-fraud", "fraud-notebook")).toBeUndefined();
    await fybrik.deleteApplication("dp-fraud", "fraud-notebook");
  });

  it("retries transient failures and reports permanent ones with Kubernetes' message", async () => {
    fake.faults.add({ path: "/fybrikapplications/fraud-notebook", kind: "status", status: 503, times: 2 });
    await fybrik.applyApplication(input);
    expect(fake.faults.hits("/fybrikapplications/fraud-notebook")).toBe(2);

    const err = await fybrik.applyApplication({ ...input, assets: [{ dataSetID: "" }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err).toMatchObject({ system: "fybrik", status: 422, reason: "Invalid" });
    expect((err as Error).message).toContain('FybrikApplication.app.fybrik.io "fraud-notebook" is invalid: spec.data[0].dataSetID');
  });

  it("health checks that the Fybrik API is served", async () => {
    expect(await fybrik.health()).toMatchObject({ system: "fybrik", mode: "connected", healthy: true });
    expect(fake.requests.at(-1)?.path).toBe("/apis/app.fybrik.io/v1beta1");
    const unauth = createFybrikClient({ kubeConfig: fake.kubeConfig({ token: "nope" }) });
    expect(await unauth.health()).toMatchObject({ healthy: false });
  });
});

describe("disabled Fybrik client", () => {
  it("refuses calls with NotConnected and is healthy", async () => {
    const f = createDisabledFybrikClient();
    expect(f.mode).toBe("disabled");
    await expect(f.applyApplication(input)).rejects.toMatchObject({ system: "fybrik", reason: "NotConnected" });
    await expect(f.getStatus("a", "b")).rejects.toBeInstanceOf(IntegrationError);
    await expect(f.deleteApplication("a", "b")).rejects.toBeInstanceOf(IntegrationError);
    expect(await f.health()).toMatchObject({ system: "fybrik", mode: "disabled", healthy: true });
  });
});
