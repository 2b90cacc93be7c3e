-- Rollback of 20261203090100_decision_facts.
DROP FUNCTION IF EXISTS "service_policy"."decision_facts"(uuid, uuid, uuid, text, text, timestamptz, jsonb);
