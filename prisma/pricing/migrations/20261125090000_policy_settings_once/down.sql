-- Rollback of 20261125090000_policy_settings_once: the policies as row_level_security wrote them.
DROP POLICY "visible_read" ON "pricing"."price_book";
CREATE POLICY "visible_read" ON "pricing"."price_book" FOR SELECT
  USING ("scope" IN ('GLOBAL', 'CHANNEL')
    OR "org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid
    OR "org_id" = ANY (string_to_array(NULLIF(current_setting('app.on_behalf_of', true), ''), ',')::uuid[])
    OR ("scope" = 'ORG_CHANNEL' AND "channel_id" IN (SELECT "pricing"."channels_of_current_org"())));

DROP POLICY "admin_rows" ON "pricing"."price_book";
CREATE POLICY "admin_rows" ON "pricing"."price_book"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

DROP POLICY "admin_rows" ON "pricing"."price_rule";
CREATE POLICY "admin_rows" ON "pricing"."price_rule"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');
