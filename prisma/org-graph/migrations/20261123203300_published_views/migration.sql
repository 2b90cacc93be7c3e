-- Read-only views org-graph publishes to other slices (versioned: a breaking change is a new
-- _v2 view beside the old one). security_invoker: the reader's own grants and row policies apply.
CREATE VIEW "org_graph"."organization_v1" WITH (security_invoker = true) AS
  SELECT "id", "name", "type"::text AS "type", "status"::text AS "status"
  FROM "org_graph"."organization";

CREATE VIEW "org_graph"."org_relationship_v1" WITH (security_invoker = true) AS
  SELECT "id", "from_org_id", "to_org_id", "type"::text AS "type", "territories", "valid_from", "valid_to"
  FROM "org_graph"."org_relationship";

CREATE VIEW "org_graph"."org_certification_v1" WITH (security_invoker = true) AS
  SELECT "org_id", "code", "valid_until"
  FROM "org_graph"."org_certification";

CREATE VIEW "org_graph"."channel_v1" WITH (security_invoker = true) AS
  SELECT c."id", c."owner_org_id", c."code", c."currency", c."regions", c."status"::text AS "status",
         COALESCE(array_agg(m."org_id") FILTER (WHERE m."org_id" IS NOT NULL), '{}') AS "member_org_ids"
  FROM "org_graph"."channel" c
  LEFT JOIN "org_graph"."channel_member" m ON m."channel_id" = c."id"
  GROUP BY c."id";
