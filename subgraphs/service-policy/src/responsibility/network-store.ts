// The facts a responsibility decision reads: its policies, and the network through the views
// other slices publish (catalog.sku_v1/product_v1, org_graph.organization_v1/
// org_relationship_v1/org_certification_v1; ACTIVE relationships only) — a constant number of
// statements per decision, whatever the size of the network.
import { definitionOf, type StoredDefinition } from '../policies/policy-store.js';
import type { ServicePolicyTx } from '../prisma.js';
import {
  type NetworkFacts,
  type PolicyVersion,
  ROLE_RELATIONSHIP,
  type TicketFacts,
} from './rules.js';

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

interface FactsDocument {
  policies: (Omit<StoredDefinition, 'validFrom' | 'validTo'> & {
    version: number;
    validFrom: string;
    validTo: string | null;
  })[];
  relationships: [string, string, string, string, string[], string, string | null][];
  organizations: [string, string][];
  certifications: [string, string, string | null][];
}

/**
 * One statement (`service_policy.decision_facts`, a PL/pgSQL function for its cached plans):
 * the manufacturer's enabled policies in force whose conditions match the ticket, and the slice
 * of the network their chains can reach — every relationship of the chains' types toward the
 * manufacturer and toward each organization that covered the region (walking on only from
 * those), the default organizations' relationships toward the manufacturer, and the status and
 * required certifications of every organization named. A superset of what the policy the engine
 * selects needs: the engine reads only its chain's types, anchors and certification.
 */
export async function readDecisionFacts(
  tx: ServicePolicyTx,
  ticket: TicketFacts,
): Promise<{ policies: PolicyVersion[]; network: NetworkFacts }> {
  const [row] = await tx.$queryRawUnsafe<{ facts: FactsDocument }[]>(
    `SELECT service_policy.decision_facts($1::uuid, $2::uuid, $3::uuid, $4::text, $5::text, $6::timestamptz, $7::jsonb) AS facts`,
    ticket.manufacturerId,
    ticket.productId,
    ticket.skuId,
    ticket.region,
    ticket.issueType,
    ticket.at,
    JSON.stringify(ROLE_RELATIONSHIP),
  );
  const doc = row!.facts;
  return {
    policies: doc.policies.map((p) => ({
      id: p.id,
      version: p.version,
      ...definitionOf({
        ...p,
        validFrom: new Date(p.validFrom),
        validTo: p.validTo ? new Date(p.validTo) : null,
      }),
    })),
    network: {
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
    },
  };
}
