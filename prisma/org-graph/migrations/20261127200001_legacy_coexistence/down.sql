-- Rollback of 20261127200001_legacy_coexistence: restores the schema of the previous migration
-- (the legacy tables keep every row; mirrored organizations stay, unmapped).
-- DropForeignKey
ALTER TABLE "org_graph"."manufacturer_profile" DROP CONSTRAINT "manufacturer_profile_org_id_fkey";

-- DropForeignKey
ALTER TABLE "org_graph"."supplier_profile" DROP CONSTRAINT "supplier_profile_org_id_fkey";

-- DropForeignKey
ALTER TABLE "org_graph"."manufacturer_organization_map" DROP CONSTRAINT "manufacturer_organization_map_manufacturer_id_fkey";

-- DropForeignKey
ALTER TABLE "org_graph"."manufacturer_organization_map" DROP CONSTRAINT "manufacturer_organization_map_org_id_fkey";

-- DropForeignKey
ALTER TABLE "org_graph"."supplier_organization_map" DROP CONSTRAINT "supplier_organization_map_supplier_id_fkey";

-- DropForeignKey
ALTER TABLE "org_graph"."supplier_organization_map" DROP CONSTRAINT "supplier_organization_map_org_id_fkey";

-- DropTable
DROP TABLE "org_graph"."manufacturer_profile";

-- DropTable
DROP TABLE "org_graph"."supplier_profile";

-- DropTable
DROP TABLE "org_graph"."manufacturer_organization_map";

-- DropTable
DROP TABLE "org_graph"."supplier_organization_map";

-- DropTable
DROP TABLE "org_graph"."legacy_backfill_checkpoint";

-- DropEnum
DROP TYPE "org_graph"."LegacyMapSource";
