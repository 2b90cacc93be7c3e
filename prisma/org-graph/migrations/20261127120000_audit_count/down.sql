-- Rollback of 20261127120000_audit_count: restores the schema of the previous migration.
-- AlterTable
ALTER TABLE "org_graph"."audit_log" DROP COLUMN "count";
