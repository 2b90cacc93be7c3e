-- Rollback of 20261124090000_row_level_security.
DROP POLICY IF EXISTS "admin_rows" ON "service_policy"."ticket";
DROP POLICY IF EXISTS "tenant_update" ON "service_policy"."ticket";
DROP POLICY IF EXISTS "tenant_report" ON "service_policy"."ticket";
DROP POLICY IF EXISTS "tenant_read" ON "service_policy"."ticket";
ALTER TABLE "service_policy"."ticket" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "service_policy"."ticket" DISABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS "admin_read" ON "service_policy"."audit_log";
DROP POLICY IF EXISTS "append_own" ON "service_policy"."audit_log";
DROP POLICY IF EXISTS "tenant_read" ON "service_policy"."audit_log";
ALTER TABLE "service_policy"."audit_log" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "service_policy"."audit_log" DISABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS "admin_rows" ON "service_policy"."idempotency_record";
DROP POLICY IF EXISTS "tenant_rows" ON "service_policy"."idempotency_record";
ALTER TABLE "service_policy"."idempotency_record" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "service_policy"."idempotency_record" DISABLE ROW LEVEL SECURITY;
