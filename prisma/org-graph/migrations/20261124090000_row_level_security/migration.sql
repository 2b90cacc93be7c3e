-- Row-level security (docs/security.md). Every statement of a runtime role runs in a
-- transaction that first sets app.org_id, app.is_admin, app.subject and app.request_id
-- transaction-locally (the runtime adapter in prisma/src/database.ts). Unset settings read as ''
-- (NULLIF makes them NULL), so without them no policy matches: no rows, no writes.
-- Administrators pass through a policy of their own. FORCE applies the policies to the
-- table owner too (only the migrator, which has BYPASSRLS, and superusers skip them).
-- Organizations, channels and relationships are public (contract): no policies there.

-- idempotency records: the key space of the caller's organization, or subject:<sub> for a
-- caller without one (the same scope the kit computes)
ALTER TABLE "org_graph"."idempotency_record" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "org_graph"."idempotency_record" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_rows" ON "org_graph"."idempotency_record"
  USING ("org_id" = COALESCE(NULLIF(current_setting('app.org_id', true), ''), 'subject:' || NULLIF(current_setting('app.subject', true), '')))
  WITH CHECK ("org_id" = COALESCE(NULLIF(current_setting('app.org_id', true), ''), 'subject:' || NULLIF(current_setting('app.subject', true), '')));
CREATE POLICY "admin_rows" ON "org_graph"."idempotency_record"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

-- audit rows: an organization reads its own, anyone verified appends rows in their own name
-- (UPDATE and DELETE are not granted to any runtime role)
ALTER TABLE "org_graph"."audit_log" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "org_graph"."audit_log" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_read" ON "org_graph"."audit_log" FOR SELECT
  USING ("org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid);
CREATE POLICY "append_own" ON "org_graph"."audit_log" FOR INSERT
  WITH CHECK ("actor" = NULLIF(current_setting('app.subject', true), '') AND ("org_id" IS NOT DISTINCT FROM NULLIF(current_setting('app.org_id', true), '')::uuid OR current_setting('app.is_admin', true) = 'true'));
CREATE POLICY "admin_read" ON "org_graph"."audit_log" FOR SELECT
  USING (current_setting('app.is_admin', true) = 'true');
