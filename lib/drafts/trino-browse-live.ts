import "server-only";
import { config } from "@/lib/config";
import { trinoBrowseOperations } from "@/lib/drafts/trino-browse";
import { getIntegrations } from "@/lib/integrations/registry";

/** The browse operations wired to this process's Trino adapter and user mapping. */
export const trinoBrowse = trinoBrowseOperations({
  trino: async () => (await getIntegrations()).trino,
  userMapping: () => config().integrations.trinoUserMapping,
});
