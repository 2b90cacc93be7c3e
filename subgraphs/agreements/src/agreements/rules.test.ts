import { describe, expect, it } from 'vitest';
import { callerOf } from '../testing.js';
import { agreementListScope, agreementsArgs, canSeeAgreement, effectiveStatus } from './rules.js';

const A = '0190a000-0000-7000-8000-00000000000a';
const B = '0190a000-0000-7000-8000-00000000000b';
const C = '0190a000-0000-7000-8000-00000000000c';

describe('canSeeAgreement', () => {
  it('lets the parties see an agreement', () => {
    expect(canSeeAgreement(callerOf(A), [A, B])).toBe(true);
    expect(canSeeAgreement(callerOf(B), [A, B])).toBe(true);
  });
  it('hides it from other organizations, even with write scopes', () => {
    expect(canSeeAgreement(callerOf(C, 'agreements:write'), [A, B])).toBe(false);
  });
  it('hides it from a caller without an organization', () => {
    expect(canSeeAgreement(callerOf(null), [A, B])).toBe(false);
  });
  it('shows every agreement to admin', () => {
    expect(canSeeAgreement(callerOf(C, 'admin'), [A, B])).toBe(true);
    expect(canSeeAgreement(callerOf(null, 'admin'), [])).toBe(true);
  });
});

describe('agreementListScope', () => {
  it('lists the caller organization’s agreements', () => {
    expect(agreementListScope(callerOf(A))).toEqual({ partyOrgIds: [A] });
    expect(agreementListScope(callerOf(A), A)).toEqual({ partyOrgIds: [A] });
  });
  it('narrows another organization to the agreements shared with the caller', () => {
    expect(agreementListScope(callerOf(A), B)).toEqual({ partyOrgIds: [B, A] });
  });
  it('lists everything, or one organization’s, for admin', () => {
    expect(agreementListScope(callerOf(null, 'admin'))).toEqual({ partyOrgIds: [] });
    expect(agreementListScope(callerOf(A, 'admin'), B)).toEqual({ partyOrgIds: [B] });
  });
  it('lists nothing for a caller without an organization', () => {
    expect(agreementListScope(callerOf(null))).toBeNull();
    expect(agreementListScope(callerOf(null), B)).toBeNull();
  });
});

describe('agreementsArgs', () => {
  it('accepts an organization id or nothing', () => {
    expect(agreementsArgs.parse({ orgId: A })).toEqual({ orgId: A });
    expect(agreementsArgs.parse({ orgId: null })).toEqual({ orgId: null });
    expect(agreementsArgs.parse({})).toEqual({});
  });
  it('refuses an id that is not a UUID', () => {
    expect(agreementsArgs.safeParse({ orgId: 'acme' }).success).toBe(false);
  });
});

describe('effectiveStatus', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  it('turns an ACTIVE agreement EXPIRED from its validTo on (exclusive end)', () => {
    expect(
      effectiveStatus({ status: 'ACTIVE', validTo: new Date('2026-06-01T00:00:00Z') }, now),
    ).toBe('EXPIRED');
    expect(
      effectiveStatus({ status: 'ACTIVE', validTo: new Date('2026-01-01T00:00:00Z') }, now),
    ).toBe('EXPIRED');
  });
  it('keeps an ACTIVE agreement ACTIVE before its validTo or without one', () => {
    expect(
      effectiveStatus({ status: 'ACTIVE', validTo: new Date('2026-06-01T00:00:01Z') }, now),
    ).toBe('ACTIVE');
    expect(effectiveStatus({ status: 'ACTIVE', validTo: null }, now)).toBe('ACTIVE');
  });
  it('leaves the other statuses alone', () => {
    const past = new Date('2020-01-01T00:00:00Z');
    expect(effectiveStatus({ status: 'DRAFT', validTo: past }, now)).toBe('DRAFT');
    expect(effectiveStatus({ status: 'TERMINATED', validTo: past }, now)).toBe('TERMINATED');
    expect(effectiveStatus({ status: 'EXPIRED', validTo: null }, now)).toBe('EXPIRED');
  });
});
