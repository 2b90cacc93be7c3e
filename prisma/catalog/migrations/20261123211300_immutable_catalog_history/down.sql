-- Rollback of 20261123211300_immutable_catalog_history.
ALTER TABLE "catalog"."channel_catalog" DROP CONSTRAINT IF EXISTS "channel_catalog_latest_version";
ALTER TABLE "catalog"."catalog_version" DROP CONSTRAINT IF EXISTS "catalog_version_rollback_target";
ALTER TABLE "catalog"."catalog_version" DROP CONSTRAINT IF EXISTS "catalog_version_effective_after_publish";
ALTER TABLE "catalog"."catalog_version" DROP CONSTRAINT IF EXISTS "catalog_version_entry_count";
ALTER TABLE "catalog"."catalog_version" DROP CONSTRAINT IF EXISTS "catalog_version_version_positive";
ALTER TABLE "catalog"."offering_version" DROP CONSTRAINT IF EXISTS "offering_version_version_positive";
DROP TRIGGER IF EXISTS "catalog_entry_no_truncate" ON "catalog"."catalog_entry";
DROP TRIGGER IF EXISTS "catalog_entry_immutable" ON "catalog"."catalog_entry";
DROP TRIGGER IF EXISTS "catalog_version_no_truncate" ON "catalog"."catalog_version";
DROP TRIGGER IF EXISTS "catalog_version_immutable" ON "catalog"."catalog_version";
DROP TRIGGER IF EXISTS "offering_version_no_truncate" ON "catalog"."offering_version";
DROP TRIGGER IF EXISTS "offering_version_immutable" ON "catalog"."offering_version";
DROP FUNCTION IF EXISTS "catalog"."refuse_change"();
