import type { Caller } from '@trellis/kit';
import { describe, expect, it } from 'vitest';
import {
  canReadPii,
  createEngineerInput,
  engineersArgs,
  locationOf,
  maskPii,
  mayWriteEngineer,
  membershipGrantProblem,
  membershipInForce,
  overlaps,
  periodProblem,
  piiOwnersOf,
} from './rules.js';

const OWN = '0199a0c2-0000-7000-8000-000000000001';
const OTHER = '0199a0c2-0000-7000-8000-000000000002';
const caller = (...scopes: string[]): Caller => ({
  subject: 'u1',
  orgId: OWN,
  scopes: new Set(scopes),
});

const engineer = {
  id: '0199a0c2-0000-7000-8000-0000000000e1',
  displayName: 'Ada',
  email: 'ada@example.com',
  phone: '+49 30 1234567',
  homeLat: 52.52,
  homeLng: 13.405,
  regions: ['DE'],
};

describe('canReadPii', () => {
  it('reveals to pii:read only the people of the caller’s own organization', () => {
    expect(canReadPii(caller('pii:read'), [OWN])).toBe(true);
    expect(canReadPii(caller('pii:read'), [OTHER, OWN])).toBe(true);
    expect(canReadPii(caller('pii:read'), [OTHER])).toBe(false);
    expect(canReadPii(caller('pii:read'), [])).toBe(false);
  });

  it('reveals nothing to a caller without an organization, unless it is admin', () => {
    const platform = (...scopes: string[]): Caller => ({
      subject: 'p',
      orgId: null,
      scopes: new Set(scopes),
    });
    expect(canReadPii(platform('pii:read'), [OWN])).toBe(false);
    expect(canReadPii(platform('admin'), [])).toBe(true);
  });

  it('reveals everything to admin and nothing without pii:read', () => {
    expect(canReadPii(caller('admin'), [OTHER])).toBe(true);
    expect(canReadPii(caller('workforce:write'), [OWN])).toBe(false);
    expect(canReadPii(caller(), [OWN])).toBe(false);
  });
});

describe('piiOwnersOf', () => {
  const at = new Date('2026-06-01T00:00:00Z');
  const m = (orgId: string, from: string, to: string | null = null) => ({
    orgId,
    validFrom: new Date(from),
    validTo: to === null ? null : new Date(to),
  });
  it('answers the organizations of memberships in force at that instant only', () => {
    expect(
      piiOwnersOf(
        [
          m(OWN, '2026-01-01T00:00:00Z'),
          m(OTHER, '2025-01-01T00:00:00Z', '2026-06-01T00:00:00Z'), // ended
          m('future', '2026-06-01T00:00:01Z'),
        ],
        at,
      ),
    ).toEqual([OWN]);
    expect(piiOwnersOf([], at)).toEqual([]);
  });
});

describe('maskPii', () => {
  it('nulls email, phone and home location without pii:read', () => {
    const masked = maskPii(engineer, caller('workforce:write'), [OWN]);
    expect(masked).toEqual({
      ...engineer,
      email: null,
      phone: null,
      homeLat: null,
      homeLng: null,
    });
    expect(engineer.email).toBe('ada@example.com'); // the row itself is untouched
  });

  it('keeps PII for pii:read of its own organization and for admin', () => {
    expect(maskPii(engineer, caller('pii:read'), [OWN])).toBe(engineer);
    expect(maskPii(engineer, caller('admin'), [])).toBe(engineer);
  });

  it('nulls PII for pii:read of another organization', () => {
    expect(maskPii(engineer, caller('pii:read'), [OTHER]).email).toBeNull();
  });

  it('keeps the non-PII fields', () => {
    const masked = maskPii(engineer, caller(), [OWN]);
    expect(masked.displayName).toBe('Ada');
    expect(masked.regions).toEqual(['DE']);
  });
});

describe('locationOf', () => {
  it('answers a point only when both coordinates are recorded', () => {
    expect(locationOf({ homeLat: 1.5, homeLng: 0 })).toEqual({ lat: 1.5, lng: 0 });
    expect(locationOf({ homeLat: 1.5, homeLng: null })).toBeNull();
    expect(locationOf({ homeLat: null, homeLng: null })).toBeNull();
  });
});

describe('membershipInForce', () => {
  const m = {
    validFrom: new Date('2026-01-01T00:00:00Z'),
    validTo: new Date('2026-07-01T00:00:00Z'),
  };
  it('includes the start and excludes the end', () => {
    expect(membershipInForce(m, new Date('2026-01-01T00:00:00Z'))).toBe(true);
    expect(membershipInForce(m, new Date('2026-06-30T23:59:59Z'))).toBe(true);
    expect(membershipInForce(m, new Date('2026-07-01T00:00:00Z'))).toBe(false);
    expect(membershipInForce(m, new Date('2025-12-31T23:59:59Z'))).toBe(false);
  });
  it('is open-ended without validTo', () => {
    expect(membershipInForce({ ...m, validTo: null }, new Date('2100-01-01T00:00:00Z'))).toBe(true);
  });
});

describe('engineersArgs', () => {
  it('accepts any UUID or nothing', () => {
    expect(engineersArgs.parse({ orgId: null }).orgId).toBeNull();
    expect(engineersArgs.parse({}).orgId).toBeUndefined();
    const v5 = '9b2f1c3e-6c1d-5a4b-9f2e-1a2b3c4d5e6f';
    expect(engineersArgs.parse({ orgId: v5 }).orgId).toBe(v5);
  });
  it('refuses what is not an id', () => {
    expect(engineersArgs.safeParse({ orgId: 'acme' }).success).toBe(false);
  });
});

describe('who writes engineers (trust takes two)', () => {
  const D = (iso: string) => new Date(iso);
  const inOwn = { orgId: OWN, validFrom: D('2026-01-01T00:00:00Z'), validTo: null };

  it('an organization grants memberships in itself only, and a new engineer needs one', () => {
    expect(membershipGrantProblem(caller('workforce:write'), [{ orgId: OWN }], true)).toBeNull();
    expect(membershipGrantProblem(caller('workforce:write'), [{ orgId: OTHER }], false)).toMatch(
      /another organization/,
    );
    expect(membershipGrantProblem(caller('workforce:write'), [], true)).toMatch(
      /needs a membership/,
    );
    expect(membershipGrantProblem(caller('admin'), [{ orgId: OTHER }], true)).toBeNull();
    const platform: Caller = { subject: 'p', orgId: null, scopes: new Set(['workforce:write']) };
    expect(membershipGrantProblem(platform, [], false)).toMatch(/only an organization/);
  });

  it('changes need a membership in force now (from inclusive, to exclusive)', () => {
    const at = D('2026-06-01T00:00:00Z');
    expect(mayWriteEngineer(caller(), [inOwn], at)).toBe(true);
    expect(mayWriteEngineer(caller(), [{ ...inOwn, validTo: at }], at)).toBe(false);
    expect(mayWriteEngineer(caller(), [{ ...inOwn, orgId: OTHER }], at)).toBe(false);
    expect(mayWriteEngineer(caller('admin'), [], at)).toBe(true);
  });

  it('periods: validTo after validFrom; overlaps of half-open periods', () => {
    const from = D('2026-01-01T00:00:00Z');
    expect(periodProblem({ validFrom: from, validTo: from })).toMatch(/after validFrom/);
    expect(periodProblem({ validFrom: from, validTo: null })).toBeNull();
    const jan = { validFrom: from, validTo: D('2026-02-01T00:00:00Z') };
    expect(overlaps(jan, { validFrom: D('2026-02-01T00:00:00Z'), validTo: null })).toBe(false);
    expect(overlaps(jan, { validFrom: D('2026-01-31T00:00:00Z'), validTo: null })).toBe(true);
    expect(overlaps({ validFrom: from, validTo: null }, jan)).toBe(true);
  });

  it('input: a radius needs a home, skill codes once, levels 1 to 5', () => {
    const base = { displayName: 'A', memberships: [] };
    expect(createEngineerInput.safeParse({ ...base, radiusKm: 10 }).error?.issues[0]?.path).toEqual(
      ['radiusKm'],
    );
    expect(
      createEngineerInput.safeParse({
        ...base,
        skills: [
          { code: 'HVAC', level: 1 },
          { code: 'HVAC', level: 2 },
        ],
      }).success,
    ).toBe(false);
    expect(
      createEngineerInput.safeParse({ ...base, skills: [{ code: 'HVAC', level: 6 }] }).success,
    ).toBe(false);
    expect(
      createEngineerInput.safeParse({ ...base, radiusKm: 501, homeLocation: { lat: 0, lng: 0 } })
        .success,
    ).toBe(false);
  });
});
