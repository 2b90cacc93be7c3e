-- Rollback of 20261124090000_row_level_security.
DROP POLICY IF EXISTS "admin_read" ON "workforce"."audit_log";
DROP POLICY IF EXISTS "append_own" ON "workforce"."audit_log";
DROP POLICY IF EXISTS "tenant_read" ON "workforce"."audit_log";
ALTER TABLE "workforce"."audit_log" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "workforce"."audit_log" DISABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS "admin_rows" ON "workforce"."idempotency_record";
DROP POLICY IF EXISTS "tenant_rows" ON "workforce"."idempotency_record";
ALTER TABLE "workforce"."idempotency_record" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "workforce"."idempotency_record" DISABLE ROW LEVEL SECURITY;
