import { describe, expect, it } from 'vitest';
import {
  type Actor,
  canSeeRelationship,
  type ExistingRelationship,
  endingAt,
  initialRelationship,
  relationshipProblem,
  relationshipTransition,
  shownStatus,
  type TrustedRelationship,
} from './rules.js';

const DEALER = '0196a000-0000-7000-8000-0000000000d1';
const DISTRIBUTOR = '0196a000-0000-7000-8000-0000000000d2';
const STRANGER = '0196a000-0000-7000-8000-0000000000d3';
const as = (orgId: string | null, admin = false): Actor => ({ orgId, admin });
const ADMIN = as(null, true);
const DAY = 86_400_000;
const T0 = new Date('2026-01-01T00:00:00Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);

const proposed = (status: TrustedRelationship['status'] = 'PROPOSED'): TrustedRelationship => ({
  fromOrgId: DEALER,
  toOrgId: DISTRIBUTOR,
  status,
  proposedByOrgId: DEALER,
});

describe('initialRelationship', () => {
  it('is PROPOSED by the party that creates it, ACTIVE when an administrator does', () => {
    expect(initialRelationship(as(DEALER))).toEqual({
      status: 'PROPOSED',
      proposedByOrgId: DEALER,
    });
    expect(initialRelationship(ADMIN)).toEqual({ status: 'ACTIVE', proposedByOrgId: null });
    expect(initialRelationship(as(DEALER, true))).toEqual({
      status: 'ACTIVE',
      proposedByOrgId: null,
    });
  });
});

describe('relationshipTransition', () => {
  it('lets the other party (or admin) accept or decline a proposal', () => {
    expect(relationshipTransition(proposed(), 'accept', as(DISTRIBUTOR))).toEqual({
      ok: true,
      status: 'ACTIVE',
    });
    expect(relationshipTransition(proposed(), 'decline', as(DISTRIBUTOR))).toEqual({
      ok: true,
      status: 'DECLINED',
    });
    expect(relationshipTransition(proposed(), 'accept', ADMIN)).toEqual({
      ok: true,
      status: 'ACTIVE',
    });
  });

  it('refuses the proposer its own acceptance or declining', () => {
    for (const action of ['accept', 'decline'] as const) {
      expect(relationshipTransition(proposed(), action, as(DEALER))).toMatchObject({
        ok: false,
        code: 'FORBIDDEN',
      });
    }
  });

  it('hides a proposal from a stranger and refuses it the steps on a public one', () => {
    for (const action of ['accept', 'decline', 'end'] as const) {
      expect(relationshipTransition(proposed(), action, as(STRANGER))).toMatchObject({
        ok: false,
        code: 'NOT_FOUND',
      });
      expect(relationshipTransition(proposed('ACTIVE'), action, as(STRANGER))).toMatchObject({
        ok: false,
        code: 'FORBIDDEN',
      });
    }
    expect(relationshipTransition(proposed('DECLINED'), 'accept', as(STRANGER))).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('answers only from PROPOSED and ends only ACTIVE: CONFLICT otherwise', () => {
    for (const status of ['ACTIVE', 'DECLINED', 'ENDED'] as const) {
      expect(relationshipTransition(proposed(status), 'accept', as(DISTRIBUTOR))).toMatchObject({
        ok: false,
        code: 'CONFLICT',
      });
      expect(relationshipTransition(proposed(status), 'decline', ADMIN)).toMatchObject({
        ok: false,
        code: 'CONFLICT',
      });
    }
    for (const status of ['PROPOSED', 'DECLINED', 'ENDED'] as const) {
      expect(relationshipTransition(proposed(status), 'end', as(DEALER))).toMatchObject({
        ok: false,
        code: 'CONFLICT',
      });
    }
  });

  it('lets either party (or admin) end an ACTIVE relationship', () => {
    for (const actor of [as(DEALER), as(DISTRIBUTOR), ADMIN]) {
      expect(relationshipTransition(proposed('ACTIVE'), 'end', actor)).toEqual({
        ok: true,
        status: 'ENDED',
      });
    }
  });
});

describe('canSeeRelationship', () => {
  it('shows PROPOSED and DECLINED to the parties and admin only, ACTIVE and ENDED to all', () => {
    for (const status of ['PROPOSED', 'DECLINED'] as const) {
      expect(canSeeRelationship(proposed(status), as(STRANGER))).toBe(false);
      expect(canSeeRelationship(proposed(status), as(null))).toBe(false);
      expect(canSeeRelationship(proposed(status), as(DISTRIBUTOR))).toBe(true);
      expect(canSeeRelationship(proposed(status), ADMIN)).toBe(true);
    }
    for (const status of ['ACTIVE', 'ENDED'] as const) {
      expect(canSeeRelationship(proposed(status), as(STRANGER))).toBe(true);
    }
  });
});

describe('relationshipProblem', () => {
  const dealer = { type: 'DEALER' as const };
  const distributor = { type: 'DISTRIBUTOR' as const };
  const candidate = {
    type: 'DEALER_OF' as const,
    territories: [],
    validFrom: at(10),
    validTo: null,
  };
  const existing = (
    status: ExistingRelationship['status'],
    validFrom: Date,
    validTo: Date | null,
  ) => ({
    id: 'r1',
    type: 'DEALER_OF' as const,
    territories: ['DE'],
    status,
    validFrom,
    validTo,
  });

  it('refuses an overlapping PROPOSED or ACTIVE relationship of the same type, whatever its territories', () => {
    for (const status of ['PROPOSED', 'ACTIVE'] as const) {
      expect(
        relationshipProblem(dealer, distributor, candidate, [existing(status, at(0), null)]),
      ).toMatchObject({
        code: 'CONFLICT',
      });
      expect(
        relationshipProblem(dealer, distributor, candidate, [existing(status, at(0), at(11))]),
      ).toMatchObject({
        code: 'CONFLICT',
      });
    }
  });

  it('allows one beside DECLINED and ENDED rows, and one after an earlier one ends', () => {
    expect(
      relationshipProblem(dealer, distributor, candidate, [
        existing('DECLINED', at(0), null),
        existing('ENDED', at(0), null),
        existing('ACTIVE', at(0), at(10)),
      ]),
    ).toBeNull();
  });
});

describe('endingAt', () => {
  const rel = { validFrom: at(0), validTo: null };
  it('ends now by default, never before validFrom nor after an existing end', () => {
    expect(endingAt(rel, null, at(5))).toEqual({ validTo: at(5) });
    expect(endingAt({ validFrom: at(7), validTo: null }, null, at(5))).toEqual({ validTo: at(7) });
    expect(endingAt({ validFrom: at(0), validTo: at(3) }, null, at(5))).toEqual({ validTo: at(3) });
    expect(endingAt(rel, at(9), at(5))).toEqual({ validTo: at(9) });
    expect(endingAt(rel, at(-1), at(5))).toHaveProperty('problem');
    expect(endingAt({ validFrom: at(0), validTo: at(3) }, at(4), at(5))).toHaveProperty('problem');
  });
});

describe('shownStatus', () => {
  it('shows an ended relationship ACTIVE until its validTo, ENDED afterwards', () => {
    const ended = { status: 'ACTIVE' as const, endedAt: at(1), validTo: at(5) };
    expect(shownStatus(ended, at(4))).toBe('ACTIVE');
    expect(shownStatus(ended, at(5))).toBe('ENDED');
    // a dated relationship nobody ended keeps its status
    expect(shownStatus({ status: 'ACTIVE', endedAt: null, validTo: at(5) }, at(6))).toBe('ACTIVE');
  });
});
