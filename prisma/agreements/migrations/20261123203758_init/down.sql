-- Rollback of 20261123203758_init: restores the schema of the previous migration.
-- DropForeignKey
ALTER TABLE "agreements"."agreement_party" DROP CONSTRAINT "agreement_party_agreement_id_fkey";

-- DropForeignKey
ALTER TABLE "agreements"."agreement_version" DROP CONSTRAINT "agreement_version_agreement_id_fkey";

-- DropForeignKey
ALTER TABLE "agreements"."agreement_sla_policy" DROP CONSTRAINT "agreement_sla_policy_agreement_id_fkey";

-- DropForeignKey
ALTER TABLE "agreements"."agreement_sla_policy" DROP CONSTRAINT "agreement_sla_policy_sla_policy_id_fkey";

-- DropForeignKey
ALTER TABLE "agreements"."webhook_delivery" DROP CONSTRAINT "webhook_delivery_subscription_id_fkey";

-- DropForeignKey
ALTER TABLE "agreements"."webhook_delivery" DROP CONSTRAINT "webhook_delivery_event_id_fkey";

-- DropTable
DROP TABLE "agreements"."agreement";

-- DropTable
DROP TABLE "agreements"."agreement_party";

-- DropTable
DROP TABLE "agreements"."agreement_version";

-- DropTable
DROP TABLE "agreements"."agreement_sla_policy";

-- DropTable
DROP TABLE "agreements"."sla_policy";

-- DropTable
DROP TABLE "agreements"."webhook_subscription";

-- DropTable
DROP TABLE "agreements"."webhook_delivery";

-- DropTable
DROP TABLE "agreements"."outbox_event";

-- DropTable
DROP TABLE "agreements"."audit_log";

-- DropTable
DROP TABLE "agreements"."idempotency_record";

-- DropEnum
DROP TYPE "agreements"."AgreementType";

-- DropEnum
DROP TYPE "agreements"."AgreementStatus";

-- DropEnum
DROP TYPE "agreements"."DeliveryStatus";
