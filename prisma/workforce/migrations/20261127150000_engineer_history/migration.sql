-- Engineers (issue 11): skills and coverage become dated rows (a change closes the row in force
-- and adds the next, never overwrites it), so an assignment can be explained later with the facts
-- in force then; engineers become visible only to their organizations (row-level security).
-- Generated from the Prisma schema, then reordered by hand so existing coverage is carried over
-- before the engineer's columns go, and extended below the generated part.

-- CreateTable
CREATE TABLE "workforce"."engineer_coverage" (
    "id" UUID NOT NULL,
    "engineer_id" UUID NOT NULL,
    "regions" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "radius_km" DOUBLE PRECISION,
    "valid_from" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "valid_to" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "engineer_coverage_pkey" PRIMARY KEY ("id")
);

-- the coverage each engineer had, in force since the engineer was created
INSERT INTO "workforce"."engineer_coverage" ("id", "engineer_id", "regions", "radius_km", "valid_from", "created_at")
  SELECT gen_random_uuid(), "id", COALESCE("regions", ARRAY[]::TEXT[]), "radius_km", "created_at", "created_at"
  FROM "workforce"."engineer";

-- DropIndex
DROP INDEX "workforce"."engineer_regions_idx";

-- DropIndex
DROP INDEX "workforce"."engineer_skill_code_level_idx";

-- DropIndex
DROP INDEX "workforce"."engineer_skill_engineer_id_code_key";

-- AlterTable
ALTER TABLE "workforce"."engineer" DROP COLUMN "radius_km",
DROP COLUMN "regions",
ADD COLUMN     "created_by_org_id" UUID;

-- AlterTable
ALTER TABLE "workforce"."engineer_skill" ADD COLUMN     "valid_from" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "valid_to" TIMESTAMPTZ(3);

-- existing skills have been in force since they were recorded
UPDATE "workforce"."engineer_skill" SET "valid_from" = "created_at";

-- CreateIndex
CREATE INDEX "engineer_coverage_engineer_id_valid_from_idx" ON "workforce"."engineer_coverage"("engineer_id", "valid_from");

-- CreateIndex
CREATE INDEX "engineer_coverage_regions_idx" ON "workforce"."engineer_coverage" USING GIN ("regions");

-- CreateIndex
CREATE UNIQUE INDEX "engineer_coverage_open_key" ON "workforce"."engineer_coverage"("engineer_id") WHERE (valid_to IS NULL);

-- CreateIndex
CREATE INDEX "engineer_skill_engineer_id_valid_from_idx" ON "workforce"."engineer_skill"("engineer_id", "valid_from");

-- CreateIndex
CREATE INDEX "engineer_skill_code_level_certified_until_idx" ON "workforce"."engineer_skill"("code", "level", "certified_until");

-- CreateIndex
CREATE UNIQUE INDEX "engineer_skill_open_key" ON "workforce"."engineer_skill"("engineer_id", "code") WHERE (valid_to IS NULL);

-- AddForeignKey
ALTER TABLE "workforce"."engineer_coverage" ADD CONSTRAINT "engineer_coverage_engineer_id_fkey" FOREIGN KEY ("engineer_id") REFERENCES "workforce"."engineer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Domain checks (not modelled by Prisma, so drift checks do not see them)
ALTER TABLE "workforce"."engineer_coverage" ADD CONSTRAINT "engineer_coverage_radius_km_check" CHECK ("radius_km" > 0);
ALTER TABLE "workforce"."engineer_coverage" ADD CONSTRAINT "engineer_coverage_valid_check" CHECK ("valid_to" IS NULL OR "valid_to" > "valid_from");
ALTER TABLE "workforce"."engineer_skill" ADD CONSTRAINT "engineer_skill_valid_check" CHECK ("valid_to" IS NULL OR "valid_to" > "valid_from");

-- Row-level security (docs/security.md): an engineer, its skills and coverage are seen by the
-- organizations it has a membership in (past, present or future: an assignment stays
-- explainable, a future employer can prepare) and by the organization that created it; a
-- membership only by its own organization (an organization does not learn who else employs its
-- people). Administrators pass through a policy of their own.
--
-- The policies are plain subqueries on engineer_membership (whose own policy is `org_id = the
-- caller's`), so the planner turns them into one hashed set or a semi-join per statement:
-- eligibility scans thousands of rows.

-- Whether the caller's organization created the engineer or has a membership in it: the check a
-- new membership row passes (an organization joins only engineers it already has, or has just
-- created). engineer_membership's policy cannot query engineer_membership: SECURITY DEFINER runs
-- it as its owner, the migrator, whose BYPASSRLS reads the rows without the policies
-- (search_path pinned, EXECUTE granted to the workforce runtime role only). Only writes call it.
CREATE FUNCTION "workforce"."is_engineer_of_current_org"("engineer" uuid) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $$
    SELECT EXISTS (
      SELECT 1 FROM "workforce"."engineer_membership" m
      WHERE m."engineer_id" = "engineer"
        AND m."org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid
    ) OR EXISTS (
      SELECT 1 FROM "workforce"."engineer" e
      WHERE e."id" = "engineer"
        AND e."created_by_org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid
    )
  $$;
REVOKE ALL ON FUNCTION "workforce"."is_engineer_of_current_org"(uuid) FROM PUBLIC;

-- memberships: their own organization's; written (added, ended) by it only — trust takes two:
-- no organization makes someone a member of another one, or joins an engineer it does not have
ALTER TABLE "workforce"."engineer_membership" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "workforce"."engineer_membership" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_rows" ON "workforce"."engineer_membership"
  USING ("org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK ("org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid AND "workforce"."is_engineer_of_current_org"("engineer_id"));
CREATE POLICY "admin_rows" ON "workforce"."engineer_membership"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

-- engineers: an organization creates them in its own name only (and sees the row it inserts,
-- whose membership does not exist yet)
ALTER TABLE "workforce"."engineer" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "workforce"."engineer" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_rows" ON "workforce"."engineer"
  USING ("created_by_org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid
         OR "id" IN (SELECT m."engineer_id" FROM "workforce"."engineer_membership" m WHERE m."org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid))
  WITH CHECK ("created_by_org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid
         OR "id" IN (SELECT m."engineer_id" FROM "workforce"."engineer_membership" m WHERE m."org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid));
CREATE POLICY "admin_rows" ON "workforce"."engineer"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

-- skills and coverage: with their engineer's memberships (written after the creator's membership)
ALTER TABLE "workforce"."engineer_skill" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "workforce"."engineer_skill" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_rows" ON "workforce"."engineer_skill"
  USING ("engineer_id" IN (SELECT m."engineer_id" FROM "workforce"."engineer_membership" m WHERE m."org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid))
  WITH CHECK ("engineer_id" IN (SELECT m."engineer_id" FROM "workforce"."engineer_membership" m WHERE m."org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid));
CREATE POLICY "admin_rows" ON "workforce"."engineer_skill"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

ALTER TABLE "workforce"."engineer_coverage" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "workforce"."engineer_coverage" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_rows" ON "workforce"."engineer_coverage"
  USING ("engineer_id" IN (SELECT m."engineer_id" FROM "workforce"."engineer_membership" m WHERE m."org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid))
  WITH CHECK ("engineer_id" IN (SELECT m."engineer_id" FROM "workforce"."engineer_membership" m WHERE m."org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid));
CREATE POLICY "admin_rows" ON "workforce"."engineer_coverage"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');
