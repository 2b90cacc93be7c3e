import { idOf, loadExisting, pageOf, parseInput, toConnection } from '@trellis/kit';
import { z } from 'zod';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { actorOf } from '../organizations/rules.js';
import { listChannels } from './channel-store.js';
import {
  addChannelMember,
  createChannel,
  endChannelMembership,
  requestChannelMembership,
  respondToChannelMembership,
} from './commands.js';
import { canSeeMembership } from './rules.js';

export const channelResolvers: Resolvers = {
  Query: {
    async channels(_, args, ctx) {
      const page = pageOf(args);
      const { ownerId } = parseInput(
        z.object({ ownerId: idOf('an organization').nullish() }),
        args,
        '',
      );
      const { rows, total } = await listChannels(ctx.prisma, page, ownerId);
      return toConnection(rows, page, total);
    },
    channel: (_, { id }, ctx) => ctx.loaders.channel.load(id),
  },
  Mutation: {
    createChannel,
    addChannelMember,
    requestChannelMembership,
    respondToChannelMembership,
    endChannelMembership,
  },
  Organization: {
    channels: (org, _, ctx) => ctx.loaders.channelsOf.load(org.id),
    memberships: async (org, { status }, ctx) => {
      const actor = actorOf(ctx.caller);
      const all = await ctx.loaders.membershipsOf.load(org.id);
      return all.filter(
        (m) => (!status?.length || status.includes(m.status)) && canSeeMembership(m, actor),
      );
    },
  },
  ChannelMembership: {
    channel: (m, _, ctx) => ctx.loaders.channel.loadRequired(m.channelId),
    org: (m, _, ctx) => ctx.loaders.organization.loadRequired(m.orgId),
  },
  Channel: {
    __resolveReference: (ref, ctx) => ctx.loaders.channel.load(ref.id),
    owner: (c, _, ctx) => ctx.loaders.organization.loadRequired(c.ownerOrgId),
    members: async (c, _, ctx) => {
      const members = await ctx.loaders.members.load(c.id);
      return loadExisting(
        ctx.loaders.organization,
        members.map((m) => m.orgId),
      );
    },
  },
};
