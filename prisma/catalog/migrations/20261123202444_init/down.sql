-- Rollback of 20261123202444_init: restores the schema of the previous migration.
-- DropForeignKey
ALTER TABLE "catalog"."sku" DROP CONSTRAINT "sku_product_id_fkey";

-- DropTable
DROP TABLE "catalog"."product";

-- DropTable
DROP TABLE "catalog"."sku";

-- DropTable
DROP TABLE "catalog"."audit_log";

-- DropTable
DROP TABLE "catalog"."idempotency_record";

-- DropEnum
DROP TYPE "catalog"."ProductStatus";
