-- Rollback of 20261123202552_init: restores the schema of the previous migration.
-- DropTable
DROP TABLE "agreements"."outbox_event";

-- DropTable
DROP TABLE "agreements"."audit_log";

-- DropTable
DROP TABLE "agreements"."idempotency_record";
