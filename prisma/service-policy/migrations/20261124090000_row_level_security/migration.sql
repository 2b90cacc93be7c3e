-- Row-level security (docs/security.md). Every statement of a runtime role runs in a
-- transaction that first sets app.org_id, app.is_admin, app.subject and app.request_id
-- transaction-locally (the runtime adapter in prisma/src/database.ts). Unset settings read as ''
-- (NULLIF makes them NULL), so without them no policy matches: no rows, no writes.
-- Administrators pass through a policy of their own. FORCE applies the policies to the
-- table owner too (only the migrator, which has BYPASSRLS, and superusers skip them).

-- tickets: visible to the reporting, the responsible and the manufacturing organization
ALTER TABLE "service_policy"."ticket" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "service_policy"."ticket" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_read" ON "service_policy"."ticket" FOR SELECT
  USING ("reported_by_org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid OR "responsible_org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid OR "manufacturer_id" = NULLIF(current_setting('app.org_id', true), '')::uuid);
CREATE POLICY "tenant_report" ON "service_policy"."ticket" FOR INSERT
  WITH CHECK ("reported_by_org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid);
CREATE POLICY "tenant_update" ON "service_policy"."ticket" FOR UPDATE
  USING ("reported_by_org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid OR "responsible_org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid OR "manufacturer_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK ("reported_by_org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid OR "responsible_org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid OR "manufacturer_id" = NULLIF(current_setting('app.org_id', true), '')::uuid);
CREATE POLICY "admin_rows" ON "service_policy"."ticket"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

-- idempotency records: the key space of the caller's organization, or subject:<sub> for a
-- caller without one (the same scope the kit computes)
ALTER TABLE "service_policy"."idempotency_record" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "service_policy"."idempotency_record" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_rows" ON "service_policy"."idempotency_record"
  USING ("org_id" = COALESCE(NULLIF(current_setting('app.org_id', true), ''), 'subject:' || NULLIF(current_setting('app.subject', true), '')))
  WITH CHECK ("org_id" = COALESCE(NULLIF(current_setting('app.org_id', true), ''), 'subject:' || NULLIF(current_setting('app.subject', true), '')));
CREATE POLICY "admin_rows" ON "service_policy"."idempotency_record"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

-- audit rows: an organization reads its own, anyone verified appends rows in their own name
-- (UPDATE and DELETE are not granted to any runtime role)
ALTER TABLE "service_policy"."audit_log" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "service_policy"."audit_log" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_read" ON "service_policy"."audit_log" FOR SELECT
  USING ("org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid);
CREATE POLICY "append_own" ON "service_policy"."audit_log" FOR INSERT
  WITH CHECK ("actor" = NULLIF(current_setting('app.subject', true), '') AND ("org_id" IS NOT DISTINCT FROM NULLIF(current_setting('app.org_id', true), '')::uuid OR current_setting('app.is_admin', true) = 'true'));
CREATE POLICY "admin_read" ON "service_policy"."audit_log" FOR SELECT
  USING (current_setting('app.is_admin', true) = 'true');
