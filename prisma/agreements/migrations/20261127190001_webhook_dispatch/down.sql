-- Rollback of 20261127190001_webhook_dispatch: restores the schema of the previous migration.
DROP POLICY IF EXISTS "admin_rows" ON "agreements"."webhook_attempt";
DROP POLICY IF EXISTS "tenant_rows" ON "agreements"."webhook_attempt";

-- DropForeignKey
ALTER TABLE "agreements"."webhook_attempt" DROP CONSTRAINT "webhook_attempt_delivery_id_fkey";

-- DropIndex
DROP INDEX "agreements"."outbox_event_dispatched_at_id_idx";

-- DropIndex
DROP INDEX "agreements"."idempotency_record_created_at_idx";

-- AlterTable
ALTER TABLE "agreements"."webhook_subscription" DROP COLUMN "consecutive_dead",
DROP COLUMN "disabled_reason",
DROP COLUMN "previous_secret",
DROP COLUMN "previous_secret_until";

-- AlterTable
ALTER TABLE "agreements"."webhook_delivery" DROP COLUMN "lease_id",
DROP COLUMN "lease_until";

-- AlterTable
ALTER TABLE "agreements"."outbox_event" DROP COLUMN "dispatched_at";

-- DropTable
DROP TABLE "agreements"."webhook_attempt";
