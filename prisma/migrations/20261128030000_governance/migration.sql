-- Governance: policies (global and per domain), their versions, and evaluations of products over time
CREATE TABLE "policies" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "domain_id" UUID,
    "refines_id" UUID,
    "applies_to" TEXT NOT NULL,
    "engine" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "current_version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policies_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "policies_scope_check" CHECK ("scope" IN ('global', 'domain')),
    CONSTRAINT "policies_scope_domain_check" CHECK (("scope" = 'global') = ("domain_id" IS NULL)),
    CONSTRAINT "policies_refines_domain_check" CHECK ("refines_id" IS NULL OR "scope" = 'domain'),
    CONSTRAINT "policies_applies_to_check" CHECK ("applies_to" IN ('product', 'access')),
    CONSTRAINT "policies_engine_check" CHECK ("engine" IN ('rules', 'opa'))
);
CREATE UNIQUE INDEX "policies_global_key_key" ON "policies"("key") WHERE "domain_id" IS NULL;
CREATE UNIQUE INDEX "policies_domain_key_key" ON "policies"("domain_id", "key") WHERE "domain_id" IS NOT NULL;
CREATE INDEX "policies_domain_id_idx" ON "policies"("domain_id");
CREATE INDEX "policies_refines_id_idx" ON "policies"("refines_id");
ALTER TABLE "policies" ADD CONSTRAINT "policies_domain_id_fkey" FOREIGN KEY ("domain_id") REFERENCES "domains"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "policies" ADD CONSTRAINT "policies_refines_id_fkey" FOREIGN KEY ("refines_id") REFERENCES "policies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "policy_versions" (
    "id" UUID NOT NULL,
    "policy_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "definition" JSONB NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "changed_by_id" UUID,
    "changed_by" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_versions_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "policy_versions_policy_id_version_key" ON "policy_versions"("policy_id", "version");
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "policies"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_changed_by_id_fkey" FOREIGN KEY ("changed_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "policy_evaluations" (
    "id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "evaluated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "score" INTEGER NOT NULL,
    "blocking" INTEGER NOT NULL,
    "failing" INTEGER NOT NULL DEFAULT 0,
    "trigger" TEXT NOT NULL,
    "version" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "policy_evaluations_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "policy_evaluations_trigger_check" CHECK ("trigger" IN ('product_change', 'policy_change', 'manual')),
    CONSTRAINT "policy_evaluations_score_check" CHECK ("score" BETWEEN 0 AND 100)
);
-- "Latest evaluation per product": DISTINCT ON (product_id) … ORDER BY product_id, evaluated_at DESC reads this index.
CREATE INDEX "policy_evaluations_product_id_evaluated_at_idx" ON "policy_evaluations"("product_id", "evaluated_at" DESC);
CREATE INDEX "policy_evaluations_evaluated_at_idx" ON "policy_evaluations"("evaluated_at");
ALTER TABLE "policy_evaluations" ADD CONSTRAINT "policy_evaluations_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "data_products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "policy_results" (
    "id" UUID NOT NULL,
    "evaluation_id" UUID NOT NULL,
    "policy_key" TEXT NOT NULL,
    "policy_version" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "origin" JSONB NOT NULL,
    "outcome" TEXT NOT NULL,
    "findings" JSONB NOT NULL DEFAULT '[]',
    "remediation" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "policy_results_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "policy_results_outcome_check" CHECK ("outcome" IN ('pass', 'fail', 'error', 'not_applicable')),
    CONSTRAINT "policy_results_severity_check" CHECK ("severity" IN ('blocking', 'warning', 'advice'))
);
CREATE INDEX "policy_results_evaluation_id_idx" ON "policy_results"("evaluation_id");
CREATE INDEX "policy_results_policy_key_outcome_idx" ON "policy_results"("policy_key", "outcome");
ALTER TABLE "policy_results" ADD CONSTRAINT "policy_results_evaluation_id_fkey" FOREIGN KEY ("evaluation_id") REFERENCES "policy_evaluations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
