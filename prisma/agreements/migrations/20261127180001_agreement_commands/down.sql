-- Rollback of 20261127180001_agreement_commands.
DROP TRIGGER IF EXISTS "agreement_guard" ON "agreements"."agreement";
DROP FUNCTION IF EXISTS "agreements"."agreement_guard"();
DROP TABLE IF EXISTS "agreements"."sla_notice";
DROP TABLE IF EXISTS "agreements"."sla_policy_version";
ALTER TABLE "agreements"."agreement_version" DROP COLUMN IF EXISTS "sla_policy_ids";
ALTER TABLE "agreements"."agreement_party" DROP COLUMN IF EXISTS "accepted_at";
