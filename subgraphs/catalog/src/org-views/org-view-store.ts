import { groupLoader, rowLoader, uuidsOnly } from '@trellis/kit';
import type { CatalogPrisma } from '../prisma.js';

/** A row of org-graph's published view `org_graph.organization_v1` (read-only). */
export interface OrganizationView {
  id: string;
  name: string;
  type: 'MANUFACTURER' | 'DISTRIBUTOR' | 'DEALER' | 'SERVICE_PARTNER';
  status: 'ACTIVE' | 'INACTIVE';
}

/** An organization as catalog answers it: its key, and its name where catalog provides it. */
export interface OrganizationRef {
  id: string;
  name?: string;
}

/** A row of org-graph's published view `org_graph.channel_v1` (read-only). */
export interface ChannelView {
  id: string;
  ownerOrgId: string;
  code: string;
  status: 'ACTIVE' | 'INACTIVE';
  memberOrgIds: string[];
}

/** One side of a relationship in `org_graph.org_relationship_v1`, valid now. */
export interface RelatedOrg {
  orgId: string;
  relatedOrgId: string;
  type: string;
}

export function orgViewLoaders(prisma: CatalogPrisma) {
  return {
    organizationView: rowLoader<string, OrganizationView>(
      (ids) =>
        prisma.$queryRawUnsafe<OrganizationView[]>(
          'SELECT id::text AS id, name, type, status FROM "org_graph"."organization_v1" WHERE id = ANY($1::uuid[])',
          uuidsOnly(ids),
        ),
      (o) => o.id,
    ),
    channelView: rowLoader<string, ChannelView>(
      (ids) =>
        prisma.$queryRawUnsafe<ChannelView[]>(
          `SELECT id::text AS id, owner_org_id::text AS "ownerOrgId", code, status,
                  member_org_ids::text[] AS "memberOrgIds"
             FROM "org_graph"."channel_v1" WHERE id = ANY($1::uuid[])`,
          uuidsOnly(ids),
        ),
      (c) => c.id,
    ),
    /** organizations related to each organization now, in either direction */
    relatedOrgs: groupLoader<string, RelatedOrg>(
      (ids) =>
        prisma.$queryRawUnsafe<RelatedOrg[]>(
          `SELECT o.id::text AS "orgId",
                  (CASE WHEN r.from_org_id = o.id THEN r.to_org_id ELSE r.from_org_id END)::text AS "relatedOrgId",
                  r.type
             FROM unnest($1::uuid[]) AS o(id)
             JOIN "org_graph"."org_relationship_v1" r ON o.id IN (r.from_org_id, r.to_org_id)
            WHERE r.valid_from <= now() AND (r.valid_to IS NULL OR r.valid_to > now())`,
          uuidsOnly(ids),
        ),
      (r) => r.orgId,
    ),
  };
}
