-- Service policies are written by the manufacturer they belong to (or an administrator) and
-- read by every verified caller: a ticket's reporter, its responsible organization and anyone
-- checking a decision read the rules it was made with. A transaction without a verified caller
-- (no app.subject) reads none.
ALTER TABLE "service_policy"."service_policy" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "service_policy"."service_policy" FORCE ROW LEVEL SECURITY;
CREATE POLICY "verified_read" ON "service_policy"."service_policy" FOR SELECT
  USING (NULLIF(current_setting('app.subject', true), '') IS NOT NULL);
CREATE POLICY "manufacturer_insert" ON "service_policy"."service_policy" FOR INSERT
  WITH CHECK ("manufacturer_id" = NULLIF(current_setting('app.org_id', true), '')::uuid);
CREATE POLICY "manufacturer_update" ON "service_policy"."service_policy" FOR UPDATE
  USING ("manufacturer_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK ("manufacturer_id" = NULLIF(current_setting('app.org_id', true), '')::uuid);
CREATE POLICY "admin_rows" ON "service_policy"."service_policy"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

ALTER TABLE "service_policy"."service_policy_version" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "service_policy"."service_policy_version" FORCE ROW LEVEL SECURITY;
CREATE POLICY "verified_read" ON "service_policy"."service_policy_version" FOR SELECT
  USING (NULLIF(current_setting('app.subject', true), '') IS NOT NULL);
CREATE POLICY "manufacturer_insert" ON "service_policy"."service_policy_version" FOR INSERT
  WITH CHECK (EXISTS (SELECT 1 FROM "service_policy"."service_policy" p
    WHERE p."id" = "policy_id" AND p."manufacturer_id" = NULLIF(current_setting('app.org_id', true), '')::uuid));
CREATE POLICY "admin_rows" ON "service_policy"."service_policy_version"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

-- Every change of a policy is a new version: the current row's version goes up by exactly one
-- and its manufacturer never changes (service_policy_version keeps every definition, immutable).
CREATE FUNCTION "service_policy"."policy_versioned"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."version" <> OLD."version" + 1 OR NEW."manufacturer_id" <> OLD."manufacturer_id" OR NEW."id" <> OLD."id" THEN
    RAISE EXCEPTION 'a service policy changes only by a new version (version % to %, same manufacturer)', OLD."version", NEW."version"
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER "service_policy_versioned"
  BEFORE UPDATE ON "service_policy"."service_policy"
  FOR EACH ROW EXECUTE FUNCTION "service_policy"."policy_versioned"();
CREATE TRIGGER "service_policy_kept"
  BEFORE DELETE ON "service_policy"."service_policy"
  FOR EACH ROW EXECUTE FUNCTION "service_policy"."refuse_change"();
