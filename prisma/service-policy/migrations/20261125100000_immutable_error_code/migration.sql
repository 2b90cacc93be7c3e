-- The immutability trigger raises SQLSTATE 23000 (integrity_constraint_violation) instead of
-- 23001 (restrict_violation): Prisma's PostgreSQL driver reports 23001 as a foreign-key
-- violation and drops the message that names the table and the refused operation (catalog's
-- trigger does the same, immutable_catalog_history).
CREATE OR REPLACE FUNCTION "service_policy"."refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'rows of %.% are immutable (% refused)', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
