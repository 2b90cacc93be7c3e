import { rowLoader, uuidsOnly } from '@trellis/kit';
import type { CatalogPrisma } from '../context.js';

/** A row of org-graph's published view `org_graph.organization_v1` (read-only). */
export interface OrganizationView {
  id: string;
  name: string;
  type: 'MANUFACTURER' | 'DISTRIBUTOR' | 'DEALER' | 'SERVICE_PARTNER';
  status: 'ACTIVE' | 'INACTIVE';
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
  };
}
