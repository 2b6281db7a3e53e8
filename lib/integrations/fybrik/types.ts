import type { HealthStatus } from "@/lib/integrations/http";

export type FybrikAssetState = {
  dataSetID: string;
  ready: boolean;
  denied: boolean;
  message?: string;
  endpoint?: { protocol: string; scheme?: string; hostname?: string; port?: number };
};

export type FybrikApplicationStatus = {
  name: string;
  namespace: string;
  ready: boolean;
  errorMessage?: string;
  assets: FybrikAssetState[];
};

export type FybrikApplicationInput = {
  name: string;
  namespace: string;
  workloadLabels: Record<string, string>;
  intent: string;
  role: string;
  assets: { dataSetID: string; flow?: "read" | "write" | "copy" | "delete"; protocol?: string; dataformat?: string }[];
  labels?: Record<string, string>;
};

export interface FybrikClient {
  readonly mode: "connected" | "embedded" | "disabled";
  /** Creates or updates (server-side apply) the FybrikApplication. */
  applyApplication(input: FybrikApplicationInput): Promise<void>;
  getStatus(namespace: string, name: string): Promise<FybrikApplicationStatus | null>;
  deleteApplication(namespace: string, name: string): Promise<void>;
  health(): Promise<HealthStatus>;
}
