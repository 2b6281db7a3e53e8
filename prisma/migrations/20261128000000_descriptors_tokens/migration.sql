-- Descriptors as code: contracts per port, logical types, kept source documents
ALTER TABLE "data_products" ADD COLUMN "descriptor_source" JSONB;
ALTER TABLE "data_products" ADD COLUMN "created_by_id" UUID;

ALTER TABLE "output_ports" ADD COLUMN "contract_id" TEXT;
UPDATE "output_ports" SET "contract_id" = gen_random_uuid()::text WHERE "contract_id" IS NULL;
ALTER TABLE "output_ports" ALTER COLUMN "contract_id" SET NOT NULL;
ALTER TABLE "output_ports" ADD COLUMN "contract" JSONB NOT NULL DEFAULT '{}';
ALTER TABLE "output_ports" ADD COLUMN "contract_source" JSONB;
CREATE UNIQUE INDEX "output_ports_contract_id_key" ON "output_ports"("contract_id");

ALTER TABLE "schema_fields" ADD COLUMN "logical_type" TEXT NOT NULL DEFAULT 'string';

-- CreateTable
CREATE TABLE "product_versions" (
    "id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "version" TEXT NOT NULL,
    "change_level" TEXT NOT NULL,
    "changelog" TEXT NOT NULL DEFAULT '',
    "spec" JSONB NOT NULL,
    "descriptor" JSONB NOT NULL,
    "contracts" JSONB NOT NULL DEFAULT '[]',
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "product_versions_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "product_versions_product_id_version_key" ON "product_versions"("product_id", "version");
CREATE INDEX "product_versions_product_id_created_at_idx" ON "product_versions"("product_id", "created_at");
ALTER TABLE "product_versions" ADD CONSTRAINT "product_versions_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "data_products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "product_drafts" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "product_id" UUID,
    "title" TEXT NOT NULL DEFAULT '',
    "step" INTEGER NOT NULL DEFAULT 0,
    "data" JSONB NOT NULL DEFAULT '{}',
    "revision" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "product_drafts_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "product_drafts_user_id_updated_at_idx" ON "product_drafts"("user_id", "updated_at");
ALTER TABLE "product_drafts" ADD CONSTRAINT "product_drafts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'personal',
    "prefix" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "scopes" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");
CREATE INDEX "api_tokens_user_id_idx" ON "api_tokens"("user_id");
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
