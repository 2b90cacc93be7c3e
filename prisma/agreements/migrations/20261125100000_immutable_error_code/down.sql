-- Rollback of 20261125100000_immutable_error_code: SQLSTATE 23001 again.
CREATE OR REPLACE FUNCTION "agreements"."refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'rows of %.% are immutable (% refused)', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;
