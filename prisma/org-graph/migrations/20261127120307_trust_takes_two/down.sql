-- Rollback of 20261127120307_trust_takes_two: restores the schema of the previous migration
-- (every relationship and membership counts again, whatever its status was).
CREATE OR REPLACE VIEW "org_graph"."org_relationship_v1" WITH (security_invoker = true) AS
  SELECT "id", "from_org_id", "to_org_id", "type"::text AS "type", "territories", "valid_from", "valid_to"
  FROM "org_graph"."org_relationship";

CREATE OR REPLACE VIEW "org_graph"."channel_v1" WITH (security_invoker = true) AS
  SELECT c."id", c."owner_org_id", c."code", c."currency", c."regions", c."status"::text AS "status",
         COALESCE(array_agg(m."org_id") FILTER (WHERE m."org_id" IS NOT NULL), '{}') AS "member_org_ids"
  FROM "org_graph"."channel" c
  LEFT JOIN "org_graph"."channel_member" m ON m."channel_id" = c."id"
  GROUP BY c."id";

ALTER TABLE "org_graph"."org_relationship" DROP CONSTRAINT "org_relationship_no_overlap";
DROP EXTENSION IF EXISTS "btree_gist";

-- AlterTable
ALTER TABLE "org_graph"."org_relationship" DROP COLUMN "ended_at",
DROP COLUMN "proposed_by_org_id",
DROP COLUMN "responded_at",
DROP COLUMN "status";

-- AlterTable
ALTER TABLE "org_graph"."channel_member" DROP COLUMN "ended_at",
DROP COLUMN "invited_at",
DROP COLUMN "requested_at",
DROP COLUMN "responded_at",
DROP COLUMN "status";

-- DropEnum
DROP TYPE "org_graph"."RelationshipStatus";

-- DropEnum
DROP TYPE "org_graph"."MembershipStatus";
