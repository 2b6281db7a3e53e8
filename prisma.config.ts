import { defineConfig } from "prisma/config";

// Used by the Prisma CLI only (generate, and `migrate deploy` where its engine is installed).
// At runtime the client is built in lib/db/client.ts with a driver adapter.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/canopy" },
});
