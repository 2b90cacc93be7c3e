-- agreement_version is the immutable history of an agreement's terms: the database refuses
-- UPDATE and DELETE of its rows (a new version is a new row).
CREATE FUNCTION "agreements"."refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'rows of %.% are immutable (% refused)', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER "agreement_version_immutable"
  BEFORE UPDATE OR DELETE ON "agreements"."agreement_version"
  FOR EACH ROW EXECUTE FUNCTION "agreements"."refuse_change"();
