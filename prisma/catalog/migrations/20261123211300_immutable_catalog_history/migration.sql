-- Published history is a fact: offering versions, catalog versions and catalog entries are
-- never updated or deleted. The database refuses it for every role (row triggers for UPDATE
-- and DELETE, a statement trigger for TRUNCATE), so a rollback is always a new version.
-- SQLSTATE 23000 (integrity_constraint_violation) rather than 23001: drivers map 23001 to a
-- foreign-key error and drop this message.
CREATE FUNCTION "catalog"."refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'rows of %.% are immutable (% refused)', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER "offering_version_immutable"
  BEFORE UPDATE OR DELETE ON "catalog"."offering_version"
  FOR EACH ROW EXECUTE FUNCTION "catalog"."refuse_change"();
CREATE TRIGGER "offering_version_no_truncate"
  BEFORE TRUNCATE ON "catalog"."offering_version"
  FOR EACH STATEMENT EXECUTE FUNCTION "catalog"."refuse_change"();

CREATE TRIGGER "catalog_version_immutable"
  BEFORE UPDATE OR DELETE ON "catalog"."catalog_version"
  FOR EACH ROW EXECUTE FUNCTION "catalog"."refuse_change"();
CREATE TRIGGER "catalog_version_no_truncate"
  BEFORE TRUNCATE ON "catalog"."catalog_version"
  FOR EACH STATEMENT EXECUTE FUNCTION "catalog"."refuse_change"();

CREATE TRIGGER "catalog_entry_immutable"
  BEFORE UPDATE OR DELETE ON "catalog"."catalog_entry"
  FOR EACH ROW EXECUTE FUNCTION "catalog"."refuse_change"();
CREATE TRIGGER "catalog_entry_no_truncate"
  BEFORE TRUNCATE ON "catalog"."catalog_entry"
  FOR EACH STATEMENT EXECUTE FUNCTION "catalog"."refuse_change"();

-- What the code relies on, checked by the database too.
ALTER TABLE "catalog"."offering_version" ADD CONSTRAINT "offering_version_version_positive" CHECK ("version" >= 1);
ALTER TABLE "catalog"."catalog_version" ADD CONSTRAINT "catalog_version_version_positive" CHECK ("version" >= 1);
ALTER TABLE "catalog"."catalog_version" ADD CONSTRAINT "catalog_version_entry_count" CHECK ("entry_count" >= 0);
ALTER TABLE "catalog"."catalog_version" ADD CONSTRAINT "catalog_version_effective_after_publish" CHECK ("effective_at" >= "published_at");
ALTER TABLE "catalog"."catalog_version" ADD CONSTRAINT "catalog_version_rollback_target" CHECK (("kind" = 'ROLLBACK') = ("rolled_back_to" IS NOT NULL) AND ("rolled_back_to" IS NULL OR ("rolled_back_to" >= 1 AND "rolled_back_to" < "version")));
ALTER TABLE "catalog"."channel_catalog" ADD CONSTRAINT "channel_catalog_latest_version" CHECK ("latest_version" >= 0);
