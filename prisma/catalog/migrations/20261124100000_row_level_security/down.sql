-- Rollback of 20261124100000_row_level_security.
DROP POLICY IF EXISTS "admin_read" ON "catalog"."audit_log";
DROP POLICY IF EXISTS "append_own" ON "catalog"."audit_log";
DROP POLICY IF EXISTS "tenant_read" ON "catalog"."audit_log";
ALTER TABLE "catalog"."audit_log" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "catalog"."audit_log" DISABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS "admin_rows" ON "catalog"."idempotency_record";
DROP POLICY IF EXISTS "tenant_rows" ON "catalog"."idempotency_record";
ALTER TABLE "catalog"."idempotency_record" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "catalog"."idempotency_record" DISABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS "admin_rows" ON "catalog"."offering";
DROP POLICY IF EXISTS "seller_rows" ON "catalog"."offering";
DROP POLICY IF EXISTS "public_read" ON "catalog"."offering";
ALTER TABLE "catalog"."offering" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "catalog"."offering" DISABLE ROW LEVEL SECURITY;
