-- An assignment belongs to the organization responsible for its ticket (the engineers'
-- employer or partner acting on it): row-level security like every tenant-owned table.
-- AlterTable
ALTER TABLE "workforce"."engineer_assignment" ADD COLUMN     "org_id" UUID NOT NULL;

-- CreateIndex
CREATE INDEX "engineer_assignment_org_id_assigned_at_idx" ON "workforce"."engineer_assignment"("org_id", "assigned_at");

ALTER TABLE "workforce"."engineer_assignment" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "workforce"."engineer_assignment" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_rows" ON "workforce"."engineer_assignment"
  USING ("org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK ("org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid);
CREATE POLICY "admin_rows" ON "workforce"."engineer_assignment"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');
