import type { Caller } from '@trellis/kit';
import { describe, expect, it } from 'vitest';
import type { CandidateBook } from './resolve.js';
import { bookShown, canSeeResolution, ownCandidateKeys, resolvePricesInput } from './rules.js';

const BUYER = '0196a000-0000-7000-8000-00000000000a';
const OWNER = '0196a000-0000-7000-8000-0000000000c0';
const OTHER = '0196a000-0000-7000-8000-00000000000b';
const caller = (orgId: string | null, ...scopes: string[]): Caller => ({
  subject: 'u',
  orgId,
  scopes: new Set(scopes),
});

describe('canSeeResolution', () => {
  const MEMBER_CHANNEL = { ownerOrgId: OWNER, memberOrgIds: [BUYER, OTHER] };
  const STRANGER_CHANNEL = { ownerOrgId: OWNER, memberOrgIds: [OTHER] };
  const OWN_CHANNEL_OF_BUYER = { ownerOrgId: BUYER, memberOrgIds: [] };
  // caller x buying organization x the channel's ACTIVE members -> visible
  const table: [string, Caller, typeof MEMBER_CHANNEL, boolean][] = [
    ['the buyer, in a channel it is a member of', caller(BUYER), MEMBER_CHANNEL, true],
    ['the buyer, in a channel it is no member of', caller(BUYER), STRANGER_CHANNEL, true],
    ['the owner, for an ACTIVE member', caller(OWNER), MEMBER_CHANNEL, true],
    ['the owner, for a non-member (its own channel)', caller(OWNER), STRANGER_CHANNEL, false],
    [
      'the owner, for a non-member of a channel without members',
      caller(OWNER),
      { ownerOrgId: OWNER, memberOrgIds: [] },
      false,
    ],
    ['another member of the channel', caller(OTHER), MEMBER_CHANNEL, false],
    ['another member, with pricing:write', caller(OTHER, 'pricing:write'), MEMBER_CHANNEL, false],
    [
      'the owner of another channel the buyer is a member of',
      caller(OTHER),
      { ownerOrgId: OWNER, memberOrgIds: [BUYER] },
      false,
    ],
    ['the buyer itself owning the channel', caller(BUYER), OWN_CHANNEL_OF_BUYER, true],
    ['an administrator, any channel', caller(null, 'admin'), STRANGER_CHANNEL, true],
    ['no organization', caller(null, 'pricing:write'), MEMBER_CHANNEL, false],
  ];
  it.each(table)('%s -> %s', (_what, who, channel, visible) => {
    expect(canSeeResolution(who, { orgId: BUYER, channel })).toBe(visible);
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

describe('ownCandidateKeys', () => {
  const CHANNEL = '0196a000-0000-7000-8000-0000000000d0';
  const SKU = '0196a000-0000-7000-8000-0000000000e0';
  const key = (orgId: string) => ({ skuId: SKU, orgId, channelId: CHANNEL });

  it('allows a caller its own organization’s candidates, and an administrator any', () => {
    expect(ownCandidateKeys(caller(BUYER), [key(BUYER), key(BUYER)])).toHaveLength(2);
    expect(ownCandidateKeys(caller(null, 'admin'), [key(BUYER), key(OTHER)])).toHaveLength(2);
  });

  it('leaves another organization’s candidates to the channel check, even among its own', () => {
    // the owner of a channel may see a member's price, but only once the members are known
    expect(ownCandidateKeys(caller(OWNER), [key(BUYER)])).toBeNull();
    expect(ownCandidateKeys(caller(BUYER), [key(BUYER), key(OTHER)])).toBeNull();
    expect(ownCandidateKeys(caller(null), [key(BUYER)])).toBeNull();
  });
});
