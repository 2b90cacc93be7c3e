-- Rollback of 20261123202518_init: restores the schema of the previous migration.
-- DropTable
DROP TABLE "service_policy"."audit_log";

-- DropTable
DROP TABLE "service_policy"."idempotency_record";
