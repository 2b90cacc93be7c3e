-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "agreements";

-- CreateEnum
CREATE TYPE "agreements"."AgreementType" AS ENUM ('DISTRIBUTION', 'SERVICE', 'WARRANTY', 'RESELLER');

-- CreateEnum
CREATE TYPE "agreements"."AgreementStatus" AS ENUM ('DRAFT', 'ACTIVE', 'EXPIRED', 'TERMINATED');

-- CreateEnum
CREATE TYPE "agreements"."DeliveryStatus" AS ENUM ('PENDING', 'DELIVERED', 'FAILED', 'DEAD');

-- CreateTable
CREATE TABLE "agreements"."agreement" (
    "id" UUID NOT NULL,
    "type" "agreements"."AgreementType" NOT NULL,
    "status" "agreements"."AgreementStatus" NOT NULL DEFAULT 'DRAFT',
    "version" INTEGER NOT NULL DEFAULT 1,
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "valid_to" TIMESTAMPTZ(3),
    "terms" JSONB NOT NULL DEFAULT '{}',
    "created_by_org_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agreement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agreements"."agreement_party" (
    "agreement_id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agreement_party_pkey" PRIMARY KEY ("agreement_id","org_id")
);

-- CreateTable
CREATE TABLE "agreements"."agreement_version" (
    "id" UUID NOT NULL,
    "agreement_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "status" "agreements"."AgreementStatus" NOT NULL,
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "valid_to" TIMESTAMPTZ(3),
    "terms" JSONB NOT NULL,
    "actor" TEXT,
    "request_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agreement_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agreements"."agreement_sla_policy" (
    "agreement_id" UUID NOT NULL,
    "sla_policy_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agreement_sla_policy_pkey" PRIMARY KEY ("agreement_id","sla_policy_id")
);

-- CreateTable
CREATE TABLE "agreements"."sla_policy" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "valid_to" TIMESTAMPTZ(3),
    "definition" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sla_policy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agreements"."webhook_subscription" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "event_types" TEXT[],
    "description" TEXT,
    "secret" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_subscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agreements"."webhook_delivery" (
    "id" UUID NOT NULL,
    "subscription_id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "status" "agreements"."DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_response_code" INTEGER,
    "last_error" TEXT,
    "next_attempt_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_delivery_pkey" PRIMARY KEY ("id")
);

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
CREATE INDEX "agreement_created_by_org_id_idx" ON "agreements"."agreement"("created_by_org_id");

-- CreateIndex
CREATE INDEX "agreement_party_org_id_agreement_id_idx" ON "agreements"."agreement_party"("org_id", "agreement_id");

-- CreateIndex
CREATE UNIQUE INDEX "agreement_version_agreement_id_version_key" ON "agreements"."agreement_version"("agreement_id", "version");

-- CreateIndex
CREATE INDEX "agreement_sla_policy_sla_policy_id_idx" ON "agreements"."agreement_sla_policy"("sla_policy_id");

-- CreateIndex
CREATE INDEX "sla_policy_org_id_position_idx" ON "agreements"."sla_policy"("org_id", "position");

-- CreateIndex
CREATE INDEX "webhook_subscription_org_id_active_idx" ON "agreements"."webhook_subscription"("org_id", "active");

-- CreateIndex
CREATE INDEX "webhook_delivery_status_next_attempt_at_idx" ON "agreements"."webhook_delivery"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "webhook_delivery_subscription_id_status_id_idx" ON "agreements"."webhook_delivery"("subscription_id", "status", "id");

-- CreateIndex
CREATE INDEX "webhook_delivery_event_id_idx" ON "agreements"."webhook_delivery"("event_id");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_delivery_subscription_id_event_id_key" ON "agreements"."webhook_delivery"("subscription_id", "event_id");

-- CreateIndex
CREATE INDEX "outbox_event_org_id_id_idx" ON "agreements"."outbox_event"("org_id", "id");

-- CreateIndex
CREATE INDEX "outbox_event_type_id_idx" ON "agreements"."outbox_event"("type", "id");

-- CreateIndex
CREATE INDEX "outbox_event_org_id_type_id_idx" ON "agreements"."outbox_event"("org_id", "type", "id");

-- CreateIndex
CREATE INDEX "audit_log_object_type_object_id_idx" ON "agreements"."audit_log"("object_type", "object_id");

-- AddForeignKey
ALTER TABLE "agreements"."agreement_party" ADD CONSTRAINT "agreement_party_agreement_id_fkey" FOREIGN KEY ("agreement_id") REFERENCES "agreements"."agreement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agreements"."agreement_version" ADD CONSTRAINT "agreement_version_agreement_id_fkey" FOREIGN KEY ("agreement_id") REFERENCES "agreements"."agreement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agreements"."agreement_sla_policy" ADD CONSTRAINT "agreement_sla_policy_agreement_id_fkey" FOREIGN KEY ("agreement_id") REFERENCES "agreements"."agreement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agreements"."agreement_sla_policy" ADD CONSTRAINT "agreement_sla_policy_sla_policy_id_fkey" FOREIGN KEY ("sla_policy_id") REFERENCES "agreements"."sla_policy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agreements"."webhook_delivery" ADD CONSTRAINT "webhook_delivery_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "agreements"."webhook_subscription"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agreements"."webhook_delivery" ADD CONSTRAINT "webhook_delivery_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "agreements"."outbox_event"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
