-- Row-level security for pricing (docs/security.md). The runtime adapter sets app.org_id,
-- app.is_admin, app.subject, app.request_id and app.on_behalf_of transaction-locally. Unset
-- settings read as '' and NULLIF makes them NULL, which matches nothing.
-- Visibility (contract) - GLOBAL and CHANNEL books: every caller. ORG and ORG_CHANNEL books:
-- their organization, the channel's owner (ORG_CHANNEL) and administrators. A resolution the
-- code has authorized for another organization (a channel's owner asking what a member pays)
-- reads that organization's books through app.on_behalf_of, for SELECT only.
-- Writes (price-books/rules.ts) - GLOBAL and ORG books: administrators only. CHANNEL and
-- ORG_CHANNEL books: the channel's owner, read through org-graph's published view.

-- the channels the current organization owns, read through org-graph's published view as the
-- caller (SECURITY INVOKER). Policies ask for it in an uncorrelated subquery, so it runs once
-- per statement, not per row. PL/pgSQL resolves the view when called, not when created, so
-- this slice migrates on its own (org-graph's migrations may come later).
CREATE FUNCTION "pricing"."channels_of_current_org"() RETURNS SETOF uuid
  LANGUAGE plpgsql STABLE
  AS $$
  BEGIN
    RETURN QUERY SELECT c."id" FROM "org_graph"."channel_v1" c
      WHERE c."owner_org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid;
  END
  $$;

-- Reads: one policy, its cheap tests first (the channel owner's lookup only for other
-- organizations' ORG_CHANNEL books).
ALTER TABLE "pricing"."price_book" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "pricing"."price_book" FORCE ROW LEVEL SECURITY;
CREATE POLICY "visible_read" ON "pricing"."price_book" FOR SELECT
  USING ("scope" IN ('GLOBAL', 'CHANNEL')
    OR "org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid
    OR "org_id" = ANY (string_to_array(NULLIF(current_setting('app.on_behalf_of', true), ''), ',')::uuid[])
    OR ("scope" = 'ORG_CHANNEL' AND "channel_id" IN (SELECT "pricing"."channels_of_current_org"())));
CREATE POLICY "channel_owner_insert" ON "pricing"."price_book" FOR INSERT
  WITH CHECK ("scope" IN ('CHANNEL', 'ORG_CHANNEL') AND "channel_id" IN (SELECT "pricing"."channels_of_current_org"()));
CREATE POLICY "channel_owner_update" ON "pricing"."price_book" FOR UPDATE
  USING ("scope" IN ('CHANNEL', 'ORG_CHANNEL') AND "channel_id" IN (SELECT "pricing"."channels_of_current_org"()))
  WITH CHECK ("scope" IN ('CHANNEL', 'ORG_CHANNEL') AND "channel_id" IN (SELECT "pricing"."channels_of_current_org"()));
CREATE POLICY "admin_rows" ON "pricing"."price_book"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

-- a rule is visible exactly when its book is (the books' policies apply inside the subquery,
-- computed once per statement), and written by whoever may write its book
ALTER TABLE "pricing"."price_rule" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "pricing"."price_rule" FORCE ROW LEVEL SECURITY;
CREATE POLICY "book_read" ON "pricing"."price_rule" FOR SELECT
  USING ("price_book_id" IN (SELECT b."id" FROM "pricing"."price_book" b));
CREATE POLICY "channel_owner_insert" ON "pricing"."price_rule" FOR INSERT
  WITH CHECK ("price_book_id" IN (
    SELECT b."id" FROM "pricing"."price_book" b
    WHERE b."scope" IN ('CHANNEL', 'ORG_CHANNEL') AND b."channel_id" IN (SELECT "pricing"."channels_of_current_org"())));
CREATE POLICY "channel_owner_update" ON "pricing"."price_rule" FOR UPDATE
  USING ("price_book_id" IN (
    SELECT b."id" FROM "pricing"."price_book" b
    WHERE b."scope" IN ('CHANNEL', 'ORG_CHANNEL') AND b."channel_id" IN (SELECT "pricing"."channels_of_current_org"())))
  WITH CHECK ("price_book_id" IN (
    SELECT b."id" FROM "pricing"."price_book" b
    WHERE b."scope" IN ('CHANNEL', 'ORG_CHANNEL') AND b."channel_id" IN (SELECT "pricing"."channels_of_current_org"())));
CREATE POLICY "admin_rows" ON "pricing"."price_rule"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

-- idempotency records: the key space of the caller's organization, or subject:<sub> for a
-- caller without one (the same scope the kit computes)
ALTER TABLE "pricing"."idempotency_record" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "pricing"."idempotency_record" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_rows" ON "pricing"."idempotency_record"
  USING ("org_id" = COALESCE(NULLIF(current_setting('app.org_id', true), ''), 'subject:' || NULLIF(current_setting('app.subject', true), '')))
  WITH CHECK ("org_id" = COALESCE(NULLIF(current_setting('app.org_id', true), ''), 'subject:' || NULLIF(current_setting('app.subject', true), '')));
CREATE POLICY "admin_rows" ON "pricing"."idempotency_record"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

-- audit rows: an organization reads its own, anyone verified appends rows in their own name
-- (UPDATE and DELETE are not granted to any runtime role)
ALTER TABLE "pricing"."audit_log" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "pricing"."audit_log" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_read" ON "pricing"."audit_log" FOR SELECT
  USING ("org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid);
CREATE POLICY "append_own" ON "pricing"."audit_log" FOR INSERT
  WITH CHECK ("actor" = NULLIF(current_setting('app.subject', true), '') AND ("org_id" IS NOT DISTINCT FROM NULLIF(current_setting('app.org_id', true), '')::uuid OR current_setting('app.is_admin', true) = 'true'));
CREATE POLICY "admin_read" ON "pricing"."audit_log" FOR SELECT
  USING (current_setting('app.is_admin', true) = 'true');
