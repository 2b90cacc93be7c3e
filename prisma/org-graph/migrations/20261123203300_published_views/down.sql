-- Rollback of 20261123203300_published_views.
DROP VIEW IF EXISTS "org_graph"."channel_v1";
DROP VIEW IF EXISTS "org_graph"."org_certification_v1";
DROP VIEW IF EXISTS "org_graph"."org_relationship_v1";
DROP VIEW IF EXISTS "org_graph"."organization_v1";
