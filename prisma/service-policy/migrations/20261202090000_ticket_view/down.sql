-- Rollback of 20261202090000_ticket_view.
DROP FUNCTION IF EXISTS "service_policy"."mark_assigned_v1"(uuid);
DROP VIEW IF EXISTS "service_policy"."ticket_v1";
