-- Rollback of 20261124090000_row_level_security.
DROP POLICY IF EXISTS "admin_read" ON "org_graph"."audit_log";
DROP POLICY IF EXISTS "append_own" ON "org_graph"."audit_log";
DROP POLICY IF EXISTS "tenant_read" ON "org_graph"."audit_log";
ALTER TABLE "org_graph"."audit_log" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "org_graph"."audit_log" DISABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS "admin_rows" ON "org_graph"."idempotency_record";
DROP POLICY IF EXISTS "tenant_rows" ON "org_graph"."idempotency_record";
ALTER TABLE "org_graph"."idempotency_record" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "org_graph"."idempotency_record" DISABLE ROW LEVEL SECURITY;
