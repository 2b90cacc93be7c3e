-- Rollback of 20261123203857_init: restores the schema of the previous migration.
-- DropForeignKey
ALTER TABLE "workforce"."engineer_skill" DROP CONSTRAINT "engineer_skill_engineer_id_fkey";

-- DropForeignKey
ALTER TABLE "workforce"."engineer_membership" DROP CONSTRAINT "engineer_membership_engineer_id_fkey";

-- DropForeignKey
ALTER TABLE "workforce"."engineer_assignment" DROP CONSTRAINT "engineer_assignment_engineer_id_fkey";

-- DropTable
DROP TABLE "workforce"."engineer";

-- DropTable
DROP TABLE "workforce"."engineer_skill";

-- DropTable
DROP TABLE "workforce"."engineer_membership";

-- DropTable
DROP TABLE "workforce"."engineer_assignment";

-- DropTable
DROP TABLE "workforce"."audit_log";

-- DropTable
DROP TABLE "workforce"."idempotency_record";

-- DropEnum
DROP TYPE "workforce"."EngineerStatus";
