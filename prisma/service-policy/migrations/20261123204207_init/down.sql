-- Rollback of 20261123204207_init: restores the schema of the previous migration.
-- DropForeignKey
ALTER TABLE "service_policy"."service_policy_version" DROP CONSTRAINT "service_policy_version_policy_id_fkey";

-- DropForeignKey
ALTER TABLE "service_policy"."ticket" DROP CONSTRAINT "ticket_policy_id_policy_version_fkey";

-- DropTable
DROP TABLE "service_policy"."service_policy";

-- DropTable
DROP TABLE "service_policy"."service_policy_version";

-- DropTable
DROP TABLE "service_policy"."ticket";

-- DropTable
DROP TABLE "service_policy"."audit_log";

-- DropTable
DROP TABLE "service_policy"."idempotency_record";

-- DropEnum
DROP TYPE "service_policy"."OrgRole";

-- DropEnum
DROP TYPE "service_policy"."TicketStatus";

-- DropEnum
DROP TYPE "service_policy"."TicketPriority";
