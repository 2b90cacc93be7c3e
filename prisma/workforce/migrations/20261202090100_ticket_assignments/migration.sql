-- One engineer once per ticket (assigning them again is CONFLICT).
-- CreateIndex
CREATE UNIQUE INDEX "engineer_assignment_ticket_id_engineer_id_key" ON "workforce"."engineer_assignment"("ticket_id", "engineer_id");

-- Assignments are visible to whoever sees their ticket (the reporter and the manufacturer as
-- well as the responsible organization that wrote them). The ticket is read through the view
-- service-policy publishes (security_invoker: the reader's row policies on tickets apply);
-- plpgsql resolves the view when called, so this slice's migrations need no other schema.
CREATE FUNCTION "workforce"."can_see_ticket"("ticket" uuid) RETURNS boolean
  LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  RETURN EXISTS (SELECT 1 FROM "service_policy"."ticket_v1" t WHERE t."id" = "ticket");
END
$$;
REVOKE ALL ON FUNCTION "workforce"."can_see_ticket"(uuid) FROM PUBLIC;
CREATE POLICY "ticket_readers" ON "workforce"."engineer_assignment" FOR SELECT
  USING ("workforce"."can_see_ticket"("ticket_id"));
