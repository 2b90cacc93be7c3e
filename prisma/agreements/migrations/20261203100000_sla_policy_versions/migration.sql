-- SLA policy updates (issue 12): the policy's own rules, whoever writes, like agreement_guard.
-- The version goes up by one at most; a change of name, position, validity or definition needs
-- it to, and a new version needs its sla_policy_version row (the command writes it first).
CREATE FUNCTION "agreements"."sla_policy_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."version" NOT IN (OLD."version", OLD."version" + 1) THEN
    RAISE EXCEPTION 'SLA policy %: version % cannot follow %', OLD."id", NEW."version", OLD."version"
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF (NEW."name" IS DISTINCT FROM OLD."name" OR NEW."position" IS DISTINCT FROM OLD."position"
      OR NEW."valid_from" IS DISTINCT FROM OLD."valid_from" OR NEW."valid_to" IS DISTINCT FROM OLD."valid_to"
      OR NEW."definition" IS DISTINCT FROM OLD."definition") AND NEW."version" <> OLD."version" + 1 THEN
    RAISE EXCEPTION 'SLA policy %: a change of name, position, validity or definition is a new version', OLD."id"
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NEW."org_id" IS DISTINCT FROM OLD."org_id" THEN
    RAISE EXCEPTION 'SLA policy %: its organization does not change', OLD."id"
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NEW."version" <> OLD."version" AND NOT EXISTS (
       SELECT 1 FROM "agreements"."sla_policy_version" v
        WHERE v."sla_policy_id" = NEW."id" AND v."version" = NEW."version") THEN
    RAISE EXCEPTION 'SLA policy %: version % has no history row', OLD."id", NEW."version"
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER "sla_policy_guard"
  BEFORE UPDATE ON "agreements"."sla_policy"
  FOR EACH ROW EXECUTE FUNCTION "agreements"."sla_policy_guard"();
