import { isUuid, type Page, pageQuery, rowLoader } from '@trellis/kit';
import type { ServicePolicy } from '@trellis/prisma/service-policy/generated/client.ts';
import type { ServicePolicyPrisma, ServicePolicyTx } from '../prisma.js';
import { type OrgRole, type PolicyDefinition, readConditions } from './rules.js';

export type ServicePolicyRow = ServicePolicy;

export function policyLoaders(prisma: ServicePolicyPrisma) {
  return {
    servicePolicy: rowLoader<string, ServicePolicyRow>(
      (ids) => prisma.servicePolicy.findMany({ where: { id: { in: ids.filter(isUuid) } } }),
      (p) => p.id,
    ),
  };
}

export async function listServicePolicies(
  prisma: ServicePolicyPrisma,
  page: Page,
  manufacturerId?: string | null,
) {
  const where = manufacturerId ? { manufacturerId } : {};
  const [rows, total] = await Promise.all([
    prisma.servicePolicy.findMany(pageQuery(page, where)),
    prisma.servicePolicy.count({ where }),
  ]);
  return { rows, total };
}

/** The columns of a stored policy that make its definition. */
export type StoredDefinition = Pick<
  ServicePolicyRow,
  | 'id'
  | 'name'
  | 'priority'
  | 'enabled'
  | 'chain'
  | 'conditions'
  | 'requiredCertification'
  | 'defaultOrgId'
  | 'validFrom'
  | 'validTo'
>;

/** A stored policy's definition (its conditions read through their schema). */
export function definitionOf(row: StoredDefinition): PolicyDefinition {
  const conditions = readConditions(row.conditions);
  // stored conditions are written through the same schema: unreadable ones are a bug (masked)
  if (!conditions) throw new Error(`service policy ${row.id} has unreadable conditions`);
  return {
    name: row.name,
    priority: row.priority,
    enabled: row.enabled,
    chain: row.chain as OrgRole[],
    conditions,
    requiredCertification: row.requiredCertification,
    defaultOrgId: row.defaultOrgId,
    validFrom: row.validFrom,
    validTo: row.validTo,
  };
}

const columnsOf = (d: PolicyDefinition) => ({
  name: d.name,
  priority: d.priority,
  enabled: d.enabled,
  chain: d.chain,
  conditions: d.conditions,
  requiredCertification: d.requiredCertification,
  defaultOrgId: d.defaultOrgId,
  validFrom: d.validFrom,
  validTo: d.validTo,
});

/** A new policy and its version 1, in the caller's transaction. */
export async function insertPolicy(
  tx: ServicePolicyTx,
  manufacturerId: string,
  definition: PolicyDefinition,
): Promise<ServicePolicyRow> {
  const policy = await tx.servicePolicy.create({
    data: { manufacturerId, version: 1, ...columnsOf(definition) },
  });
  await tx.servicePolicyVersion.create({
    data: { policyId: policy.id, version: 1, ...columnsOf(definition) },
  });
  return policy;
}

/**
 * The policy's next version: the current row moves on only from the version it was read at
 * (a concurrent update answers null), and the new version row records the definition.
 */
export async function insertNextVersion(
  tx: ServicePolicyTx,
  current: ServicePolicyRow,
  definition: PolicyDefinition,
): Promise<ServicePolicyRow | null> {
  const version = current.version + 1;
  const moved = await tx.servicePolicy.updateMany({
    where: { id: current.id, version: current.version },
    data: { version, ...columnsOf(definition) },
  });
  if (moved.count === 0) return null;
  await tx.servicePolicyVersion.create({
    data: { policyId: current.id, version, ...columnsOf(definition) },
  });
  return tx.servicePolicy.findUniqueOrThrow({ where: { id: current.id } });
}

/** What a policy's references are, read through the published views in one statement. */
export interface PolicyReferenceFacts {
  manufacturerType: string | null;
  /** product id → its manufacturer */
  products: Record<string, string>;
  /** SKU id → its product's manufacturer */
  skus: Record<string, string>;
  /** whether the default organization exists / is in an ACTIVE relationship toward the manufacturer now */
  defaultOrgExists: boolean;
  defaultOrgRelated: boolean;
}

export async function readPolicyReferences(
  tx: ServicePolicyTx,
  refs: {
    manufacturerId: string;
    productIds: string[];
    skuIds: string[];
    defaultOrgId: string | null;
  },
): Promise<PolicyReferenceFacts> {
  const [row] = await tx.$queryRawUnsafe<{ facts: PolicyReferenceFacts }[]>(
    `SELECT json_build_object(
       'manufacturerType', (SELECT o."type" FROM org_graph.organization_v1 o WHERE o."id" = $1::uuid),
       'products', (SELECT COALESCE(json_object_agg(p."id", p."manufacturer_id"), '{}')
                    FROM catalog.product_v1 p WHERE p."id" = ANY ($2::uuid[])),
       'skus', (SELECT COALESCE(json_object_agg(s."id", p."manufacturer_id"), '{}')
                FROM catalog.sku_v1 s JOIN catalog.product_v1 p ON p."id" = s."product_id"
                WHERE s."id" = ANY ($3::uuid[])),
       'defaultOrgExists', EXISTS (SELECT 1 FROM org_graph.organization_v1 o WHERE o."id" = $4::uuid),
       'defaultOrgRelated', EXISTS (SELECT 1 FROM org_graph.org_relationship_v1 r
                WHERE r."from_org_id" = $4::uuid AND r."to_org_id" = $1::uuid
                  AND r."valid_from" <= now() AND (r."valid_to" IS NULL OR r."valid_to" > now()))
     ) AS facts`,
    refs.manufacturerId,
    refs.productIds,
    refs.skuIds,
    refs.defaultOrgId,
  );
  return row!.facts;
}
