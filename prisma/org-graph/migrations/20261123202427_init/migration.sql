-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "org_graph";

-- CreateEnum
CREATE TYPE "org_graph"."OrgType" AS ENUM ('MANUFACTURER', 'DISTRIBUTOR', 'DEALER', 'SERVICE_PARTNER');

-- CreateEnum
CREATE TYPE "org_graph"."OrgStatus" AS ENUM ('ACTIVE', 'INACTIVE');

-- CreateEnum
CREATE TYPE "org_graph"."RelationshipType" AS ENUM ('DISTRIBUTOR_OF', 'DEALER_OF', 'SERVICE_PARTNER_OF');

-- CreateEnum
CREATE TYPE "org_graph"."ChannelStatus" AS ENUM ('ACTIVE', 'INACTIVE');

-- CreateTable
CREATE TABLE "org_graph"."organization" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "type" "org_graph"."OrgType" NOT NULL,
    "status" "org_graph"."OrgStatus" NOT NULL DEFAULT 'ACTIVE',
    "external_ref" TEXT,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "org_graph"."org_certification" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "valid_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "org_certification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "org_graph"."org_relationship" (
    "id" UUID NOT NULL,
    "from_org_id" UUID NOT NULL,
    "to_org_id" UUID NOT NULL,
    "type" "org_graph"."RelationshipType" NOT NULL,
    "territories" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "valid_from" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "valid_to" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "org_relationship_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "org_graph"."channel" (
    "id" UUID NOT NULL,
    "owner_org_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "regions" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "status" "org_graph"."ChannelStatus" NOT NULL DEFAULT 'ACTIVE',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "channel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "org_graph"."channel_member" (
    "channel_id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "channel_member_pkey" PRIMARY KEY ("channel_id","org_id")
);

-- CreateTable
CREATE TABLE "org_graph"."manufacturers" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "country" TEXT,
    "website" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "manufacturers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "org_graph"."suppliers" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "country" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "suppliers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "org_graph"."audit_log" (
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
CREATE TABLE "org_graph"."idempotency_record" (
    "org_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "response" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_record_pkey" PRIMARY KEY ("org_id","key")
);

-- CreateIndex
CREATE UNIQUE INDEX "organization_external_ref_key" ON "org_graph"."organization"("external_ref");

-- CreateIndex
CREATE INDEX "organization_type_id_idx" ON "org_graph"."organization"("type", "id");

-- CreateIndex
CREATE UNIQUE INDEX "org_certification_org_id_code_key" ON "org_graph"."org_certification"("org_id", "code");

-- CreateIndex
CREATE INDEX "org_relationship_from_org_id_idx" ON "org_graph"."org_relationship"("from_org_id");

-- CreateIndex
CREATE INDEX "org_relationship_to_org_id_idx" ON "org_graph"."org_relationship"("to_org_id");

-- CreateIndex
CREATE UNIQUE INDEX "channel_code_key" ON "org_graph"."channel"("code");

-- CreateIndex
CREATE INDEX "channel_owner_org_id_idx" ON "org_graph"."channel"("owner_org_id");

-- CreateIndex
CREATE INDEX "channel_member_org_id_idx" ON "org_graph"."channel_member"("org_id");

-- CreateIndex
CREATE INDEX "audit_log_object_type_object_id_idx" ON "org_graph"."audit_log"("object_type", "object_id");

-- AddForeignKey
ALTER TABLE "org_graph"."org_certification" ADD CONSTRAINT "org_certification_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "org_graph"."organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "org_graph"."org_relationship" ADD CONSTRAINT "org_relationship_from_org_id_fkey" FOREIGN KEY ("from_org_id") REFERENCES "org_graph"."organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "org_graph"."org_relationship" ADD CONSTRAINT "org_relationship_to_org_id_fkey" FOREIGN KEY ("to_org_id") REFERENCES "org_graph"."organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "org_graph"."channel" ADD CONSTRAINT "channel_owner_org_id_fkey" FOREIGN KEY ("owner_org_id") REFERENCES "org_graph"."organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "org_graph"."channel_member" ADD CONSTRAINT "channel_member_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "org_graph"."channel"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "org_graph"."channel_member" ADD CONSTRAINT "channel_member_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "org_graph"."organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
