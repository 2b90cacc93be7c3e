-- Rollback of 20261123211207_catalog_publishing: restores the schema of the previous migration.
-- DropForeignKey
ALTER TABLE "catalog"."offering" DROP CONSTRAINT "offering_sku_id_fkey";

-- DropForeignKey
ALTER TABLE "catalog"."offering_version" DROP CONSTRAINT "offering_version_offering_id_fkey";

-- DropForeignKey
ALTER TABLE "catalog"."catalog_version" DROP CONSTRAINT "catalog_version_channel_id_fkey";

-- DropForeignKey
ALTER TABLE "catalog"."catalog_entry" DROP CONSTRAINT "catalog_entry_catalog_version_id_fkey";

-- DropForeignKey
ALTER TABLE "catalog"."catalog_entry" DROP CONSTRAINT "catalog_entry_offering_id_fkey";

-- DropForeignKey
ALTER TABLE "catalog"."catalog_entry" DROP CONSTRAINT "catalog_entry_offering_version_id_fkey";

-- DropForeignKey
ALTER TABLE "catalog"."catalog_version_effective" DROP CONSTRAINT "catalog_version_effective_catalog_version_id_fkey";

-- DropTable
DROP TABLE "catalog"."offering";

-- DropTable
DROP TABLE "catalog"."offering_version";

-- DropTable
DROP TABLE "catalog"."channel_catalog";

-- DropTable
DROP TABLE "catalog"."catalog_version";

-- DropTable
DROP TABLE "catalog"."catalog_entry";

-- DropTable
DROP TABLE "catalog"."catalog_version_effective";

-- DropEnum
DROP TYPE "catalog"."OfferingStatus";

-- DropEnum
DROP TYPE "catalog"."CatalogChangeKind";
