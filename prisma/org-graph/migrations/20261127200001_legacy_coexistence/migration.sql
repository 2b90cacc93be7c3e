-- Legacy coexistence (issue 14): organization profiles for the legacy-only attributes, the
-- crosswalk between legacy ids and organizations (unique both ways), and the backfill's
-- checkpoint. Additive: the legacy tables and their API are untouched. Generated from the Prisma
-- schema, then the JSONB checks added by hand at the end.

-- CreateEnum
CREATE TYPE "org_graph"."LegacyMapSource" AS ENUM ('DUAL_WRITE', 'BACKFILL', 'MANUAL');

-- CreateTable
CREATE TABLE "org_graph"."manufacturer_profile" (
    "org_id" UUID NOT NULL,
    "country" TEXT,
    "website" TEXT,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "manufacturer_profile_pkey" PRIMARY KEY ("org_id")
);

-- CreateTable
CREATE TABLE "org_graph"."supplier_profile" (
    "org_id" UUID NOT NULL,
    "country" TEXT,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "supplier_profile_pkey" PRIMARY KEY ("org_id")
);

-- CreateTable
CREATE TABLE "org_graph"."manufacturer_organization_map" (
    "manufacturer_id" INTEGER NOT NULL,
    "org_id" UUID NOT NULL,
    "source" "org_graph"."LegacyMapSource" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "manufacturer_organization_map_pkey" PRIMARY KEY ("manufacturer_id")
);

-- CreateTable
CREATE TABLE "org_graph"."supplier_organization_map" (
    "supplier_id" INTEGER NOT NULL,
    "org_id" UUID NOT NULL,
    "source" "org_graph"."LegacyMapSource" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "supplier_organization_map_pkey" PRIMARY KEY ("supplier_id")
);

-- CreateTable
CREATE TABLE "org_graph"."legacy_backfill_checkpoint" (
    "kind" TEXT NOT NULL,
    "last_id" INTEGER NOT NULL DEFAULT 0,
    "copied" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "legacy_backfill_checkpoint_pkey" PRIMARY KEY ("kind")
);

-- CreateIndex
CREATE UNIQUE INDEX "manufacturer_organization_map_org_id_key" ON "org_graph"."manufacturer_organization_map"("org_id");

-- CreateIndex
CREATE UNIQUE INDEX "supplier_organization_map_org_id_key" ON "org_graph"."supplier_organization_map"("org_id");

-- AddForeignKey
ALTER TABLE "org_graph"."manufacturer_profile" ADD CONSTRAINT "manufacturer_profile_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "org_graph"."organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "org_graph"."supplier_profile" ADD CONSTRAINT "supplier_profile_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "org_graph"."organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "org_graph"."manufacturer_organization_map" ADD CONSTRAINT "manufacturer_organization_map_manufacturer_id_fkey" FOREIGN KEY ("manufacturer_id") REFERENCES "org_graph"."manufacturers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "org_graph"."manufacturer_organization_map" ADD CONSTRAINT "manufacturer_organization_map_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "org_graph"."organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "org_graph"."supplier_organization_map" ADD CONSTRAINT "supplier_organization_map_supplier_id_fkey" FOREIGN KEY ("supplier_id") REFERENCES "org_graph"."suppliers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "org_graph"."supplier_organization_map" ADD CONSTRAINT "supplier_organization_map_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "org_graph"."organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- the profiles' variable attributes are a JSON object (validated by the code's zod schema too)
ALTER TABLE "org_graph"."manufacturer_profile" ADD CONSTRAINT "manufacturer_profile_attributes_object" CHECK (jsonb_typeof("attributes") = 'object');
ALTER TABLE "org_graph"."supplier_profile" ADD CONSTRAINT "supplier_profile_attributes_object" CHECK (jsonb_typeof("attributes") = 'object');
