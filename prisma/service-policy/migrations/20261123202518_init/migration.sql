-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "service_policy";

-- CreateTable
CREATE TABLE "service_policy"."audit_log" (
    "id" UUID NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT,
    "org_id" UUID,
    "request_id" TEXT,
    "action" TEXT NOT NULL,
    "object_type" TEXT NOT NULL,
    "object_id" TEXT,
    "result" TEXT NOT NULL DEFAULT 'OK',
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_policy"."idempotency_record" (
    "org_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "response" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_record_pkey" PRIMARY KEY ("org_id","key")
);

-- CreateIndex
CREATE INDEX "audit_log_object_type_object_id_idx" ON "service_policy"."audit_log"("object_type", "object_id");
