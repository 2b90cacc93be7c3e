import { describe, expect, it } from 'vitest';
import type { Actor } from '../organizations/rules.js';
import {
  canSeeMembership,
  type MembershipAction,
  type MembershipStatus,
  membershipStamps,
  membershipTransition,
} from './rules.js';

const OWNER = '0196a000-0000-7000-8000-0000000000a0';
const ORG = '0196a000-0000-7000-8000-0000000000a1';
const STRANGER = '0196a000-0000-7000-8000-0000000000a3';
const sides = { ownerOrgId: OWNER, orgId: ORG };
const as = (orgId: string | null, admin = false): Actor => ({ orgId, admin });
const ADMIN = as(null, true);
const step = (current: MembershipStatus | null, action: MembershipAction, actor: Actor) =>
  membershipTransition(current, action, sides, actor);

describe('membershipTransition', () => {
  it('invites (owner), asks (organization), adds at once (admin)', () => {
    expect(step(null, 'invite', as(OWNER))).toEqual({ ok: true, status: 'INVITED', changed: true });
    expect(step(null, 'request', as(ORG))).toEqual({
      ok: true,
      status: 'REQUESTED',
      changed: true,
    });
    expect(step(null, 'invite', ADMIN)).toEqual({ ok: true, status: 'ACTIVE', changed: true });
  });

  it('refuses an invitation by anyone but the owner and a request for another organization', () => {
    expect(step(null, 'invite', as(ORG))).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(step(null, 'invite', as(STRANGER))).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(step(null, 'request', as(STRANGER))).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(step(null, 'request', as(OWNER))).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it('repeats a pending invitation or request without change; the other side asking is consent', () => {
    expect(step('INVITED', 'invite', as(OWNER))).toEqual({
      ok: true,
      status: 'INVITED',
      changed: false,
    });
    expect(step('REQUESTED', 'request', as(ORG))).toEqual({
      ok: true,
      status: 'REQUESTED',
      changed: false,
    });
    expect(step('ACTIVE', 'invite', as(OWNER))).toEqual({
      ok: true,
      status: 'ACTIVE',
      changed: false,
    });
    expect(step('REQUESTED', 'invite', as(OWNER))).toEqual({
      ok: true,
      status: 'ACTIVE',
      changed: true,
    });
    expect(step('INVITED', 'request', as(ORG))).toEqual({
      ok: true,
      status: 'ACTIVE',
      changed: true,
    });
  });

  it('reopens a DECLINED or ENDED membership by a new invitation or request', () => {
    for (const current of ['DECLINED', 'ENDED'] as const) {
      expect(step(current, 'invite', as(OWNER))).toEqual({
        ok: true,
        status: 'INVITED',
        changed: true,
      });
      expect(step(current, 'request', as(ORG))).toEqual({
        ok: true,
        status: 'REQUESTED',
        changed: true,
      });
    }
  });

  it('lets only the side that was asked (or admin) answer', () => {
    expect(step('INVITED', 'accept', as(ORG))).toEqual({
      ok: true,
      status: 'ACTIVE',
      changed: true,
    });
    expect(step('INVITED', 'decline', as(ORG))).toEqual({
      ok: true,
      status: 'DECLINED',
      changed: true,
    });
    expect(step('INVITED', 'accept', as(OWNER))).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(step('REQUESTED', 'accept', as(OWNER))).toEqual({
      ok: true,
      status: 'ACTIVE',
      changed: true,
    });
    expect(step('REQUESTED', 'accept', as(ORG))).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(step('REQUESTED', 'decline', ADMIN)).toEqual({
      ok: true,
      status: 'DECLINED',
      changed: true,
    });
    expect(step('INVITED', 'accept', as(STRANGER))).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('answers only a pending membership: CONFLICT otherwise, NOT_FOUND without one', () => {
    for (const current of ['ACTIVE', 'DECLINED', 'ENDED'] as const) {
      expect(step(current, 'accept', as(ORG))).toMatchObject({ ok: false, code: 'CONFLICT' });
    }
    expect(step(null, 'accept', as(ORG))).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('lets either side (or admin) end it or withdraw a pending one; nobody else', () => {
    for (const current of ['INVITED', 'REQUESTED', 'ACTIVE'] as const) {
      for (const actor of [as(OWNER), as(ORG), ADMIN]) {
        expect(step(current, 'end', actor)).toEqual({ ok: true, status: 'ENDED', changed: true });
      }
    }
    expect(step('ACTIVE', 'end', as(STRANGER))).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(step('INVITED', 'end', as(STRANGER))).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(step('ENDED', 'end', as(ORG))).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(step(null, 'end', as(ORG))).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });
});

describe('canSeeMembership', () => {
  it('shows ACTIVE memberships to all, the others to the two sides and admin', () => {
    expect(canSeeMembership({ ...sides, status: 'ACTIVE' }, as(STRANGER))).toBe(true);
    for (const status of ['INVITED', 'REQUESTED', 'DECLINED', 'ENDED'] as const) {
      expect(canSeeMembership({ ...sides, status }, as(STRANGER))).toBe(false);
      expect(canSeeMembership({ ...sides, status }, as(OWNER))).toBe(true);
      expect(canSeeMembership({ ...sides, status }, as(ORG))).toBe(true);
      expect(canSeeMembership({ ...sides, status }, ADMIN)).toBe(true);
    }
  });
});

describe('membershipStamps', () => {
  it('records the (last) invitation, request, answer and end', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(membershipStamps('invite', 'INVITED', now)).toEqual({
      invitedAt: now,
      respondedAt: null,
      endedAt: null,
    });
    expect(membershipStamps('invite', 'ACTIVE', now)).toEqual({
      invitedAt: now,
      respondedAt: now,
      endedAt: null,
    });
    expect(membershipStamps('request', 'REQUESTED', now)).toEqual({
      requestedAt: now,
      respondedAt: null,
      endedAt: null,
    });
    expect(membershipStamps('decline', 'DECLINED', now)).toEqual({ respondedAt: now });
    expect(membershipStamps('end', 'ENDED', now)).toEqual({ endedAt: now });
  });
});
