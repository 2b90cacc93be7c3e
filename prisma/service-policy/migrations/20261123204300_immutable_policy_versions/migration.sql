-- service_policy_version is the immutable history of a policy's definition: tickets keep the
-- version they were decided with, so the database refuses UPDATE and DELETE of its rows
-- (a changed definition is a new version row).
CREATE FUNCTION "service_policy"."refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'rows of %.% are immutable (% refused)', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER "service_policy_version_immutable"
  BEFORE UPDATE OR DELETE ON "service_policy"."service_policy_version"
  FOR EACH ROW EXECUTE FUNCTION "service_policy"."refuse_change"();
