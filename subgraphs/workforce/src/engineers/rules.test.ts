import type { Caller } from '@trellis/kit';
import { describe, expect, it } from 'vitest';
import { canReadPii, engineersArgs, locationOf, maskPii, membershipInForce } from './rules.js';

const caller = (...scopes: string[]): Caller => ({
  subject: 'u1',
  orgId: '0199a0c2-0000-7000-8000-000000000001',
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

describe('maskPii', () => {
  it('nulls email, phone and home location without pii:read', () => {
    const masked = maskPii(engineer, caller('workforce:write'));
    expect(masked).toEqual({
      ...engineer,
      email: null,
      phone: null,
      homeLat: null,
      homeLng: null,
    });
    expect(engineer.email).toBe('ada@example.com'); // the row itself is untouched
  });

  it('keeps PII for pii:read and for admin', () => {
    expect(maskPii(engineer, caller('pii:read'))).toBe(engineer);
    expect(maskPii(engineer, caller('admin'))).toBe(engineer);
    expect(canReadPii(caller())).toBe(false);
  });

  it('keeps the non-PII fields', () => {
    const masked = maskPii(engineer, caller());
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
