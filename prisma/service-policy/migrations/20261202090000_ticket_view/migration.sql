-- What service-policy publishes about tickets to other slices (workforce: eligibility and
-- assignment). security_invoker: the reader's grants and the ticket's row policies apply, so a
-- reader sees exactly the tickets it could see through service-policy.
CREATE VIEW "service_policy"."ticket_v1" WITH (security_invoker = true) AS
  SELECT "id", "status"::text AS "status", "responsible_org_id", "manufacturer_id", "region",
         "lat", "lng", "required_skills", "created_at"
  FROM "service_policy"."ticket";

-- Moves a ticket to ASSIGNED for another slice's transaction (workforce's assignEngineer), through
-- the ticket state machine: OPEN → ASSIGNED records the change (audit row, ticket.status_changed
-- for each party, as updateTicketStatus does); an ASSIGNED ticket stays ASSIGNED (another
-- engineer joins it); any other status refuses. The row is locked (FOR UPDATE) until the
-- caller's transaction ends, so concurrent assignments of one ticket run one after the other.
-- SECURITY DEFINER (its owner, the migrator, bypasses row-level security) so that workforce
-- needs no UPDATE on tickets; it therefore applies the caller's rights itself: a ticket the
-- caller cannot see is 'P0002' (no_data_found), one it is not responsible for '42501'
-- (insufficient_privilege), a status ASSIGNED cannot follow 'P0001' with the status in DETAIL.
-- Returns the status the ticket had.
CREATE FUNCTION "service_policy"."mark_assigned_v1"("ticket_id" uuid) RETURNS text
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  caller_org uuid := NULLIF(current_setting('app.org_id', true), '')::uuid;
  admin boolean := current_setting('app.is_admin', true) = 'true';
  t "service_policy"."ticket"%ROWTYPE;
  party uuid;
BEGIN
  SELECT * INTO t FROM "service_policy"."ticket" WHERE "id" = "ticket_id" FOR UPDATE;
  IF NOT FOUND OR NOT (admin OR caller_org IN (t."reported_by_org_id", t."responsible_org_id", t."manufacturer_id")) THEN
    RAISE EXCEPTION 'ticket % not found', "ticket_id" USING ERRCODE = 'P0002';
  END IF;
  IF NOT admin AND t."responsible_org_id" IS DISTINCT FROM caller_org THEN
    RAISE EXCEPTION 'only the organization responsible for ticket % assigns to it', "ticket_id" USING ERRCODE = '42501';
  END IF;
  IF t."status" = 'ASSIGNED' THEN
    RETURN 'ASSIGNED';
  END IF;
  IF t."status" <> 'OPEN' THEN
    RAISE EXCEPTION 'a % ticket cannot move to ASSIGNED', t."status" USING DETAIL = t."status"::text;
  END IF;
  UPDATE "service_policy"."ticket" SET "status" = 'ASSIGNED', "updated_at" = now() WHERE "id" = "ticket_id";
  INSERT INTO "service_policy"."audit_log" ("id", "actor", "org_id", "request_id", "action", "object_type", "object_id", "before", "after")
  VALUES (gen_random_uuid(), NULLIF(current_setting('app.subject', true), ''), caller_org,
          NULLIF(current_setting('app.request_id', true), ''), 'ticket.status', 'Ticket', "ticket_id"::text,
          '{"status": "OPEN"}', '{"status": "ASSIGNED"}');
  FOR party IN SELECT DISTINCT p FROM unnest(ARRAY[t."reported_by_org_id", t."manufacturer_id", t."responsible_org_id"]) AS p WHERE p IS NOT NULL LOOP
    INSERT INTO "agreements"."outbox_event" ("id", "type", "aggregate_type", "aggregate_id", "org_id", "request_id", "payload")
    VALUES (gen_random_uuid(), 'ticket.status_changed', 'Ticket', "ticket_id"::text, party,
            NULLIF(current_setting('app.request_id', true), ''),
            jsonb_build_object('ticketId', "ticket_id", 'from', 'OPEN', 'to', 'ASSIGNED'));
  END LOOP;
  RETURN 'OPEN';
END
$$;
REVOKE ALL ON FUNCTION "service_policy"."mark_assigned_v1"(uuid) FROM PUBLIC;
