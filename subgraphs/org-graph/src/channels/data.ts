import { groupLoader, type Page, pageQuery, rowLoader, uuidsOnly } from '@trellis/kit';
import type { Channel, ChannelMember } from '@trellis/prisma/org-graph/generated/client.ts';
import type { OrgGraphPrisma } from '../prisma.js';

export type ChannelRow = Channel;

export function channelLoaders(prisma: OrgGraphPrisma) {
  return {
    channel: rowLoader<string, ChannelRow>(
      (ids) => prisma.channel.findMany({ where: { id: { in: uuidsOnly(ids) } } }),
      (c) => c.id,
    ),
    members: groupLoader<string, ChannelMember>(
      (ids) =>
        prisma.channelMember.findMany({
          where: { channelId: { in: uuidsOnly(ids) } },
          orderBy: { orgId: 'asc' },
        }),
      (m) => m.channelId,
    ),
    /** channels an organization owns or is a member of: one query for any number of orgs */
    channelsOf: groupLoader<string, ChannelRow & { forOrg: string }>(
      async (orgIds) => {
        const ids = uuidsOnly(orgIds);
        const rows = await prisma.channel.findMany({
          where: {
            OR: [{ ownerOrgId: { in: ids } }, { members: { some: { orgId: { in: ids } } } }],
          },
          include: { members: { where: { orgId: { in: ids } }, select: { orgId: true } } },
          orderBy: { id: 'asc' },
        });
        return rows.flatMap(({ members, ...channel }) => {
          const orgs = new Set([
            ...members.map((m) => m.orgId),
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
