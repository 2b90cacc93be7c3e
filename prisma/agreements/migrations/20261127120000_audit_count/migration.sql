-- A refused request writes one DENIED row per reason, standing for every refusal of that
-- reason (the kit's auditDeniedPlugin), instead of one row per refused entity.
-- AlterTable
ALTER TABLE "agreements"."audit_log" ADD COLUMN     "count" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "agreements"."audit_log" ADD CONSTRAINT "audit_log_count_positive" CHECK ("count" >= 1);
