-- Asset-level lineage: tables and columns wherever they live (a table served by an output port, a dbt
-- source, a table only OpenMetadata knows), edges between them with their source, and import reports.
CREATE TABLE "lineage_assets" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "fqn" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "table_id" UUID,
    "description" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lineage_assets_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "lineage_assets_kind_check" CHECK ("kind" IN ('table', 'column')),
    CONSTRAINT "lineage_assets_table_check" CHECK (("kind" = 'column') = ("table_id" IS NOT NULL)),
    CONSTRAINT "lineage_assets_fqn_check" CHECK ("fqn" = lower("fqn") AND "fqn" <> '')
);
CREATE UNIQUE INDEX "lineage_assets_kind_fqn_key" ON "lineage_assets"("kind", "fqn");
CREATE INDEX "lineage_assets_table_id_idx" ON "lineage_assets"("table_id");
ALTER TABLE "lineage_assets" ADD CONSTRAINT "lineage_assets_table_id_fkey" FOREIGN KEY ("table_id") REFERENCES "lineage_assets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "lineage_edges" (
    "id" UUID NOT NULL,
    "from_id" UUID NOT NULL,
    "to_id" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "details" JSONB NOT NULL DEFAULT '{}',
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lineage_edges_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "lineage_edges_source_check" CHECK ("source" IN ('manual', 'dbt', 'openmetadata')),
    CONSTRAINT "lineage_edges_not_self_check" CHECK ("from_id" <> "to_id")
);
CREATE UNIQUE INDEX "lineage_edges_from_id_to_id_source_key" ON "lineage_edges"("from_id", "to_id", "source");
CREATE INDEX "lineage_edges_to_id_idx" ON "lineage_edges"("to_id");
ALTER TABLE "lineage_edges" ADD CONSTRAINT "lineage_edges_from_id_fkey" FOREIGN KEY ("from_id") REFERENCES "lineage_assets"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "lineage_edges" ADD CONSTRAINT "lineage_edges_to_id_fkey" FOREIGN KEY ("to_id") REFERENCES "lineage_assets"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "lineage_edges" ADD CONSTRAINT "lineage_edges_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "lineage_imports" (
    "id" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "actor_id" UUID,
    "actor" TEXT NOT NULL,
    "product_id" UUID,
    "status" TEXT NOT NULL,
    "summary" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lineage_imports_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "lineage_imports_source_check" CHECK ("source" IN ('dbt', 'openmetadata')),
    CONSTRAINT "lineage_imports_status_check" CHECK ("status" IN ('succeeded', 'failed'))
);
CREATE INDEX "lineage_imports_source_created_at_idx" ON "lineage_imports"("source", "created_at");
CREATE INDEX "lineage_imports_product_id_idx" ON "lineage_imports"("product_id");
ALTER TABLE "lineage_imports" ADD CONSTRAINT "lineage_imports_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "lineage_imports" ADD CONSTRAINT "lineage_imports_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "data_products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A table asset belongs to the output port that serves it: trino_table ports are matched by location.
CREATE INDEX "output_ports_location_lower_idx" ON "output_ports"(lower("location"));
