import {
  conflict,
  emitEvent,
  idOf,
  loadExisting,
  notFound,
  onDuplicate,
  pageOf,
  parseInput,
  requireActsFor,
  requireScope,
  toConnection,
  writeAudit,
  writeOnce,
} from '@trellis/kit';
import { z } from 'zod';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { type Context, SCHEMA } from '../context.js';
import { organizationOrFail } from '../organizations/data.js';
import { listChannels } from './data.js';
import { createChannelInput } from './rules.js';

const channelsEnabled = (ctx: Context) => ctx.flags.require('ENABLE_CHANNELS', ctx.caller.orgId);

export const channelResolvers: Resolvers = {
  Query: {
    async channels(_, args, ctx) {
      await channelsEnabled(ctx);
      const page = pageOf(args);
      const { ownerId } = parseInput(
        z.object({ ownerId: idOf('an organization').nullish() }),
        args,
        '',
      );
      const { rows, total } = await listChannels(ctx.prisma, page, ownerId);
      return toConnection(rows, page, total);
    },
    async channel(_, { id }, ctx) {
      await channelsEnabled(ctx);
      return ctx.loaders.channel.load(id);
    },
  },
  Mutation: {
    async createChannel(_, { input }, ctx) {
      await channelsEnabled(ctx);
      requireScope(ctx.caller, 'org:write');
      const data = parseInput(createChannelInput, input);
      const owner = await organizationOrFail(ctx.loaders, data.ownerOrgId, 'input.ownerOrgId');
      requireActsFor(ctx.caller, owner.id);
      return onDuplicate(
        writeOnce(
          ctx.prisma,
          SCHEMA,
          ctx,
          { operation: 'createChannel', key: data.idempotencyKey, input },
          async (tx) => {
            const channel = await tx.channel.create({
              data: {
                ownerOrgId: owner.id,
                code: data.code,
                name: data.name,
                currency: data.currency,
                regions: data.regions,
              },
            });
            await writeAudit(tx, SCHEMA, ctx, {
              action: 'channel.create',
              objectType: 'Channel',
              objectId: channel.id,
              after: channel,
            });
            await emitEvent(tx, ctx, {
              type: 'channel.created',
              aggregateType: 'Channel',
              aggregateId: channel.id,
              orgId: owner.id,
              payload: { id: channel.id, code: channel.code, ownerOrgId: owner.id },
            });
            return channel;
          },
        ),
        () =>
          conflict(`a channel with code "${data.code}" already exists`, { field: 'input.code' }),
      );
    },
    async addChannelMember(_, { channelId, orgId }, ctx) {
      await channelsEnabled(ctx);
      requireScope(ctx.caller, 'org:write');
      const channel = await ctx.loaders.channel.load(channelId);
      if (!channel) throw notFound('channel', channelId, 'channelId');
      await organizationOrFail(ctx.loaders, orgId, 'orgId');
      requireActsFor(ctx.caller, channel.ownerOrgId);
      await writeOnce(
        ctx.prisma,
        SCHEMA,
        ctx,
        { operation: 'addChannelMember', input: { channelId, orgId } },
        async (tx) => {
          const existing = await tx.channelMember.findUnique({
            where: { channelId_orgId: { channelId, orgId } },
          });
          if (!existing) await tx.channelMember.create({ data: { channelId, orgId } });
          // every mutation is audited, the one that finds the member already there too
          await writeAudit(tx, SCHEMA, ctx, {
            action: 'channel.member.add',
            objectType: 'Channel',
            objectId: channelId,
            before: existing ? { orgId } : null,
            after: { orgId },
          });
        },
      );
      ctx.loaders.members.clear(channelId);
      return channel;
    },
  },
  Organization: {
    channels: async (org, _, ctx) => {
      await channelsEnabled(ctx);
      return ctx.loaders.channelsOf.load(org.id);
    },
  },
  Channel: {
    __resolveReference: async (ref, ctx) => {
      await channelsEnabled(ctx);
      return ctx.loaders.channel.load(ref.id);
    },
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
