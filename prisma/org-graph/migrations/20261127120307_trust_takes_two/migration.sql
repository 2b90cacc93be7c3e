-- Trust takes two (issue 17): a relationship or channel membership declared by one party waits
-- for the other party's answer. Generated from the Prisma schema, then extended by hand below
-- the generated part (backfill, the identity constraint, the published views).

-- CreateEnum
CREATE TYPE "org_graph"."RelationshipStatus" AS ENUM ('PROPOSED', 'ACTIVE', 'DECLINED', 'ENDED');

-- CreateEnum
CREATE TYPE "org_graph"."MembershipStatus" AS ENUM ('INVITED', 'REQUESTED', 'ACTIVE', 'DECLINED', 'ENDED');

-- AlterTable
ALTER TABLE "org_graph"."channel_member" ADD COLUMN     "ended_at" TIMESTAMPTZ(3),
ADD COLUMN     "invited_at" TIMESTAMPTZ(3),
ADD COLUMN     "requested_at" TIMESTAMPTZ(3),
ADD COLUMN     "responded_at" TIMESTAMPTZ(3),
ADD COLUMN     "status" "org_graph"."MembershipStatus" NOT NULL DEFAULT 'INVITED';

-- AlterTable
ALTER TABLE "org_graph"."org_relationship" ADD COLUMN     "ended_at" TIMESTAMPTZ(3),
ADD COLUMN     "proposed_by_org_id" UUID,
ADD COLUMN     "responded_at" TIMESTAMPTZ(3),
ADD COLUMN     "status" "org_graph"."RelationshipStatus" NOT NULL DEFAULT 'PROPOSED';


-- Existing relationships and memberships were created before trust took two (one party's word,
-- or the seed and migrations as administrator); they stay in force: ACTIVE.
UPDATE "org_graph"."org_relationship" SET "status" = 'ACTIVE';
UPDATE "org_graph"."channel_member" SET "status" = 'ACTIVE', "invited_at" = "created_at", "responded_at" = "created_at";

-- Relationship identity: the same (from, to, type) never has two overlapping PROPOSED/ACTIVE
-- rows, whatever races the resolver's checks cannot see (createOrgRelationship maps the
-- violation, SQLSTATE 23P01, to CONFLICT). GiST equality on uuid and enums needs btree_gist,
-- a trusted extension (the migrator may create it); its objects live in this slice's schema.
-- Rows the old code duplicated: the earliest stays, a later overlapping copy is ENDED.
UPDATE "org_graph"."org_relationship" r SET "status" = 'ENDED', "ended_at" = CURRENT_TIMESTAMP
  WHERE EXISTS (
    SELECT 1 FROM "org_graph"."org_relationship" e
     WHERE e."from_org_id" = r."from_org_id" AND e."to_org_id" = r."to_org_id" AND e."type" = r."type"
       AND e."id" < r."id"
       AND tstzrange(e."valid_from", e."valid_to") && tstzrange(r."valid_from", r."valid_to"));
CREATE EXTENSION IF NOT EXISTS "btree_gist" SCHEMA "org_graph";
ALTER TABLE "org_graph"."org_relationship" ADD CONSTRAINT "org_relationship_no_overlap"
  EXCLUDE USING gist ("from_org_id" WITH =, "to_org_id" WITH =, "type" WITH =,
                      tstzrange("valid_from", "valid_to") WITH &&)
  WHERE ("status" IN ('PROPOSED', 'ACTIVE'));

-- Published views count trusted links only: ACTIVE relationships (same columns as before) and
-- ACTIVE memberships in member_org_ids. Readers (catalog's publishing rights, pricing's channel
-- owners) need no change.
CREATE OR REPLACE VIEW "org_graph"."org_relationship_v1" WITH (security_invoker = true) AS
  SELECT "id", "from_org_id", "to_org_id", "type"::text AS "type", "territories", "valid_from", "valid_to"
  FROM "org_graph"."org_relationship"
  WHERE "status" = 'ACTIVE';

CREATE OR REPLACE VIEW "org_graph"."channel_v1" WITH (security_invoker = true) AS
  SELECT c."id", c."owner_org_id", c."code", c."currency", c."regions", c."status"::text AS "status",
         COALESCE(array_agg(m."org_id") FILTER (WHERE m."org_id" IS NOT NULL), '{}') AS "member_org_ids"
  FROM "org_graph"."channel" c
  LEFT JOIN "org_graph"."channel_member" m ON m."channel_id" = c."id" AND m."status" = 'ACTIVE'
  GROUP BY c."id";
