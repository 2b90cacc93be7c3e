-- Rollback of 20261123203800_immutable_versions.
DROP TRIGGER IF EXISTS "agreement_version_immutable" ON "agreements"."agreement_version";
DROP FUNCTION IF EXISTS "agreements"."refuse_change"();
