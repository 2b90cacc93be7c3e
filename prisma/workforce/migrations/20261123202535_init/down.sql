-- Rollback of 20261123202535_init: restores the schema of the previous migration.
-- DropTable
DROP TABLE "workforce"."audit_log";

-- DropTable
DROP TABLE "workforce"."idempotency_record";
