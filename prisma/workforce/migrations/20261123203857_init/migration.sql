-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "workforce";

-- CreateEnum
CREATE TYPE "workforce"."EngineerStatus" AS ENUM ('ACTIVE', 'INACTIVE');

-- CreateTable
CREATE TABLE "workforce"."engineer" (
    "id" UUID NOT NULL,
    "display_name" TEXT NOT NULL,
    "email" TEXT,
    "phone" TEXT,
    "status" "workforce"."EngineerStatus" NOT NULL DEFAULT 'ACTIVE',
    "home_lat" DOUBLE PRECISION,
    "home_lng" DOUBLE PRECISION,
    "regions" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "radius_km" DOUBLE PRECISION,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "engineer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "workforce"."engineer_skill" (
    "id" UUID NOT NULL,
    "engineer_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "level" SMALLINT NOT NULL,
    "certified_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "engineer_skill_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "workforce"."engineer_membership" (
    "id" UUID NOT NULL,
    "engineer_id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "role" TEXT NOT NULL,
    "valid_from" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "valid_to" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "engineer_membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "workforce"."engineer_assignment" (
    "id" UUID NOT NULL,
    "ticket_id" UUID NOT NULL,
    "engineer_id" UUID NOT NULL,
    "override" BOOLEAN NOT NULL DEFAULT false,
    "override_reason" TEXT,
    "assigned_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "assigned_by" TEXT NOT NULL,

    CONSTRAINT "engineer_assignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "workforce"."audit_log" (
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
CREATE TABLE "workforce"."idempotency_record" (
    "org_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "response" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_record_pkey" PRIMARY KEY ("org_id","key")
);

-- CreateIndex
CREATE INDEX "engineer_status_id_idx" ON "workforce"."engineer"("status", "id");

-- CreateIndex
CREATE INDEX "engineer_regions_idx" ON "workforce"."engineer" USING GIN ("regions");

-- CreateIndex
CREATE INDEX "engineer_home_lat_home_lng_idx" ON "workforce"."engineer"("home_lat", "home_lng");

-- CreateIndex
CREATE INDEX "engineer_skill_code_level_idx" ON "workforce"."engineer_skill"("code", "level");

-- CreateIndex
CREATE UNIQUE INDEX "engineer_skill_engineer_id_code_key" ON "workforce"."engineer_skill"("engineer_id", "code");

-- CreateIndex
CREATE INDEX "engineer_membership_org_id_engineer_id_idx" ON "workforce"."engineer_membership"("org_id", "engineer_id");

-- CreateIndex
CREATE INDEX "engineer_membership_engineer_id_idx" ON "workforce"."engineer_membership"("engineer_id");

-- CreateIndex
CREATE INDEX "engineer_assignment_ticket_id_assigned_at_idx" ON "workforce"."engineer_assignment"("ticket_id", "assigned_at");

-- CreateIndex
CREATE INDEX "engineer_assignment_engineer_id_assigned_at_idx" ON "workforce"."engineer_assignment"("engineer_id", "assigned_at");

-- CreateIndex
CREATE INDEX "audit_log_object_type_object_id_idx" ON "workforce"."audit_log"("object_type", "object_id");

-- AddForeignKey
ALTER TABLE "workforce"."engineer_skill" ADD CONSTRAINT "engineer_skill_engineer_id_fkey" FOREIGN KEY ("engineer_id") REFERENCES "workforce"."engineer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workforce"."engineer_membership" ADD CONSTRAINT "engineer_membership_engineer_id_fkey" FOREIGN KEY ("engineer_id") REFERENCES "workforce"."engineer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workforce"."engineer_assignment" ADD CONSTRAINT "engineer_assignment_engineer_id_fkey" FOREIGN KEY ("engineer_id") REFERENCES "workforce"."engineer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Domain checks (Prisma does not model CHECK constraints, so drift checks do not see them)
ALTER TABLE "workforce"."engineer" ADD CONSTRAINT "engineer_home_lat_check" CHECK ("home_lat" BETWEEN -90 AND 90);
ALTER TABLE "workforce"."engineer" ADD CONSTRAINT "engineer_home_lng_check" CHECK ("home_lng" BETWEEN -180 AND 180);
ALTER TABLE "workforce"."engineer" ADD CONSTRAINT "engineer_radius_km_check" CHECK ("radius_km" > 0);
ALTER TABLE "workforce"."engineer_skill" ADD CONSTRAINT "engineer_skill_level_check" CHECK ("level" BETWEEN 1 AND 5);
ALTER TABLE "workforce"."engineer_membership" ADD CONSTRAINT "engineer_membership_valid_check" CHECK ("valid_to" IS NULL OR "valid_to" > "valid_from");
ALTER TABLE "workforce"."engineer_assignment" ADD CONSTRAINT "engineer_assignment_override_reason_check" CHECK (NOT "override" OR "override_reason" IS NOT NULL);
