import { isCurrency, REGION_CODE } from '@trellis/kit';
import { z } from 'zod';
import type { Actor } from '../organizations/rules.js';

export const createChannelInput = z.object({
  ownerOrgId: z.uuid('must be an organization id'),
  code: z
    .string()
    .trim()
    .regex(
      /^[A-Z0-9][A-Z0-9_-]{1,63}$/,
      'code must be 2-64 upper-case letters, digits, "-" or "_"',
    ),
  name: z.string().trim().min(1, 'name must not be empty').max(200),
  currency: z.string().refine(isCurrency, 'currency must be an ISO 4217 code such as "EUR"'),
  regions: z
    .array(z.string().regex(REGION_CODE, 'must be a region code such as "DE" or "US-CA"'))
    .nullish()
    .transform((r) => [...new Set(r ?? [])].sort()),
  idempotencyKey: z.string().nullish(),
});

export type MembershipStatus = 'INVITED' | 'REQUESTED' | 'ACTIVE' | 'DECLINED' | 'ENDED';
export type MembershipAction = 'invite' | 'request' | 'accept' | 'decline' | 'end';

/** The two sides of a membership: the channel's owner and the member organization. */
export interface MembershipSides {
  ownerOrgId: string;
  orgId: string;
}

/** Only ACTIVE memberships are public; every state is the two sides' (and administrators'). */
export const canSeeMembership = (m: MembershipSides & { status: MembershipStatus }, actor: Actor) =>
  m.status === 'ACTIVE' ||
  actor.admin ||
  (actor.orgId !== null && (actor.orgId === m.ownerOrgId || actor.orgId === m.orgId));

type Refusal = { ok: false; code: 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT'; message: string };

/**
 * Membership takes two: the owner invites (INVITED) or the organization asks (REQUESTED), and
 * the other side's answer makes it ACTIVE or DECLINED; either side ends it (a pending one too:
 * withdrawn). An administrator's invitation is ACTIVE at once and an administrator may answer
 * or end for either side. Inviting an organization that asked (or asking for an invitation)
 * is the other side's consent. Answers the new status (`changed` false when the step is a
 * repeat, e.g. a second identical invitation) or why not.
 */
export function membershipTransition(
  current: MembershipStatus | null,
  action: MembershipAction,
  sides: MembershipSides,
  actor: Actor,
): { ok: true; status: MembershipStatus; changed: boolean } | Refusal {
  const isOwner = actor.orgId === sides.ownerOrgId;
  const isMember = actor.orgId === sides.orgId;
  const to = (status: MembershipStatus) => ({
    ok: true as const,
    status,
    changed: status !== current,
  });
  const conflict = (message: string): Refusal => ({ ok: false, code: 'CONFLICT', message });
  const forbidden = (message: string): Refusal => ({ ok: false, code: 'FORBIDDEN', message });
  const open = current === null || current === 'DECLINED' || current === 'ENDED';
  switch (action) {
    case 'invite':
      if (!actor.admin && !isOwner)
        return forbidden("only the channel's owner (or an administrator) may invite members");
      if (actor.admin || current === 'REQUESTED' || current === 'ACTIVE') return to('ACTIVE');
      return to(open ? 'INVITED' : current);
    case 'request':
      if (!isMember) return forbidden('an organization may ask to join a channel only for itself');
      if (current === 'INVITED' || current === 'ACTIVE') return to('ACTIVE');
      return to(open ? 'REQUESTED' : current);
    case 'accept':
    case 'decline': {
      if (current === null || (!actor.admin && !isOwner && !isMember)) {
        return { ok: false, code: 'NOT_FOUND', message: 'there is no such membership' };
      }
      if (current !== 'INVITED' && current !== 'REQUESTED') {
        return conflict(
          `the membership is ${current}; only an INVITED or REQUESTED one can be answered`,
        );
      }
      const answerer = current === 'INVITED' ? isMember : isOwner;
      if (!actor.admin && !answerer) {
        return forbidden(
          current === 'INVITED'
            ? "the invited organization answers an invitation, not the channel's owner"
            : "the channel's owner answers a request to join, not the organization that asked",
        );
      }
      return to(action === 'accept' ? 'ACTIVE' : 'DECLINED');
    }
    case 'end':
      if (current === null || (!actor.admin && !isOwner && !isMember && current !== 'ACTIVE')) {
        return { ok: false, code: 'NOT_FOUND', message: 'there is no such membership' };
      }
      if (!actor.admin && !isOwner && !isMember) {
        return forbidden(
          "only the channel's owner or the member (or an administrator) may end a membership",
        );
      }
      if (current === 'DECLINED' || current === 'ENDED') {
        return conflict(`the membership is already ${current}`);
      }
      return to('ENDED');
  }
}

/** The timestamps a step writes: the (last) invitation, request, answer and end. */
export function membershipStamps(action: MembershipAction, status: MembershipStatus, now: Date) {
  switch (action) {
    case 'invite':
    case 'request': {
      const asked = action === 'invite' ? { invitedAt: now } : { requestedAt: now };
      // asked anew: an earlier answer or end no longer describes it
      return { ...asked, respondedAt: status === 'ACTIVE' ? now : null, endedAt: null };
    }
    case 'accept':
    case 'decline':
      return { respondedAt: now };
    case 'end':
      return { endedAt: now };
  }
}
