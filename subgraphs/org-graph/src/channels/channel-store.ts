import {
  col,
  columns,
  groupLoader,
  type Page,
  pageQuery,
  rowLoader,
  uuidsOnly,
} from '@trellis/kit';
import type { Channel, ChannelMember } from '@trellis/prisma/org-graph/generated/client.ts';
import DataLoader from 'dataloader';
import {
  ORGANIZATION_COLUMNS,
  type OrganizationRow,
  type organizationLoaders,
} from '../organizations/organization-store.js';
import type { OrgGraphPrisma, OrgGraphTx } from '../prisma.js';

export type ChannelRow = Channel;
/** A membership with its channel's owner (who, beside the organization, sees every status). */
export type MembershipRow = ChannelMember & { ownerOrgId: string };

const ACTIVE = 'ACTIVE' as const;

/**
 * A channel's row as Prisma reads it (a test compares the two), and the organization `o` it is
 * read for (its owner, or an ACTIVE member).
 */
const CHANNEL = columns({
  id: col.uuid('c.id'),
  ownerOrgId: col.uuid('c.owner_org_id'),
  code: col.text('c.code'),
  name: col.text('c.name'),
  currency: col.char('c.currency'),
  regions: col.json<string[]>('c.regions'),
  status: col.text<ChannelRow['status']>('c.status'),
  createdAt: col.timestamptz('c.created_at'),
  updatedAt: col.timestamptz('c.updated_at'),
  forOrg: col.uuid('o.id'),
});
export type ChannelOfRow = ReturnType<typeof CHANNEL.decode>;

/**
 * The channels organization `o` owns or is an ACTIVE member of, as one JSON document (a
 * scalar subquery).
 */
const CHANNELS_OF_O = `(
  SELECT coalesce(json_agg(${CHANNEL.jsonArray} ORDER BY c.id), '[]')::text
    FROM "org_graph"."channel" c
   WHERE c.owner_org_id = o.id
      OR EXISTS (SELECT 1 FROM "org_graph"."channel_member" m
                  WHERE m.channel_id = c.id AND m.org_id = o.id AND m.status = 'ACTIVE'))`;

const channelsIn = (doc: string): ChannelOfRow[] =>
  (JSON.parse(doc) as unknown[][]).map(CHANNEL.decode);

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
    channelsOf: groupLoader<string, ChannelOfRow>(
      async (orgIds) => {
        const rows = await prisma.$read<{ doc: string }>(
          `SELECT ${CHANNELS_OF_O} AS doc FROM unnest($1::uuid[]) AS o(id)`,
          uuidsOnly(orgIds),
        );
        return rows.flatMap(({ doc }) => channelsIn(doc));
      },
      (c) => c.forOrg,
    ),
  };
}

/**
 * Organizations with the channels each owns or is an ACTIVE member of, in one statement for
 * any number of them: `Query.organization` reads ahead when the query goes on to `channels`
 * (the flagship), so the channels cost no round trip of their own. The rows answer the
 * `organization` and `channelsOf` loaders.
 */
export function organizationWithChannels(
  prisma: OrgGraphPrisma,
  loaders: Pick<ReturnType<typeof organizationLoaders>, 'organization'> &
    Pick<ReturnType<typeof channelLoaders>, 'channelsOf'>,
) {
  return new DataLoader<string, OrganizationRow | null>(async (ids) => {
    const rows = await prisma.$read<OrganizationRow & { channels: string }>(
      `SELECT ${ORGANIZATION_COLUMNS}, ${CHANNELS_OF_O} AS channels
         FROM "org_graph"."organization" o WHERE o.id = ANY($1::uuid[])`,
      uuidsOnly(ids),
    );
    const byId = new Map<string, OrganizationRow>();
    for (const { channels, ...organization } of rows) {
      byId.set(organization.id, organization);
      loaders.organization.prime(organization.id, organization);
      loaders.channelsOf.prime(organization.id, channelsIn(channels));
    }
    return ids.map((id) => byId.get(id) ?? null);
  });
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
