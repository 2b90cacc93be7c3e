import type { Caller } from '@trellis/kit';
import { describe, expect, it } from 'vitest';
import type { CandidateBook } from './resolve.js';
import { bookShown, canSeeResolution, resolvePricesInput } from './rules.js';

const BUYER = '0196a000-0000-7000-8000-00000000000a';
const OWNER = '0196a000-0000-7000-8000-0000000000c0';
const OTHER = '0196a000-0000-7000-8000-00000000000b';
const caller = (orgId: string | null, ...scopes: string[]): Caller => ({
  subject: 'u',
  orgId,
  scopes: new Set(scopes),
});

describe('canSeeResolution', () => {
  it('shows prices for an organization to it, the channel owner and administrators', () => {
    const r = { orgId: BUYER, channelOwnerOrgId: OWNER };
    expect(canSeeResolution(caller(BUYER), r)).toBe(true);
    expect(canSeeResolution(caller(OWNER), r)).toBe(true);
    expect(canSeeResolution(caller(null, 'admin'), r)).toBe(true);
    expect(canSeeResolution(caller(OTHER, 'pricing:write'), r)).toBe(false);
    expect(canSeeResolution(caller(null, 'pricing:write'), r)).toBe(false);
    expect(canSeeResolution(caller(null), { orgId: BUYER, channelOwnerOrgId: null })).toBe(false);
  });
});

describe('bookShown', () => {
  const book = (scope: CandidateBook['scope'], orgId: string | null): CandidateBook => ({
    id: 'b',
    scope,
    currency: 'EUR',
    orgId,
    channelId: scope === 'CHANNEL' || scope === 'ORG_CHANNEL' ? 'c' : null,
    validFrom: new Date(0),
    validTo: null,
    priority: 0,
    status: 'ACTIVE',
    taxIncluded: false,
  });
  it('hides the buyer’s ORG books from the channel owner, nothing else', () => {
    expect(bookShown(caller(OWNER), book('ORG', BUYER), OWNER)).toBe(false);
    expect(bookShown(caller(OWNER), book('ORG_CHANNEL', BUYER), OWNER)).toBe(true);
    expect(bookShown(caller(OWNER), book('CHANNEL', null), OWNER)).toBe(true);
    expect(bookShown(caller(OWNER), book('GLOBAL', null), OWNER)).toBe(true);
    expect(bookShown(caller(BUYER), book('ORG', BUYER), OWNER)).toBe(true);
  });
});

describe('resolvePricesInput', () => {
  it('takes at most 1000 inputs', () => {
    const input = { skuId: BUYER, orgId: BUYER, channelId: OWNER };
    expect(resolvePricesInput.safeParse(Array(1000).fill(input)).success).toBe(true);
    expect(resolvePricesInput.safeParse(Array(1001).fill(input)).success).toBe(false);
  });
});
