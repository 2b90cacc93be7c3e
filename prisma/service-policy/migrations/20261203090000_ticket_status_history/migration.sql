-- A ticket's status history (SLA clocks, docs/sla-dsl.md): one row per status a ticket entered,
-- written by a trigger on every insert and status change, whichever path made it (the ticket
-- commands, mark_assigned_v1), so it cannot drift from the ticket.
-- CreateTable
CREATE TABLE "service_policy"."ticket_status_change" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "ticket_id" UUID NOT NULL,
    "status" "service_policy"."TicketStatus" NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ticket_status_change_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ticket_status_change_ticket_id_changed_at_idx" ON "service_policy"."ticket_status_change"("ticket_id", "changed_at");

-- AddForeignKey
ALTER TABLE "service_policy"."ticket_status_change" ADD CONSTRAINT "ticket_status_change_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "service_policy"."ticket"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- The time of a change is the ticket's updated_at when the writer set it (the commands do),
-- else the transaction's. SECURITY DEFINER: the history is written for whoever changed the
-- ticket, so no runtime role needs INSERT rights on it.
CREATE FUNCTION "service_policy"."record_ticket_status"() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "service_policy"."ticket_status_change" ("ticket_id", "status", "changed_at")
    VALUES (NEW."id", NEW."status", NEW."created_at");
  ELSIF NEW."status" IS DISTINCT FROM OLD."status" THEN
    INSERT INTO "service_policy"."ticket_status_change" ("ticket_id", "status", "changed_at")
    VALUES (NEW."id", NEW."status",
            CASE WHEN NEW."updated_at" IS DISTINCT FROM OLD."updated_at" THEN NEW."updated_at" ELSE now() END);
  END IF;
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION "service_policy"."record_ticket_status"() FROM PUBLIC;

CREATE TRIGGER "ticket_status_history"
  AFTER INSERT OR UPDATE OF "status" ON "service_policy"."ticket"
  FOR EACH ROW EXECUTE FUNCTION "service_policy"."record_ticket_status"();

-- the history rows are facts: never changed
CREATE FUNCTION "service_policy"."refuse_status_change_edit"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'rows of %.% are immutable (% refused)', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
CREATE TRIGGER "ticket_status_change_immutable"
  BEFORE UPDATE OR DELETE ON "service_policy"."ticket_status_change"
  FOR EACH ROW EXECUTE FUNCTION "service_policy"."refuse_status_change_edit"();

-- Backfill the tickets that exist: created OPEN, then each audited status change; a ticket
-- whose last known status is not its current one gets it at its updated_at.
INSERT INTO "service_policy"."ticket_status_change" ("ticket_id", "status", "changed_at")
  SELECT "id", 'OPEN', "created_at" FROM "service_policy"."ticket";
INSERT INTO "service_policy"."ticket_status_change" ("ticket_id", "status", "changed_at")
  SELECT t."id", (a."after"->>'status')::"service_policy"."TicketStatus", a."occurred_at"
    FROM "service_policy"."audit_log" a
    JOIN "service_policy"."ticket" t ON t."id"::text = a."object_id"
   WHERE a."action" = 'ticket.status' AND a."object_type" = 'Ticket' AND a."result" = 'OK'
     AND a."after" ? 'status';
INSERT INTO "service_policy"."ticket_status_change" ("ticket_id", "status", "changed_at")
  SELECT t."id", t."status", t."updated_at" FROM "service_policy"."ticket" t
   WHERE t."status" <> (SELECT h."status" FROM "service_policy"."ticket_status_change" h
                         WHERE h."ticket_id" = t."id" ORDER BY h."changed_at" DESC, h."id" DESC LIMIT 1);

-- visible to whoever sees the ticket (the ticket's own policies decide, for the reader)
ALTER TABLE "service_policy"."ticket_status_change" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "service_policy"."ticket_status_change" FORCE ROW LEVEL SECURITY;
CREATE POLICY "ticket_readers" ON "service_policy"."ticket_status_change" FOR SELECT
  USING (EXISTS (SELECT 1 FROM "service_policy"."ticket" t WHERE t."id" = "ticket_id"));
CREATE POLICY "admin_rows" ON "service_policy"."ticket_status_change" FOR SELECT
  USING (current_setting('app.is_admin', true) = 'true');

-- What service-policy publishes for SLA clocks (agreements' Ticket.sla and breach scheduler):
-- the facts a policy's conditions select on and the status history, oldest first, as
-- [[status, changedAt], …]. security_invoker: the reader sees the tickets it could see here.
CREATE VIEW "service_policy"."ticket_sla_v1" WITH (security_invoker = true) AS
  SELECT t."id", t."priority"::text AS "priority", t."issue_type", t."region", t."product_id",
         t."manufacturer_id", t."responsible_org_id", t."created_at",
         COALESCE((SELECT jsonb_agg(jsonb_build_array(h."status"::text, h."changed_at") ORDER BY h."changed_at", h."id")
                     FROM "service_policy"."ticket_status_change" h WHERE h."ticket_id" = t."id"), '[]'::jsonb) AS "history"
  FROM "service_policy"."ticket" t;
