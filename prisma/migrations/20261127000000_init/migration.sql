-- CreateEnum
CREATE TYPE "GlobalRole" AS ENUM ('platform_admin');

-- CreateEnum
CREATE TYPE "DomainRole" AS ENUM ('steward', 'member');

-- CreateEnum
CREATE TYPE "LifecycleStatus" AS ENUM ('draft', 'published', 'deprecated', 'retired');

-- CreateEnum
CREATE TYPE "Classification" AS ENUM ('public', 'internal', 'confidential', 'restricted');

-- CreateEnum
CREATE TYPE "PortType" AS ENUM ('trino_table', 's3_bucket', 'api');

-- CreateEnum
CREATE TYPE "PrincipalType" AS ENUM ('user', 'group', 'product');

-- CreateEnum
CREATE TYPE "AccessRequestStatus" AS ENUM ('pending', 'approved', 'rejected', 'cancelled', 'provisioning', 'active', 'expired', 'revoked', 'failed');

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "subject" TEXT,
    "groups" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "roles" "GlobalRole"[] DEFAULT ARRAY[]::"GlobalRole"[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_login_at" TIMESTAMPTZ(3),

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "domains" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "domains_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "domain_members" (
    "domain_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role" "DomainRole" NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'catalogue',

    CONSTRAINT "domain_members_pkey" PRIMARY KEY ("domain_id","user_id")
);

-- CreateTable
CREATE TABLE "teams" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "domain_id" UUID,

    CONSTRAINT "teams_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "team_members" (
    "team_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,

    CONSTRAINT "team_members_pkey" PRIMARY KEY ("team_id","user_id")
);

-- CreateTable
CREATE TABLE "data_products" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "summary" TEXT NOT NULL DEFAULT '',
    "description" TEXT NOT NULL DEFAULT '',
    "domain_id" UUID NOT NULL,
    "owner_team_id" UUID,
    "status" "LifecycleStatus" NOT NULL DEFAULT 'draft',
    "version" TEXT NOT NULL DEFAULT '0.1.0',
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "classification" "Classification" NOT NULL DEFAULT 'internal',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "data_products_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "product_owners" (
    "product_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,

    CONSTRAINT "product_owners_pkey" PRIMARY KEY ("product_id","user_id")
);

-- CreateTable
CREATE TABLE "output_ports" (
    "id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "type" "PortType" NOT NULL,
    "location" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "classification" "Classification",
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "output_ports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "schema_fields" (
    "id" UUID NOT NULL,
    "port_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "classification" "Classification" NOT NULL DEFAULT 'internal',
    "pii" BOOLEAN NOT NULL DEFAULT false,
    "nullable" BOOLEAN NOT NULL DEFAULT true,
    "primary_key" BOOLEAN NOT NULL DEFAULT false,
    "position" INTEGER NOT NULL,

    CONSTRAINT "schema_fields_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "product_dependencies" (
    "id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "input_name" TEXT NOT NULL,
    "upstream_port_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "product_dependencies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "access_requests" (
    "id" UUID NOT NULL,
    "port_id" UUID NOT NULL,
    "requester_id" UUID NOT NULL,
    "principal_type" "PrincipalType" NOT NULL,
    "principal_ref" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "duration_days" INTEGER NOT NULL,
    "status" "AccessRequestStatus" NOT NULL DEFAULT 'pending',
    "decided_by_id" UUID,
    "decision_note" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),
    "revision" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "access_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" UUID,
    "actor_label" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "request_id" TEXT,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "users_subject_key" ON "users"("subject");

-- CreateIndex
CREATE UNIQUE INDEX "domains_slug_key" ON "domains"("slug");

-- CreateIndex
CREATE INDEX "domain_members_user_id_idx" ON "domain_members"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "teams_slug_key" ON "teams"("slug");

-- CreateIndex
CREATE INDEX "team_members_user_id_idx" ON "team_members"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "data_products_slug_key" ON "data_products"("slug");

-- CreateIndex
CREATE INDEX "data_products_domain_id_idx" ON "data_products"("domain_id");

-- CreateIndex
CREATE INDEX "data_products_status_idx" ON "data_products"("status");

-- CreateIndex
CREATE INDEX "product_owners_user_id_idx" ON "product_owners"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "output_ports_product_id_name_key" ON "output_ports"("product_id", "name");

-- CreateIndex
CREATE INDEX "schema_fields_port_id_position_idx" ON "schema_fields"("port_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "schema_fields_port_id_name_key" ON "schema_fields"("port_id", "name");

-- CreateIndex
CREATE INDEX "product_dependencies_upstream_port_id_idx" ON "product_dependencies"("upstream_port_id");

-- CreateIndex
CREATE UNIQUE INDEX "product_dependencies_product_id_upstream_port_id_key" ON "product_dependencies"("product_id", "upstream_port_id");

-- CreateIndex
CREATE INDEX "access_requests_port_id_status_idx" ON "access_requests"("port_id", "status");

-- CreateIndex
CREATE INDEX "access_requests_requester_id_idx" ON "access_requests"("requester_id");

-- CreateIndex
CREATE INDEX "audit_events_target_type_target_id_idx" ON "audit_events"("target_type", "target_id");

-- CreateIndex
CREATE INDEX "audit_events_actor_id_idx" ON "audit_events"("actor_id");

-- CreateIndex
CREATE INDEX "audit_events_at_idx" ON "audit_events"("at");

-- AddForeignKey
ALTER TABLE "domain_members" ADD CONSTRAINT "domain_members_domain_id_fkey" FOREIGN KEY ("domain_id") REFERENCES "domains"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "domain_members" ADD CONSTRAINT "domain_members_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "teams" ADD CONSTRAINT "teams_domain_id_fkey" FOREIGN KEY ("domain_id") REFERENCES "domains"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "data_products" ADD CONSTRAINT "data_products_domain_id_fkey" FOREIGN KEY ("domain_id") REFERENCES "domains"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "data_products" ADD CONSTRAINT "data_products_owner_team_id_fkey" FOREIGN KEY ("owner_team_id") REFERENCES "teams"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "product_owners" ADD CONSTRAINT "product_owners_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "data_products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "product_owners" ADD CONSTRAINT "product_owners_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "output_ports" ADD CONSTRAINT "output_ports_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "data_products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schema_fields" ADD CONSTRAINT "schema_fields_port_id_fkey" FOREIGN KEY ("port_id") REFERENCES "output_ports"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "product_dependencies" ADD CONSTRAINT "product_dependencies_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "data_products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "product_dependencies" ADD CONSTRAINT "product_dependencies_upstream_port_id_fkey" FOREIGN KEY ("upstream_port_id") REFERENCES "output_ports"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "access_requests" ADD CONSTRAINT "access_requests_port_id_fkey" FOREIGN KEY ("port_id") REFERENCES "output_ports"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "access_requests" ADD CONSTRAINT "access_requests_requester_id_fkey" FOREIGN KEY ("requester_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "access_requests" ADD CONSTRAINT "access_requests_decided_by_id_fkey" FOREIGN KEY ("decided_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Audit events are append-only: refuse UPDATE and DELETE at the database, whatever the caller.
CREATE FUNCTION "audit_events_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "audit_events_no_update_delete"
BEFORE UPDATE OR DELETE ON "audit_events"
FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"();
