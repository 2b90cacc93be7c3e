-- Rollback of 20261203090200_rls_initplans: the policies as engineer_history and
-- assignment_owner wrote them.
DROP POLICY "tenant_rows" ON "workforce"."engineer_membership";
DROP POLICY "admin_rows" ON "workforce"."engineer_membership";
CREATE POLICY "tenant_rows" ON "workforce"."engineer_membership"
  USING ("org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK ("org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid AND "workforce"."is_engineer_of_current_org"("engineer_id"));
CREATE POLICY "admin_rows" ON "workforce"."engineer_membership"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

DROP POLICY "tenant_rows" ON "workforce"."engineer";
DROP POLICY "admin_rows" ON "workforce"."engineer";
CREATE POLICY "tenant_rows" ON "workforce"."engineer"
  USING ("created_by_org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid
         OR "id" IN (SELECT m."engineer_id" FROM "workforce"."engineer_membership" m WHERE m."org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid))
  WITH CHECK ("created_by_org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid
         OR "id" IN (SELECT m."engineer_id" FROM "workforce"."engineer_membership" m WHERE m."org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid));
CREATE POLICY "admin_rows" ON "workforce"."engineer"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

DROP POLICY "tenant_rows" ON "workforce"."engineer_skill";
DROP POLICY "admin_rows" ON "workforce"."engineer_skill";
CREATE POLICY "tenant_rows" ON "workforce"."engineer_skill"
  USING ("engineer_id" IN (SELECT m."engineer_id" FROM "workforce"."engineer_membership" m WHERE m."org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid))
  WITH CHECK ("engineer_id" IN (SELECT m."engineer_id" FROM "workforce"."engineer_membership" m WHERE m."org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid));
CREATE POLICY "admin_rows" ON "workforce"."engineer_skill"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

DROP POLICY "tenant_rows" ON "workforce"."engineer_coverage";
DROP POLICY "admin_rows" ON "workforce"."engineer_coverage";
CREATE POLICY "tenant_rows" ON "workforce"."engineer_coverage"
  USING ("engineer_id" IN (SELECT m."engineer_id" FROM "workforce"."engineer_membership" m WHERE m."org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid))
  WITH CHECK ("engineer_id" IN (SELECT m."engineer_id" FROM "workforce"."engineer_membership" m WHERE m."org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid));
CREATE POLICY "admin_rows" ON "workforce"."engineer_coverage"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

DROP POLICY "tenant_rows" ON "workforce"."engineer_assignment";
DROP POLICY "admin_rows" ON "workforce"."engineer_assignment";
CREATE POLICY "tenant_rows" ON "workforce"."engineer_assignment"
  USING ("org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK ("org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid);
CREATE POLICY "admin_rows" ON "workforce"."engineer_assignment"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');
