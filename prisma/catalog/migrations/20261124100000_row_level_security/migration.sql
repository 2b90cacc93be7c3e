-- Row-level security for catalog (docs/security.md). Products, SKUs, offering versions (each
-- one is a publication), channel catalogs, their versions and entries are public (contract).
-- An offering row holds its seller's editable draft: every caller reads offerings that have
-- been published at least once (the API shows them without the draft), only the seller reads
-- an unpublished one, and only the seller writes its offerings. Unset settings read as '' and
-- NULLIF makes them NULL, which matches nothing.

ALTER TABLE "catalog"."offering" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "catalog"."offering" FORCE ROW LEVEL SECURITY;
CREATE POLICY "public_read" ON "catalog"."offering" FOR SELECT
  USING ("latest_version" IS NOT NULL);
CREATE POLICY "seller_rows" ON "catalog"."offering"
  USING ("seller_org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK ("seller_org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid);
CREATE POLICY "admin_rows" ON "catalog"."offering"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

-- idempotency records: the key space of the caller's organization, or subject:<sub> for a
-- caller without one (the same scope the kit computes)
ALTER TABLE "catalog"."idempotency_record" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "catalog"."idempotency_record" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_rows" ON "catalog"."idempotency_record"
  USING ("org_id" = COALESCE(NULLIF(current_setting('app.org_id', true), ''), 'subject:' || NULLIF(current_setting('app.subject', true), '')))
  WITH CHECK ("org_id" = COALESCE(NULLIF(current_setting('app.org_id', true), ''), 'subject:' || NULLIF(current_setting('app.subject', true), '')));
CREATE POLICY "admin_rows" ON "catalog"."idempotency_record"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

-- audit rows: an organization reads its own, anyone verified appends rows in their own name
-- (UPDATE and DELETE are not granted to any runtime role)
ALTER TABLE "catalog"."audit_log" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "catalog"."audit_log" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_read" ON "catalog"."audit_log" FOR SELECT
  USING ("org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid);
CREATE POLICY "append_own" ON "catalog"."audit_log" FOR INSERT
  WITH CHECK ("actor" = NULLIF(current_setting('app.subject', true), '') AND ("org_id" IS NOT DISTINCT FROM NULLIF(current_setting('app.org_id', true), '')::uuid OR current_setting('app.is_admin', true) = 'true'));
CREATE POLICY "admin_read" ON "catalog"."audit_log" FOR SELECT
  USING (current_setting('app.is_admin', true) = 'true');
