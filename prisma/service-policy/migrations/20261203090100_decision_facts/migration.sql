-- What a responsibility decision reads, in one statement (issue 10's speed target): the
-- manufacturer's policies in force whose conditions match the ticket, and the slice of the
-- network their chains can reach (through the views org-graph publishes). The engine
-- (responsibility/rules.ts) still selects the policy and walks its chain: the SQL only narrows.
-- The network is read for every matching policy at once (their relationship types, the deepest
-- chain, every default organization and required certification), a superset of what the
-- selected policy needs, so that the selection stays in one place.
-- PL/pgSQL for its cached plans (planning a recursive walk cost more than running it on
-- PGlite) and for a breadth-first walk by arrays of organizations: `to_org_id = ANY (…)` is
-- answered by the relationship's b-tree index, where a join on one organization at a time chose
-- the exclusion constraint's GiST index and scanned all of it on each probe. SECURITY INVOKER:
-- the caller's grants and row policies apply.
CREATE FUNCTION "service_policy"."decision_facts"(
  p_manufacturer uuid, p_product uuid, p_sku uuid, p_region text, p_issue_type text,
  p_at timestamptz,
  -- role → relationship type (the engine's ROLE_RELATIONSHIP, passed in to keep one copy)
  p_role_types jsonb
) RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
  covering text[] := ARRAY[p_region, split_part(p_region, '-', 1)];
  policies json;
  matched int;
  reach_types text[];
  reach_depth int;
  defaults uuid[];
  codes text[];
  frontier uuid[] := ARRAY[p_manufacturer];
  visited uuid[] := '{}';
  found uuid[] := '{}';
  step uuid[];
  relationships json;
  named uuid[];
BEGIN
  -- conditions: an absent or empty list matches anything; regions as the engine's coverage
  -- (the region itself, or its country)
  SELECT count(*),
         COALESCE(json_agg(json_build_object('id', p."id", 'version', p."version", 'name', p."name",
           'priority', p."priority", 'enabled', p."enabled", 'chain', p."chain", 'conditions', p."conditions",
           'requiredCertification', p."required_certification", 'defaultOrgId', p."default_org_id",
           'validFrom', p."valid_from", 'validTo', p."valid_to")), '[]'),
         max((SELECT count(*) FROM unnest(p."chain"::text[]) r WHERE p_role_types ? r)),
         COALESCE(array_agg(DISTINCT p."default_org_id") FILTER (WHERE p."default_org_id" IS NOT NULL), '{}'),
         array_agg(DISTINCT p."required_certification") FILTER (WHERE p."required_certification" IS NOT NULL)
    INTO matched, policies, reach_depth, defaults, codes
  FROM "service_policy"."service_policy" p
  WHERE p."manufacturer_id" = p_manufacturer AND p."enabled"
    AND p."valid_from" <= p_at AND (p."valid_to" IS NULL OR p."valid_to" > p_at)
    AND (COALESCE(p."conditions"->'productIds', '[]') = '[]' OR p."conditions"->'productIds' ? p_product::text)
    AND (COALESCE(p."conditions"->'skuIds', '[]') = '[]' OR p."conditions"->'skuIds' ? p_sku::text)
    AND (COALESCE(p."conditions"->'issueTypes', '[]') = '[]' OR p."conditions"->'issueTypes' ? p_issue_type)
    AND (COALESCE(p."conditions"->'regions', '[]') = '[]' OR p."conditions"->'regions' ?| covering);
  IF matched = 0 THEN
    RETURN json_build_object('policies', policies, 'relationships', '[]'::json,
                             'organizations', '[]'::json, 'certifications', '[]'::json);
  END IF;
  SELECT array_agg(DISTINCT p_role_types->>r) INTO reach_types
  FROM json_array_elements(policies) e, json_array_elements_text(e->'chain') r
  WHERE p_role_types ? r;

  -- the relationships of the chains' types toward the manufacturer, then toward every
  -- organization whose relationship covered the region (the walk goes on only from those),
  -- covering or not (a mismatch is part of the record), one level beyond the deepest chain
  FOR level IN 0 .. reach_depth LOOP
    EXIT WHEN cardinality(frontier) = 0;
    visited := visited || frontier;
    SELECT COALESCE(array_agg(r."id"), '{}'),
           COALESCE(array_agg(DISTINCT r."from_org_id") FILTER (WHERE
             (cardinality(r."territories") = 0 OR r."territories" && covering)
             AND NOT r."from_org_id" = ANY (visited)), '{}')
      INTO step, frontier
    FROM "org_graph"."org_relationship_v1" r
    WHERE r."to_org_id" = ANY (frontier) AND r."type" = ANY (reach_types)
      AND r."valid_from" <= p_at AND (r."valid_to" IS NULL OR r."valid_to" > p_at);
    found := found || step;
  END LOOP;
  -- and the default organizations' relationships toward the manufacturer
  SELECT COALESCE(json_agg(json_build_array(r."id", r."from_org_id", r."to_org_id", r."type",
           r."territories", r."valid_from", r."valid_to")), '[]'),
         array_agg(DISTINCT r."from_org_id") || p_manufacturer || defaults
    INTO relationships, named
  FROM "org_graph"."org_relationship_v1" r
  WHERE r."id" = ANY (found)
     OR (r."from_org_id" = ANY (defaults) AND r."to_org_id" = p_manufacturer
         AND r."valid_from" <= p_at AND (r."valid_to" IS NULL OR r."valid_to" > p_at));

  RETURN json_build_object(
    'policies', policies,
    'relationships', relationships,
    'organizations', (SELECT COALESCE(json_agg(json_build_array(o."id", o."status")), '[]')
                      FROM "org_graph"."organization_v1" o WHERE o."id" = ANY (named)),
    'certifications', (SELECT COALESCE(json_agg(json_build_array(c."org_id", c."code", c."valid_until")), '[]')
                       FROM "org_graph"."org_certification_v1" c
                       WHERE c."org_id" = ANY (named) AND c."code" = ANY (codes))
  );
END
$$;
