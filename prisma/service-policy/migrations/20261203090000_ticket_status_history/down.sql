-- Rollback of 20261203090000_ticket_status_history.
DROP VIEW IF EXISTS "service_policy"."ticket_sla_v1";
DROP TRIGGER IF EXISTS "ticket_status_history" ON "service_policy"."ticket";
DROP FUNCTION IF EXISTS "service_policy"."record_ticket_status"();
DROP TABLE IF EXISTS "service_policy"."ticket_status_change";
DROP FUNCTION IF EXISTS "service_policy"."refuse_status_change_edit"();
