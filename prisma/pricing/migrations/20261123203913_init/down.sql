-- Rollback of 20261123203913_init: restores the schema of the previous migration.
-- DropForeignKey
ALTER TABLE "pricing"."price_rule" DROP CONSTRAINT "price_rule_price_book_id_fkey";

-- DropTable
DROP TABLE "pricing"."price_book";

-- DropTable
DROP TABLE "pricing"."price_rule";

-- DropTable
DROP TABLE "pricing"."audit_log";

-- DropTable
DROP TABLE "pricing"."idempotency_record";

-- DropEnum
DROP TYPE "pricing"."PriceScope";

-- DropEnum
DROP TYPE "pricing"."PriceBookStatus";

-- DropEnum
DROP TYPE "pricing"."PriceRuleKind";
