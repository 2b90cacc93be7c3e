-- Rollback of 20261123202427_init: restores the schema of the previous migration.
-- DropForeignKey
ALTER TABLE "org_graph"."org_certification" DROP CONSTRAINT "org_certification_org_id_fkey";

-- DropForeignKey
ALTER TABLE "org_graph"."org_relationship" DROP CONSTRAINT "org_relationship_from_org_id_fkey";

-- DropForeignKey
ALTER TABLE "org_graph"."org_relationship" DROP CONSTRAINT "org_relationship_to_org_id_fkey";

-- DropForeignKey
ALTER TABLE "org_graph"."channel" DROP CONSTRAINT "channel_owner_org_id_fkey";

-- DropForeignKey
ALTER TABLE "org_graph"."channel_member" DROP CONSTRAINT "channel_member_channel_id_fkey";

-- DropForeignKey
ALTER TABLE "org_graph"."channel_member" DROP CONSTRAINT "channel_member_org_id_fkey";

-- DropTable
DROP TABLE "org_graph"."organization";

-- DropTable
DROP TABLE "org_graph"."org_certification";

-- DropTable
DROP TABLE "org_graph"."org_relationship";

-- DropTable
DROP TABLE "org_graph"."channel";

-- DropTable
DROP TABLE "org_graph"."channel_member";

-- DropTable
DROP TABLE "org_graph"."manufacturers";

-- DropTable
DROP TABLE "org_graph"."suppliers";

-- DropTable
DROP TABLE "org_graph"."audit_log";

-- DropTable
DROP TABLE "org_graph"."idempotency_record";

-- DropEnum
DROP TYPE "org_graph"."OrgType";

-- DropEnum
DROP TYPE "org_graph"."OrgStatus";

-- DropEnum
DROP TYPE "org_graph"."RelationshipType";

-- DropEnum
DROP TYPE "org_graph"."ChannelStatus";
