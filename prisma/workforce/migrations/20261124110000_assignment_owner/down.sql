-- Rollback of 20261124110000_assignment_owner: restores the schema of the previous migration.
DROP POLICY IF EXISTS "admin_rows" ON "workforce"."engineer_assignment";
DROP POLICY IF EXISTS "tenant_rows" ON "workforce"."engineer_assignment";
ALTER TABLE "workforce"."engineer_assignment" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "workforce"."engineer_assignment" DISABLE ROW LEVEL SECURITY;

-- DropIndex
DROP INDEX "workforce"."engineer_assignment_org_id_assigned_at_idx";

-- AlterTable
ALTER TABLE "workforce"."engineer_assignment" DROP COLUMN "org_id";
