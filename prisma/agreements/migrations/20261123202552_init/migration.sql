-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "agreements";

-- CreateTable
CREATE TABLE "agreements"."outbox_event" (
    "id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "aggregate_type" TEXT NOT NULL,
    "aggregate_id" TEXT NOT NULL,
    "org_id" UUID,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "request_id" TEXT,
    "payload" JSONB NOT NULL,

    CONSTRAINT "outbox_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agreements"."audit_log" (
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
CREATE TABLE "agreements"."idempotency_record" (
    "org_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "response" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_record_pkey" PRIMARY KEY ("org_id","key")
);

-- CreateIndex
CREATE INDEX "outbox_event_org_id_id_idx" ON "agreements"."outbox_event"("org_id", "id");

-- CreateIndex
CREATE INDEX "outbox_event_type_id_idx" ON "agreements"."outbox_event"("type", "id");

-- CreateIndex
CREATE INDEX "audit_log_object_type_object_id_idx" ON "agreements"."audit_log"("object_type", "object_id");
