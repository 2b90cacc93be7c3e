-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "service_policy";

-- CreateEnum
CREATE TYPE "service_policy"."OrgRole" AS ENUM ('MANUFACTURER', 'DISTRIBUTOR', 'DEALER', 'SERVICE_PARTNER');

-- CreateEnum
CREATE TYPE "service_policy"."TicketStatus" AS ENUM ('OPEN', 'ASSIGNED', 'IN_PROGRESS', 'AWAITING_CUSTOMER', 'RESOLVED', 'CLOSED');

-- CreateEnum
CREATE TYPE "service_policy"."TicketPriority" AS ENUM ('P1', 'P2', 'P3', 'P4');

-- CreateTable
CREATE TABLE "service_policy"."service_policy" (
    "id" UUID NOT NULL,
    "manufacturer_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 1,
    "chain" "service_policy"."OrgRole"[],
    "conditions" JSONB NOT NULL DEFAULT '{}',
    "required_certification" TEXT,
    "default_org_id" UUID,
    "valid_from" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "valid_to" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "service_policy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_policy"."service_policy_version" (
    "policy_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "priority" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "chain" "service_policy"."OrgRole"[],
    "conditions" JSONB NOT NULL,
    "required_certification" TEXT,
    "default_org_id" UUID,
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "valid_to" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "service_policy_version_pkey" PRIMARY KEY ("policy_id","version")
);

-- CreateTable
CREATE TABLE "service_policy"."ticket" (
    "id" UUID NOT NULL,
    "sku_id" UUID NOT NULL,
    "product_id" UUID,
    "manufacturer_id" UUID,
    "region" TEXT NOT NULL,
    "lat" DOUBLE PRECISION,
    "lng" DOUBLE PRECISION,
    "issue_type" TEXT NOT NULL,
    "priority" "service_policy"."TicketPriority" NOT NULL,
    "status" "service_policy"."TicketStatus" NOT NULL DEFAULT 'OPEN',
    "reported_by_org_id" UUID NOT NULL,
    "required_skills" JSONB NOT NULL DEFAULT '[]',
    "responsible_org_id" UUID,
    "policy_id" UUID,
    "policy_version" INTEGER,
    "provenance" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ticket_pkey" PRIMARY KEY ("id")
);

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
CREATE INDEX "service_policy_manufacturer_id_id_idx" ON "service_policy"."service_policy"("manufacturer_id", "id");

-- CreateIndex
CREATE INDEX "service_policy_manufacturer_id_enabled_priority_idx" ON "service_policy"."service_policy"("manufacturer_id", "enabled", "priority");

-- CreateIndex
CREATE INDEX "ticket_responsible_org_id_id_idx" ON "service_policy"."ticket"("responsible_org_id", "id");

-- CreateIndex
CREATE INDEX "ticket_reported_by_org_id_id_idx" ON "service_policy"."ticket"("reported_by_org_id", "id");

-- CreateIndex
CREATE INDEX "ticket_manufacturer_id_id_idx" ON "service_policy"."ticket"("manufacturer_id", "id");

-- CreateIndex
CREATE INDEX "ticket_status_id_idx" ON "service_policy"."ticket"("status", "id");

-- CreateIndex
CREATE INDEX "ticket_sku_id_idx" ON "service_policy"."ticket"("sku_id");

-- CreateIndex
CREATE INDEX "ticket_policy_id_policy_version_idx" ON "service_policy"."ticket"("policy_id", "policy_version");

-- CreateIndex
CREATE INDEX "audit_log_object_type_object_id_idx" ON "service_policy"."audit_log"("object_type", "object_id");

-- AddForeignKey
ALTER TABLE "service_policy"."service_policy_version" ADD CONSTRAINT "service_policy_version_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "service_policy"."service_policy"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "service_policy"."ticket" ADD CONSTRAINT "ticket_policy_id_policy_version_fkey" FOREIGN KEY ("policy_id", "policy_version") REFERENCES "service_policy"."service_policy_version"("policy_id", "version") ON DELETE RESTRICT ON UPDATE RESTRICT;
