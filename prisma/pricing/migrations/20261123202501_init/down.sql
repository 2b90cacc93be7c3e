-- Rollback of 20261123202501_init: restores the schema of the previous migration.
-- DropTable
DROP TABLE "pricing"."audit_log";

-- DropTable
DROP TABLE "pricing"."idempotency_record";
