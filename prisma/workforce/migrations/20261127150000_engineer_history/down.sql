-- Rollback of 20261127150000_engineer_history: restores the schema of the previous migration
-- (the coverage in force goes back onto the engineer; skill and coverage history is lost).
DROP POLICY IF EXISTS "admin_rows" ON "workforce"."engineer_membership";
DROP POLICY IF EXISTS "tenant_rows" ON "workforce"."engineer_membership";
ALTER TABLE "workforce"."engineer_membership" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "workforce"."engineer_membership" DISABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS "admin_rows" ON "workforce"."engineer_coverage";
DROP POLICY IF EXISTS "tenant_rows" ON "workforce"."engineer_coverage";
DROP POLICY IF EXISTS "admin_rows" ON "workforce"."engineer_skill";
DROP POLICY IF EXISTS "tenant_rows" ON "workforce"."engineer_skill";
ALTER TABLE "workforce"."engineer_skill" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "workforce"."engineer_skill" DISABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS "admin_rows" ON "workforce"."engineer";
DROP POLICY IF EXISTS "tenant_rows" ON "workforce"."engineer";
ALTER TABLE "workforce"."engineer" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "workforce"."engineer" DISABLE ROW LEVEL SECURITY;
DROP FUNCTION IF EXISTS "workforce"."is_engineer_of_current_org"(uuid);

-- DropForeignKey
ALTER TABLE "workforce"."engineer_coverage" DROP CONSTRAINT "engineer_coverage_engineer_id_fkey";

-- DropIndex
DROP INDEX "workforce"."engineer_skill_engineer_id_valid_from_idx";

-- DropIndex
DROP INDEX "workforce"."engineer_skill_code_level_certified_until_idx";

-- DropIndex
DROP INDEX "workforce"."engineer_skill_open_key";

-- only the skills in force stay (one per engineer and code again)
DELETE FROM "workforce"."engineer_skill" WHERE "valid_to" IS NOT NULL;

-- AlterTable
ALTER TABLE "workforce"."engineer_skill" DROP CONSTRAINT "engineer_skill_valid_check";
ALTER TABLE "workforce"."engineer_skill" DROP COLUMN "valid_from",
DROP COLUMN "valid_to";

-- AlterTable
ALTER TABLE "workforce"."engineer" DROP COLUMN "created_by_org_id",
ADD COLUMN     "radius_km" DOUBLE PRECISION,
ADD COLUMN     "regions" TEXT[] DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "workforce"."engineer" ADD CONSTRAINT "engineer_radius_km_check" CHECK ("radius_km" > 0);

UPDATE "workforce"."engineer" e SET "regions" = c."regions", "radius_km" = c."radius_km"
  FROM "workforce"."engineer_coverage" c WHERE c."engineer_id" = e."id" AND c."valid_to" IS NULL;

-- DropTable
DROP TABLE "workforce"."engineer_coverage";

-- CreateIndex
CREATE INDEX "engineer_regions_idx" ON "workforce"."engineer" USING GIN ("regions");

-- CreateIndex
CREATE INDEX "engineer_skill_code_level_idx" ON "workforce"."engineer_skill"("code", "level");

-- CreateIndex
CREATE UNIQUE INDEX "engineer_skill_engineer_id_code_key" ON "workforce"."engineer_skill"("engineer_id", "code");
