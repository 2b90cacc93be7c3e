-- Rollback of 20261201090000_policy_writers.
DROP TRIGGER IF EXISTS "service_policy_kept" ON "service_policy"."service_policy";
DROP TRIGGER IF EXISTS "service_policy_versioned" ON "service_policy"."service_policy";
DROP FUNCTION IF EXISTS "service_policy"."policy_versioned"();
DROP POLICY IF EXISTS "admin_rows" ON "service_policy"."service_policy_version";
DROP POLICY IF EXISTS "manufacturer_insert" ON "service_policy"."service_policy_version";
DROP POLICY IF EXISTS "verified_read" ON "service_policy"."service_policy_version";
ALTER TABLE "service_policy"."service_policy_version" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "service_policy"."service_policy_version" DISABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS "admin_rows" ON "service_policy"."service_policy";
DROP POLICY IF EXISTS "manufacturer_update" ON "service_policy"."service_policy";
DROP POLICY IF EXISTS "manufacturer_insert" ON "service_policy"."service_policy";
DROP POLICY IF EXISTS "verified_read" ON "service_policy"."service_policy";
ALTER TABLE "service_policy"."service_policy" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "service_policy"."service_policy" DISABLE ROW LEVEL SECURITY;
