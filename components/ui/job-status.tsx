import { Badge, type Tone } from "@/components/ui/badge";

const tone: Record<string, Tone> = { pending: "blue", running: "blue", succeeded: "green", failed: "red" };

export function JobStatusBadge({ status }: { status: string }) {
  return <Badge tone={tone[status] ?? "gray"}>{status}</Badge>;
}

export const jobKindLabel: Record<string, string> = {
  "kubernetes.provision-product": "Provision infrastructure",
  "openmetadata.push-product": "Share metadata with OpenMetadata",
  "kubernetes.reconcile": "Check infrastructure for drift",
  "access.grant": "Set up granted access",
  "access.revoke": "Remove ended access",
  "access.expiry-sweep": "Expire access and send reminders",
  "notifications.webhook": "Send a notification to the webhook",
  "governance.reevaluate": "Re-check products against policies",
  "lineage.openmetadata.sync": "Sync lineage with OpenMetadata",
  "lineage.openmetadata.sweep": "Queue OpenMetadata lineage syncs",
};
