-- Rollback of 20261203100000_sla_policy_versions.
DROP TRIGGER IF EXISTS "sla_policy_guard" ON "agreements"."sla_policy";
DROP FUNCTION IF EXISTS "agreements"."sla_policy_guard"();
