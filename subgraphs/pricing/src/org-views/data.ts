import { groupLoader, rowLoader } from '@trellis/kit';
import type { PricingPrisma } from '../context.js';

/** A row of org-graph's published view `org_graph.channel_v1` (read-only). */
export interface ChannelView {
  id: string;
  ownerOrgId: string;
  currency: string;
  status: 'ACTIVE' | 'INACTIVE';
}

const CHANNEL_COLUMNS =
  'id::text AS id, owner_org_id::text AS "ownerOrgId", currency, status FROM "org_graph"."channel_v1"';

export function orgViewLoaders(prisma: PricingPrisma) {
  return {
    channelView: rowLoader<string, ChannelView>(
      (ids) =>
        prisma.$queryRawUnsafe<ChannelView[]>(
          `SELECT ${CHANNEL_COLUMNS} WHERE id = ANY($1::uuid[])`,
          [...ids],
        ),
      (c) => c.id,
    ),
    /** the channels each organization owns */
    channelsOwnedBy: groupLoader<string, ChannelView>(
      (orgIds) =>
        prisma.$queryRawUnsafe<ChannelView[]>(
          `SELECT ${CHANNEL_COLUMNS} WHERE owner_org_id = ANY($1::uuid[]) ORDER BY id`,
          [...orgIds],
        ),
      (c) => c.ownerOrgId,
    ),
  };
}
