-- Rollback of 20261123204300_immutable_policy_versions.
DROP TRIGGER IF EXISTS "service_policy_version_immutable" ON "service_policy"."service_policy_version";
DROP FUNCTION IF EXISTS "service_policy"."refuse_change"();
