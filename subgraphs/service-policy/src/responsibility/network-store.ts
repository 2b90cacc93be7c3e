// The network facts a responsibility decision reads, through the views other slices publish
// (catalog.sku_v1/product_v1, org_graph.organization_v1/org_relationship_v1/
// org_certification_v1; ACTIVE relationships only): a constant number of statements per
// decision, whatever the size of the network.
import type { ServicePolicyTx } from '../prisma.js';
import type { NetworkFacts, RelationshipType } from './rules.js';

/** A SKU's product and manufacturer; null when the SKU does not exist. */
export async function readSkuSubject(
  tx: ServicePolicyTx,
  skuId: string,
): Promise<{ productId: string; manufacturerId: string } | null> {
  const [row] = await tx.$queryRawUnsafe<{ productId: string; manufacturerId: string }[]>(
    `SELECT s."product_id"::text AS "productId", p."manufacturer_id"::text AS "manufacturerId"
     FROM catalog.sku_v1 s JOIN catalog.product_v1 p ON p."id" = s."product_id"
     WHERE s."id" = $1::uuid`,
    skuId,
  );
  return row ?? null;
}

interface NetworkDocument {
  relationships: [string, string, string, string, string[], string, string | null][];
  organizations: [string, string][];
  certifications: [string, string, string | null][];
}

/**
 * One statement: every organization the chain can reach from the manufacturer (through
 * relationships of the chain's types, in force at `at`, whose territories cover the region —
 * the walk goes on only from organizations that covered it), every relationship of those types
 * toward them (covering or not: a mismatch is part of the record), the default organization's
 * relationships toward the manufacturer, and the status and required certification of every
 * organization named.
 */
export async function readNetwork(
  tx: ServicePolicyTx,
  q: {
    manufacturerId: string;
    region: string;
    at: Date;
    types: RelationshipType[];
    depth: number;
    defaultOrgId: string | null;
    certification: string | null;
  },
): Promise<NetworkFacts> {
  const [row] = await tx.$queryRawUnsafe<{ network: NetworkDocument }[]>(
    // (the validity test is repeated rather than shared through a CTE: a CTE read twice is
    // materialized, a scan of every relationship; inline, each step uses the to_org_id index)
    `WITH RECURSIVE reach(org_id, depth) AS (
       SELECT $1::uuid, 0
       UNION
       SELECT r."from_org_id", reach.depth + 1
       FROM reach JOIN org_graph.org_relationship_v1 r ON r."to_org_id" = reach.org_id
       WHERE reach.depth < $5::int AND r."type" = ANY ($4::text[])
         AND r."valid_from" <= $3::timestamptz AND (r."valid_to" IS NULL OR r."valid_to" > $3::timestamptz)
         AND (cardinality(r."territories") = 0 OR $2::text = ANY (r."territories")
              OR split_part($2::text, '-', 1) = ANY (r."territories"))
     ),
     rels AS (
       SELECT r.* FROM org_graph.org_relationship_v1 r
       WHERE r."to_org_id" IN (SELECT org_id FROM reach) AND r."type" = ANY ($4::text[])
         AND r."valid_from" <= $3::timestamptz AND (r."valid_to" IS NULL OR r."valid_to" > $3::timestamptz)
       UNION
       SELECT r.* FROM org_graph.org_relationship_v1 r
       WHERE r."from_org_id" = $6::uuid AND r."to_org_id" = $1::uuid
         AND r."valid_from" <= $3::timestamptz AND (r."valid_to" IS NULL OR r."valid_to" > $3::timestamptz)
     ),
     named AS (
       SELECT "from_org_id" AS id FROM rels UNION SELECT $1::uuid
       UNION SELECT $6::uuid WHERE $6::uuid IS NOT NULL
     )
     SELECT json_build_object(
       'relationships', (SELECT COALESCE(json_agg(json_build_array(r."id", r."from_org_id", r."to_org_id",
                           r."type", r."territories", r."valid_from", r."valid_to")), '[]') FROM rels r),
       'organizations', (SELECT COALESCE(json_agg(json_build_array(o."id", o."status")), '[]')
                         FROM org_graph.organization_v1 o WHERE o."id" IN (SELECT id FROM named)),
       'certifications', (SELECT COALESCE(json_agg(json_build_array(c."org_id", c."code", c."valid_until")), '[]')
                          FROM org_graph.org_certification_v1 c
                          WHERE c."code" = $7::text AND c."org_id" IN (SELECT id FROM named))
     ) AS network`,
    q.manufacturerId,
    q.region,
    q.at,
    q.types,
    q.depth,
    q.defaultOrgId,
    q.certification,
  );
  const doc = row!.network;
  return {
    relationships: doc.relationships.map(
      ([id, from, to, type, territories, validFrom, validTo]) => ({
        id,
        fromOrgId: from,
        toOrgId: to,
        type,
        territories,
        validFrom: new Date(validFrom),
        validTo: validTo ? new Date(validTo) : null,
      }),
    ),
    organizations: new Map(doc.organizations),
    certifications: doc.certifications.map(([orgId, code, validUntil]) => ({
      orgId,
      code,
      validUntil: validUntil ? new Date(validUntil) : null,
    })),
  };
}
