-- Agreement commands and SLA clocks (issue 12, docs/sla-dsl.md).

-- A party's consent: an agreement becomes ACTIVE when every party accepted it.
-- AlterTable
ALTER TABLE "agreements"."agreement_party" ADD COLUMN "accepted_at" TIMESTAMPTZ(3);

-- a version records the SLA policies the agreement applied with it
-- AlterTable
ALTER TABLE "agreements"."agreement_version" ADD COLUMN "sla_policy_ids" UUID[] DEFAULT ARRAY[]::UUID[];

-- CreateTable
CREATE TABLE "agreements"."sla_policy_version" (
    "id" UUID NOT NULL,
    "sla_policy_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "valid_to" TIMESTAMPTZ(3),
    "definition" JSONB NOT NULL,
    "actor" TEXT,
    "request_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sla_policy_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agreements"."sla_notice" (
    "ticket_id" UUID NOT NULL,
    "metric" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "sla_policy_id" UUID NOT NULL,
    "priority" TEXT NOT NULL,
    "org_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "emitted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sla_notice_pkey" PRIMARY KEY ("ticket_id","metric","kind")
);

-- CreateIndex
CREATE UNIQUE INDEX "sla_policy_version_sla_policy_id_version_key" ON "agreements"."sla_policy_version"("sla_policy_id", "version");

-- AddForeignKey
ALTER TABLE "agreements"."sla_policy_version" ADD CONSTRAINT "sla_policy_version_sla_policy_id_fkey" FOREIGN KEY ("sla_policy_id") REFERENCES "agreements"."sla_policy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "agreements"."sla_notice" ADD CONSTRAINT "sla_notice_kind" CHECK ("kind" IN ('WARNING', 'BREACHED'));

-- SLA policy versions are immutable like agreement versions
CREATE TRIGGER "sla_policy_version_immutable"
  BEFORE UPDATE OR DELETE ON "agreements"."sla_policy_version"
  FOR EACH ROW EXECUTE FUNCTION "agreements"."refuse_change"();

-- The agreement's own rules, whoever writes: the status moves DRAFT → ACTIVE → EXPIRED |
-- TERMINATED only; the version goes up by one at most, and a change of terms, validity or SLA
-- policies needs it to (the commands write the new agreement_version row first).
CREATE FUNCTION "agreements"."agreement_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."status" IS DISTINCT FROM OLD."status" AND NOT (
       (OLD."status" = 'DRAFT' AND NEW."status" = 'ACTIVE')
    OR (OLD."status" = 'ACTIVE' AND NEW."status" IN ('EXPIRED', 'TERMINATED'))) THEN
    RAISE EXCEPTION 'agreement %: % cannot move to %', OLD."id", OLD."status", NEW."status"
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NEW."version" NOT IN (OLD."version", OLD."version" + 1) THEN
    RAISE EXCEPTION 'agreement %: version % cannot follow %', OLD."id", NEW."version", OLD."version"
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF (NEW."terms" IS DISTINCT FROM OLD."terms" OR NEW."valid_from" IS DISTINCT FROM OLD."valid_from"
      OR NEW."valid_to" IS DISTINCT FROM OLD."valid_to") AND NEW."version" <> OLD."version" + 1 THEN
    RAISE EXCEPTION 'agreement %: a change of terms or validity is a new version', OLD."id"
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NEW."version" <> OLD."version" AND NOT EXISTS (
       SELECT 1 FROM "agreements"."agreement_version" v
        WHERE v."agreement_id" = NEW."id" AND v."version" = NEW."version") THEN
    RAISE EXCEPTION 'agreement %: version % has no history row', OLD."id", NEW."version"
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER "agreement_guard"
  BEFORE UPDATE ON "agreements"."agreement"
  FOR EACH ROW EXECUTE FUNCTION "agreements"."agreement_guard"();

-- SLA policy versions: seen and written with their policy (sla_policy's policies apply)
ALTER TABLE "agreements"."sla_policy_version" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "agreements"."sla_policy_version" FORCE ROW LEVEL SECURITY;
CREATE POLICY "policy_rows" ON "agreements"."sla_policy_version"
  USING (EXISTS (SELECT 1 FROM "agreements"."sla_policy" p WHERE p."id" = "sla_policy_id"))
  WITH CHECK (EXISTS (SELECT 1 FROM "agreements"."sla_policy" p WHERE p."id" = "sla_policy_id"));
CREATE POLICY "admin_rows" ON "agreements"."sla_policy_version"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

-- SLA notices are the breach scheduler's claims (a platform job, written as admin); read by
-- the organizations it was announced to (the ticket's responsible organization and manufacturer)
ALTER TABLE "agreements"."sla_notice" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "agreements"."sla_notice" FORCE ROW LEVEL SECURITY;
CREATE POLICY "ticket_readers" ON "agreements"."sla_notice" FOR SELECT
  USING (NULLIF(current_setting('app.org_id', true), '')::uuid = ANY ("org_ids"));
CREATE POLICY "admin_rows" ON "agreements"."sla_notice"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');

-- versions of the policies that exist (the reads-only slice had none)
INSERT INTO "agreements"."sla_policy_version" ("id", "sla_policy_id", "version", "name", "position", "valid_from", "valid_to", "definition")
  SELECT gen_random_uuid(), "id", "version", "name", "position", "valid_from", "valid_to", "definition" FROM "agreements"."sla_policy";
