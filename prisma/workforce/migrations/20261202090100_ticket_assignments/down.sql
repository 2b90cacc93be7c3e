-- Rollback of 20261202090100_ticket_assignments.
DROP POLICY IF EXISTS "ticket_readers" ON "workforce"."engineer_assignment";
DROP FUNCTION IF EXISTS "workforce"."can_see_ticket"(uuid);
DROP INDEX IF EXISTS "workforce"."engineer_assignment_ticket_id_engineer_id_key";
