import { afterAll, beforeAll, expect, it } from "vitest";
import { DEMO_PRODUCTS } from "@/lib/demo/mesh";
import { createTrinoQueryEngine } from "@/lib/integrations/trino/client";
import { seedDemoMeshTables } from "@/test/fakes/trino/demo-tables";
import { startFakeTrino } from "@/test/fakes/trino/server";

let fake: Awaited<ReturnType<typeof startFakeTrino>>;

beforeAll(async () => {
  fake = await startFakeTrino({ seed: false });
  await seedDemoMeshTables(fake.db, 5);
});
afterAll(async () => fake?.close());

it("serves every published demo table with its columns, types and comments through the real client", async () => {
  const trino = createTrinoQueryEngine({ server: fake.url });
  const port = DEMO_PRODUCTS.find((p) => p.slug === "sales-orders")!.ports.find((p) => p.name === "orders")!;
  const [catalog, schema, table] = port.location.split(".") as [string, string, string];
  const columns = await trino.describeTable("analyst@example.test", { catalog, schema, table });
  expect(columns.map((c) => c.name)).toEqual(port.fields.map((f) => f.name));
  expect(columns.map((c) => c.type)).toEqual(port.fields.map((f) => f.type.replace(/\s+/g, " ")));
  expect(columns[0]!.comment).toBe(port.fields[0]!.description);
  const preview = await trino.previewRows("analyst@example.test", { catalog, schema, table }, { limit: 3 });
  expect(preview.rows).toHaveLength(3);
  expect(preview.truncated).toBe(true);
});
