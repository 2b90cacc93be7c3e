import { groupLoader, type Page, pageQuery, rowLoader, uuidsOnly } from '@trellis/kit';
import type { Channel, ChannelMember } from '@trellis/prisma/org-graph/generated/client.ts';
import type { OrgGraphPrisma, OrgGraphTx } from '../prisma.js';

export type ChannelRow = Channel;
/** A membership with its channel's owner (who, beside the organization, sees every status). */
export type MembershipRow = ChannelMember & { ownerOrgId: string };

const ACTIVE = 'ACTIVE' as const;

/** A channel's row as Prisma reads it (a test compares the two). */
const CHANNEL_COLUMNS = `c.id::text AS id, c.owner_org_id::text AS "ownerOrgId", c.code, c.name,
  c.currency::text AS currency, c.regions, c.status::text AS status, c.created_at AS "createdAt",
  c.updated_at AS "updatedAt"`;

export function channelLoaders(prisma: OrgGraphPrisma) {
  return {
    channel: rowLoader<string, ChannelRow>(
      (ids) => prisma.channel.findMany({ where: { id: { in: uuidsOnly(ids) } } }),
      (c) => c.id,
    ),
    members: groupLoader<string, ChannelMember>(
      (ids) =>
        prisma.channelMember.findMany({
          where: { channelId: { in: uuidsOnly(ids) }, status: ACTIVE },
          orderBy: { orgId: 'asc' },
        }),
      (m) => m.channelId,
    ),
    /** every membership of an organization, in any status (callers filter what they may see) */
    membershipsOf: groupLoader<string, MembershipRow>(
      async (orgIds) => {
        const rows = await prisma.channelMember.findMany({
          where: { orgId: { in: uuidsOnly(orgIds) } },
          include: { channel: { select: { ownerOrgId: true } } },
          orderBy: [{ orgId: 'asc' }, { channelId: 'asc' }],
        });
        return rows.map(({ channel, ...m }) => ({ ...m, ownerOrgId: channel.ownerOrgId }));
      },
      (m) => m.orgId,
    ),
    /** channels an organization owns or is an ACTIVE member of: one query for any number of orgs */
    channelsOf: groupLoader<string, ChannelRow & { forOrg: string }>(
      async (orgIds) => {
        const ids = uuidsOnly(orgIds);
        const rows = await prisma.$read<ChannelRow & { memberOrgIds: string[] }>(
          `SELECT ${CHANNEL_COLUMNS},
                  ARRAY(SELECT m.org_id::text FROM "org_graph"."channel_member" m
                         WHERE m.channel_id = c.id AND m.org_id = ANY($1::uuid[]) AND m.status = 'ACTIVE'
                         ORDER BY m.org_id) AS "memberOrgIds"
             FROM "org_graph"."channel" c
            WHERE c.owner_org_id = ANY($1::uuid[])
               OR EXISTS (SELECT 1 FROM "org_graph"."channel_member" m
                           WHERE m.channel_id = c.id AND m.org_id = ANY($1::uuid[]) AND m.status = 'ACTIVE')
            ORDER BY c.id`,
          ids,
        );
        return rows.flatMap(({ memberOrgIds, ...channel }) => {
          const orgs = new Set([
            ...memberOrgIds,
            ...(ids.includes(channel.ownerOrgId) ? [channel.ownerOrgId] : []),
          ]);
          return [...orgs].map((forOrg) => ({ ...channel, forOrg }));
        });
      },
      (c) => c.forOrg,
    ),
  };
}

export async function listChannels(prisma: OrgGraphPrisma, page: Page, ownerId?: string | null) {
  const where = ownerId ? { ownerOrgId: ownerId } : {};
  const [rows, total] = await Promise.all([
    prisma.channel.findMany(pageQuery(page, where)),
    prisma.channel.count({ where }),
  ]);
  return { rows, total };
}

/** The membership, locked for the rest of the transaction; null when there is none. */
export async function lockMembership(tx: OrgGraphTx, channelId: string, orgId: string) {
  await tx.$executeRaw`SELECT 1 FROM "org_graph"."channel_member" WHERE "channel_id" = ${channelId}::uuid AND "org_id" = ${orgId}::uuid FOR UPDATE`;
  return tx.channelMember.findUnique({ where: { channelId_orgId: { channelId, orgId } } });
}

/**
 * Inserts the membership unless it exists: ON CONFLICT DO NOTHING, so parallel identical
 * invitations make one row and no unique violation. True when this call inserted it.
 */
export async function insertMembership(
  tx: OrgGraphTx,
  data: Omit<ChannelMember, 'createdAt' | 'invitedAt' | 'requestedAt' | 'respondedAt' | 'endedAt'> &
    Partial<Pick<ChannelMember, 'invitedAt' | 'requestedAt' | 'respondedAt' | 'endedAt'>>,
): Promise<boolean> {
  const { count } = await tx.channelMember.createMany({ data: [data], skipDuplicates: true });
  return count === 1;
}
