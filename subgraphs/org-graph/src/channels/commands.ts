import {
  badInput,
  conflict,
  created,
  forbidden,
  idOf,
  notFound,
  requireActsFor,
  userError,
  type Written,
} from '@trellis/kit';
import type { ChannelMember } from '@trellis/prisma/org-graph/generated/client.ts';
import { z } from 'zod';
import { defineCommand } from '../command.js';
import type { Context } from '../context.js';
import { organizationOrFail } from '../organizations/organization-store.js';
import { actorOf } from '../organizations/rules.js';
import type { OrgGraphTx } from '../prisma.js';
import {
  type ChannelRow,
  insertMembership,
  lockMembership,
  type MembershipRow,
} from './channel-store.js';
import {
  createChannelInput,
  type MembershipAction,
  type MembershipStatus,
  membershipStamps,
  membershipTransition,
} from './rules.js';

export const createChannel = defineCommand({
  name: 'createChannel',
  args: z.object({ input: createChannelInput }),
  async authorize(ctx, { input }) {
    const owner = await organizationOrFail(ctx.loaders, input.ownerOrgId, 'input.ownerOrgId');
    requireActsFor(ctx.caller, owner.id);
    return owner;
  },
  async run(tx, { input }, owner) {
    const channel = await tx.channel.create({
      data: {
        ownerOrgId: owner.id,
        code: input.code,
        name: input.name,
        currency: input.currency,
        regions: input.regions,
      },
    });
    return created(channel, { action: 'channel.create', objectType: 'Channel' }, [
      {
        type: 'channel.created',
        aggregateType: 'Channel',
        aggregateId: channel.id,
        orgId: owner.id,
        payload: { id: channel.id, code: channel.code, ownerOrgId: owner.id },
      },
    ]);
  },
  onDuplicate: ({ input }) =>
    conflict(`a channel with code "${input.code}" already exists`, { field: 'input.code' }),
});

async function channelOrFail(ctx: Context, channelId: string) {
  const channel = await ctx.loaders.channel.load(channelId);
  if (!channel) throw notFound('channel', channelId, 'channelId');
  return channel;
}

/** A step of an organization's membership of a channel, checked before its transaction. */
interface MembershipStep {
  action: MembershipAction;
  channel: ChannelRow;
  orgId: string;
  /** the argument a refusal names */
  field: string;
}

function membershipStep(
  action: MembershipAction,
  channel: ChannelRow,
  orgId: string,
): MembershipStep {
  // requestChannelMembership names no organization: the caller's is the one asking
  const field = action === 'request' ? 'channelId' : 'orgId';
  if (orgId === channel.ownerOrgId) {
    throw badInput(field, "a channel's owner is not a member of its own channel");
  }
  return { action, channel, orgId, field };
}

/** Events are named by the state a step reached (an invitation of one who asked is an acceptance). */
const MEMBERSHIP_EVENT: Record<MembershipStatus, string> = {
  INVITED: 'channel.member_invited',
  REQUESTED: 'channel.member_requested',
  ACTIVE: 'channel.member_accepted',
  DECLINED: 'channel.member_declined',
  ENDED: 'channel.member_ended',
};

/**
 * Takes a membership step (membershipTransition decides who may take it from which state),
 * audited, with an event for each side when the status changes. The row is locked, or
 * inserted with ON CONFLICT DO NOTHING, so concurrent steps see each other's result.
 */
async function takeStep(
  tx: OrgGraphTx,
  ctx: Context,
  { action, channel, orgId, field }: MembershipStep,
): Promise<Written<MembershipRow>> {
  const sides = { ownerOrgId: channel.ownerOrgId, orgId };
  const actor = actorOf(ctx.caller);
  const refuse = (step: ReturnType<typeof membershipTransition>) => {
    if (!step.ok) throw userError(step.code, step.message, { field });
    return step;
  };
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
  return {
    result: { ...after, ownerOrgId: channel.ownerOrgId },
    // every step is audited, a repeat that changes nothing too
    audit: {
      action: `channel.member.${action}`,
      objectType: 'Channel',
      objectId: channel.id,
      before,
      after,
    },
    events: changed
      ? [channel.ownerOrgId, orgId].map((party) => ({
          type: MEMBERSHIP_EVENT[after.status],
          aggregateType: 'Channel',
          aggregateId: channel.id,
          orgId: party,
          payload: { channelId: channel.id, orgId, status: after.status },
        }))
      : [],
  };
}

export const addChannelMember = defineCommand({
  name: 'addChannelMember',
  args: z.object({ channelId: z.string(), orgId: z.string() }),
  async authorize(ctx, { channelId, orgId }) {
    const channel = await channelOrFail(ctx, channelId);
    await organizationOrFail(ctx.loaders, orgId, 'orgId');
    requireActsFor(ctx.caller, channel.ownerOrgId);
    return membershipStep('invite', channel, orgId);
  },
  async run(tx, _, step, ctx) {
    const written = await takeStep(tx, ctx, step);
    // the answer's members are read after the commit
    ctx.loaders.members.clear(step.channel.id);
    return { ...written, result: step.channel };
  },
});

export const requestChannelMembership = defineCommand({
  name: 'requestChannelMembership',
  args: z.object({ channelId: z.string() }),
  async authorize(ctx, { channelId }) {
    const channel = await channelOrFail(ctx, channelId);
    if (!idOf('an organization').safeParse(ctx.caller.orgId).success) {
      throw forbidden('only an organization may ask to join a channel');
    }
    return membershipStep('request', channel, ctx.caller.orgId!);
  },
  run: (tx, _, step, ctx) => takeStep(tx, ctx, step),
});

const memberArgs = z.object({ channelId: z.string(), orgId: idOf('an organization') });

export const respondToChannelMembership = defineCommand({
  name: 'respondToChannelMembership',
  args: memberArgs.extend({ accept: z.boolean() }),
  async authorize(ctx, { channelId, orgId, accept }) {
    return membershipStep(
      accept ? 'accept' : 'decline',
      await channelOrFail(ctx, channelId),
      orgId,
    );
  },
  run: (tx, _, step, ctx) => takeStep(tx, ctx, step),
});

export const endChannelMembership = defineCommand({
  name: 'endChannelMembership',
  args: memberArgs,
  async authorize(ctx, { channelId, orgId }) {
    return membershipStep('end', await channelOrFail(ctx, channelId), orgId);
  },
  run: (tx, _, step, ctx) => takeStep(tx, ctx, step),
});
