import {
  badInput,
  conflict,
  emitEvent,
  forbidden,
  idOf,
  loadExisting,
  notFound,
  onDuplicate,
  pageOf,
  parseInput,
  requireActsFor,
  toConnection,
  userError,
  writeAudit,
  writeOnce,
} from '@trellis/kit';
import type { ChannelMember } from '@trellis/prisma/org-graph/generated/client.ts';
import { z } from 'zod';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { type Context, SCHEMA } from '../context.js';
import { organizationOrFail } from '../organizations/data.js';
import { actorOf } from '../organizations/rules.js';
import { type ChannelRow, insertMembership, listChannels, lockMembership } from './data.js';
import {
  canSeeMembership,
  createChannelInput,
  type MembershipAction,
  type MembershipStatus,
  membershipStamps,
  membershipTransition,
} from './rules.js';

/** The mutation each step is (the idempotency record's operation). */
const OPERATION: Record<MembershipAction, string> = {
  invite: 'addChannelMember',
  request: 'requestChannelMembership',
  accept: 'respondToChannelMembership',
  decline: 'respondToChannelMembership',
  end: 'endChannelMembership',
};

const memberArgs = z.object({ orgId: idOf('an organization') });

async function channelOrFail(ctx: Context, channelId: string) {
  const channel = await ctx.loaders.channel.load(channelId);
  if (!channel) throw notFound('channel', channelId, 'channelId');
  return channel;
}

/** Events are named by the state a step reached (an invitation of one who asked is an acceptance). */
const EVENT: Record<MembershipStatus, string> = {
  INVITED: 'channel.member_invited',
  REQUESTED: 'channel.member_requested',
  ACTIVE: 'channel.member_accepted',
  DECLINED: 'channel.member_declined',
  ENDED: 'channel.member_ended',
};

/**
 * One step of a membership (membershipTransition decides who may take it from which state),
 * audited, with an event for each side when the status changes. The row is locked, or
 * inserted with ON CONFLICT DO NOTHING, so concurrent steps see each other's result.
 */
async function changeMembership(
  ctx: Context,
  action: MembershipAction,
  channel: ChannelRow,
  orgId: string,
  input: Record<string, unknown>,
) {
  // requestChannelMembership names no organization: the caller's is the one asking
  const field = action === 'request' ? 'channelId' : 'orgId';
  if (orgId === channel.ownerOrgId) {
    throw badInput(field, "a channel's owner is not a member of its own channel");
  }
  const sides = { ownerOrgId: channel.ownerOrgId, orgId };
  const actor = actorOf(ctx.caller);
  const refuse = (step: ReturnType<typeof membershipTransition>) => {
    if (!step.ok) throw userError(step.code, step.message, { field });
    return step;
  };
  return writeOnce(ctx.prisma, SCHEMA, ctx, { operation: OPERATION[action], input }, async (tx) => {
    const now = new Date();
    const where = { channelId_orgId: { channelId: channel.id, orgId } };
    let before: ChannelMember | null = null;
    let after: ChannelMember;
    let changed = true;
    const opening =
      action === 'invite' || action === 'request'
        ? refuse(membershipTransition(null, action, sides, actor))
        : null;
    if (
      opening &&
      (await insertMembership(tx, {
        channelId: channel.id,
        orgId,
        status: opening.status,
        ...membershipStamps(action, opening.status, now),
      }))
    ) {
      after = await tx.channelMember.findUniqueOrThrow({ where });
    } else {
      before = await lockMembership(tx, channel.id, orgId);
      const step = refuse(membershipTransition(before?.status ?? null, action, sides, actor));
      changed = step.changed;
      after = changed
        ? await tx.channelMember.update({
            where,
            data: { status: step.status, ...membershipStamps(action, step.status, now) },
          })
        : before!;
    }
    // every step is audited, a repeat that changes nothing too
    await writeAudit(tx, SCHEMA, ctx, {
      action: `channel.member.${action}`,
      objectType: 'Channel',
      objectId: channel.id,
      before,
      after,
    });
    if (changed) {
      for (const party of [channel.ownerOrgId, orgId]) {
        await emitEvent(tx, ctx, {
          type: EVENT[after.status],
          aggregateType: 'Channel',
          aggregateId: channel.id,
          orgId: party,
          payload: { channelId: channel.id, orgId, status: after.status },
        });
      }
    }
    return { ...after, ownerOrgId: channel.ownerOrgId };
  });
}

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
    async createChannel(_, { input }, ctx) {
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
      const channel = await channelOrFail(ctx, channelId);
      await organizationOrFail(ctx.loaders, orgId, 'orgId');
      requireActsFor(ctx.caller, channel.ownerOrgId);
      await changeMembership(ctx, 'invite', channel, orgId, { channelId, orgId });
      ctx.loaders.members.clear(channelId);
      return channel;
    },
    async requestChannelMembership(_, { channelId }, ctx) {
      const channel = await channelOrFail(ctx, channelId);
      if (!idOf('an organization').safeParse(ctx.caller.orgId).success) {
        throw forbidden('only an organization may ask to join a channel');
      }
      return changeMembership(ctx, 'request', channel, ctx.caller.orgId!, { channelId });
    },
    async respondToChannelMembership(_, { channelId, orgId, accept }, ctx) {
      const channel = await channelOrFail(ctx, channelId);
      parseInput(memberArgs, { orgId }, '');
      const action = accept ? 'accept' : 'decline';
      return changeMembership(ctx, action, channel, orgId, { channelId, orgId, accept });
    },
    async endChannelMembership(_, { channelId, orgId }, ctx) {
      const channel = await channelOrFail(ctx, channelId);
      parseInput(memberArgs, { orgId }, '');
      return changeMembership(ctx, 'end', channel, orgId, { channelId, orgId });
    },
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
