-- Access requests: purpose category, terms, workload, multi-step approval, PII unmasking, revocation, reminders, extensions
ALTER TABLE "access_requests" ADD COLUMN "purpose_category" TEXT;
ALTER TABLE "access_requests" ADD COLUMN "terms_accepted_at" TIMESTAMPTZ(3);
ALTER TABLE "access_requests" ADD COLUMN "workload" TEXT;
ALTER TABLE "access_requests" ADD COLUMN "level" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "access_requests" ADD COLUMN "levels" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "access_requests" ADD COLUMN "approver_ids" UUID[] NOT NULL DEFAULT ARRAY[]::UUID[];
ALTER TABLE "access_requests" ADD COLUMN "second_approver_ids" UUID[] NOT NULL DEFAULT ARRAY[]::UUID[];
ALTER TABLE "access_requests" ADD COLUMN "pii_unmasked" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "access_requests" ADD COLUMN "revoked_at" TIMESTAMPTZ(3);
ALTER TABLE "access_requests" ADD COLUMN "revoked_by_id" UUID;
ALTER TABLE "access_requests" ADD COLUMN "reminded_at" TIMESTAMPTZ(3);
ALTER TABLE "access_requests" ADD COLUMN "extension_days" INTEGER;
CREATE INDEX "access_requests_status_expires_at_idx" ON "access_requests"("status", "expires_at");

-- CreateTable
CREATE TABLE "access_approvals" (
    "id" UUID NOT NULL,
    "request_id" UUID NOT NULL,
    "level" INTEGER NOT NULL,
    "decision" TEXT NOT NULL,
    "decider_id" UUID,
    "rule" TEXT,
    "note" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "access_approvals_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "access_approvals_request_id_idx" ON "access_approvals"("request_id");
ALTER TABLE "access_approvals" ADD CONSTRAINT "access_approvals_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "access_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "notifications" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "link" TEXT NOT NULL DEFAULT '',
    "read_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "notifications_user_id_read_at_created_at_idx" ON "notifications"("user_id", "read_at", "created_at");
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
