-- Row-level security (docs/security.md). Every statement of a runtime role runs in a
-- transaction that first sets app.org_id, app.is_admin, app.subject and app.request_id
-- transaction-locally (the runtime adapter in prisma/src/database.ts). Unset settings read as ''
-- (NULLIF makes them NULL), so without them no policy matches: no rows, no writes.
-- Administrators pass through a policy of their own. FORCE applies the policies to the
-- table owner too (only the migrator, which has BYPASSRLS, and superusers skip them).

-- Whether the caller's organization created or is a party of an agreement. The policies of
-- agreement and agreement_party need it, and a policy on agreement_party that queried
-- agreement_party would recurse: SECURITY DEFINER runs it as its owner, the migrator, whose
-- BYPASSRLS lets it read the rows without the policies (search_path pinned, EXECUTE granted to
-- the agreements runtime role only).
CREATE FUNCTION "agreements"."involves_current_org"("agreement" uuid) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $$
    SELECT EXISTS (
      SELECT 1 FROM "agreements"."agreement_party" p
      WHERE p."agreement_id" = "agreement"
        AND p."org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid
    ) OR EXISTS (
      SELECT 1 FROM "agreements"."agreement" a
      WHERE a."id" = "agreement"
        AND a."created_by_org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid
    )
  $$;
REVOKE ALL ON FUNCTION "agreements"."involves_current_org"(uuid) FROM PUBLIC;

-- agreements: their parties (and their creator, which writes the agreement before its parties)
ALTER TABLE "agreements"."agreement" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "agreements"."agreement" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_rows" ON "agreements"."agreement"
  USING ("created_by_org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid OR agreements.involves_current_org("id")) WITH CHECK ("created_by_org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid OR agreements.involves_current_org("id"));
CREATE POLICY "admin_rows" ON "agreements"."agreement"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

-- the parties of an agreement: seen by the organizations the agreement involves
ALTER TABLE "agreements"."agreement_party" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "agreements"."agreement_party" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_rows" ON "agreements"."agreement_party"
  USING (agreements.involves_current_org("agreement_id")) WITH CHECK (agreements.involves_current_org("agreement_id"));
CREATE POLICY "admin_rows" ON "agreements"."agreement_party"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

-- the terms history of an agreement
ALTER TABLE "agreements"."agreement_version" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "agreements"."agreement_version" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_rows" ON "agreements"."agreement_version"
  USING (agreements.involves_current_org("agreement_id")) WITH CHECK (agreements.involves_current_org("agreement_id"));
CREATE POLICY "admin_rows" ON "agreements"."agreement_version"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

-- the SLA policies an agreement applies
ALTER TABLE "agreements"."agreement_sla_policy" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "agreements"."agreement_sla_policy" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_rows" ON "agreements"."agreement_sla_policy"
  USING (agreements.involves_current_org("agreement_id")) WITH CHECK (agreements.involves_current_org("agreement_id"));
CREATE POLICY "admin_rows" ON "agreements"."agreement_sla_policy"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

-- SLA policies: written by their owner organization, read also by the parties of the
-- agreements that apply them (agreement_sla_policy's own policy decides which links show)
ALTER TABLE "agreements"."sla_policy" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "agreements"."sla_policy" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_rows" ON "agreements"."sla_policy"
  USING ("org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid) WITH CHECK ("org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid);
CREATE POLICY "party_read" ON "agreements"."sla_policy" FOR SELECT
  USING (EXISTS (SELECT 1 FROM "agreements"."agreement_sla_policy" l WHERE l."sla_policy_id" = "sla_policy"."id"));
CREATE POLICY "admin_rows" ON "agreements"."sla_policy"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

-- webhook subscriptions: their owner organization
ALTER TABLE "agreements"."webhook_subscription" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "agreements"."webhook_subscription" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_rows" ON "agreements"."webhook_subscription"
  USING ("org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid) WITH CHECK ("org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid);
CREATE POLICY "admin_rows" ON "agreements"."webhook_subscription"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

-- deliveries: those of the subscriptions the caller may see (webhook_subscription's policy applies)
ALTER TABLE "agreements"."webhook_delivery" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "agreements"."webhook_delivery" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_rows" ON "agreements"."webhook_delivery"
  USING (EXISTS (SELECT 1 FROM "agreements"."webhook_subscription" s WHERE s."id" = "subscription_id")) WITH CHECK (EXISTS (SELECT 1 FROM "agreements"."webhook_subscription" s WHERE s."id" = "subscription_id"));
CREATE POLICY "admin_rows" ON "agreements"."webhook_delivery"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

-- the outbox: an organization reads its own events. Every slice appends events in the
-- transaction of its change: a verified caller writes events of its own organization or
-- platform events (org_id NULL, seen by administrators only)
ALTER TABLE "agreements"."outbox_event" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "agreements"."outbox_event" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_read" ON "agreements"."outbox_event" FOR SELECT
  USING ("org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid);
-- appended only inside a verified request of an organization. The event may belong to another
-- organization (a seller publishing into a channel it may sell in, a channel owner pricing a
-- member): the subgraph authorized the change itself
CREATE POLICY "tenant_append" ON "agreements"."outbox_event" FOR INSERT
  WITH CHECK (NULLIF(current_setting('app.subject', true), '') IS NOT NULL AND NULLIF(current_setting('app.org_id', true), '') IS NOT NULL);
CREATE POLICY "admin_rows" ON "agreements"."outbox_event"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

-- idempotency records: the key space of the caller's organization, or subject:<sub> for a
-- caller without one (the same scope the kit computes)
ALTER TABLE "agreements"."idempotency_record" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "agreements"."idempotency_record" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_rows" ON "agreements"."idempotency_record"
  USING ("org_id" = COALESCE(NULLIF(current_setting('app.org_id', true), ''), 'subject:' || NULLIF(current_setting('app.subject', true), '')))
  WITH CHECK ("org_id" = COALESCE(NULLIF(current_setting('app.org_id', true), ''), 'subject:' || NULLIF(current_setting('app.subject', true), '')));
CREATE POLICY "admin_rows" ON "agreements"."idempotency_record"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

-- audit rows: an organization reads its own, anyone verified appends rows in their own name
-- (UPDATE and DELETE are not granted to any runtime role)
ALTER TABLE "agreements"."audit_log" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "agreements"."audit_log" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_read" ON "agreements"."audit_log" FOR SELECT
  USING ("org_id" = NULLIF(current_setting('app.org_id', true), '')::uuid);
CREATE POLICY "append_own" ON "agreements"."audit_log" FOR INSERT
  WITH CHECK ("actor" = NULLIF(current_setting('app.subject', true), '') AND ("org_id" IS NOT DISTINCT FROM NULLIF(current_setting('app.org_id', true), '')::uuid OR current_setting('app.is_admin', true) = 'true'));
CREATE POLICY "admin_read" ON "agreements"."audit_log" FOR SELECT
  USING (current_setting('app.is_admin', true) = 'true');
