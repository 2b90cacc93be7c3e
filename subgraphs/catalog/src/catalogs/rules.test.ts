import type { Caller } from '@trellis/kit';
import { describe, expect, it } from 'vitest';
import {
  channelChangeArgs,
  EFFECTIVE_AT_TOLERANCE_MS,
  type EntrySeed,
  effectiveAtInPast,
  effectiveAtOf,
  foreignOfferings,
  listingProblem,
  maySellIn,
  type OfferingFacts,
  publishEntries,
  publisherRole,
  rollbackArgs,
  scheduleConflict,
  unlistEntries,
} from './rules.js';

const OWNER = '0196a000-0000-7000-8000-0000000000a0';
const MEMBER = '0196a000-0000-7000-8000-0000000000a1';
const PARTNER = '0196a000-0000-7000-8000-0000000000a2';
const STRANGER = '0196a000-0000-7000-8000-0000000000a3';
const CHANNEL = '0196a000-0000-7000-8000-0000000000c0';
const DAY = 86_400_000;

const entry = (offeringId: string, version = 1): EntrySeed => ({
  offeringId,
  offeringVersionId: `${offeringId}-v${version}`,
  offeringVersionNo: version,
  skuId: `sku-${offeringId}`,
  sellerOrgId: OWNER,
});
const caller = (orgId: string | null, ...scopes: string[]): Caller => ({
  subject: 'user',
  orgId,
  scopes: new Set(scopes),
});

describe('building the next version', () => {
  it('publish keeps the previous entries in place, moves listed ones to their new version and appends new ones', () => {
    const previous = [entry('a'), entry('b'), entry('c')];
    const next = publishEntries(previous, [entry('d'), entry('b', 2)]);
    expect(next.map((e) => [e.offeringId, e.offeringVersionNo])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 1],
      ['d', 1],
    ]);
    expect(publishEntries([], [entry('x')])).toEqual([entry('x')]);
  });

  it('unlist removes the offerings and names those that were not listed', () => {
    const { entries, missing } = unlistEntries([entry('a'), entry('b'), entry('c')], ['b', 'z']);
    expect(entries.map((e) => e.offeringId)).toEqual(['a', 'c']);
    expect(missing).toEqual(['z']);
  });
});

describe('who may sell in a channel', () => {
  const channel = { ownerOrgId: OWNER, status: 'ACTIVE', memberOrgIds: [MEMBER] };
  const related = new Set([PARTNER]);

  it('the owner, members and organizations related to the owner', () => {
    expect(maySellIn(channel, OWNER, related)).toBe(true);
    expect(maySellIn(channel, MEMBER, related)).toBe(true);
    expect(maySellIn(channel, PARTNER, related)).toBe(true);
    expect(maySellIn(channel, STRANGER, related)).toBe(false);
  });

  const offering = (over: Partial<OfferingFacts> = {}): OfferingFacts => ({
    id: 'o1',
    sellerOrgId: MEMBER,
    latestVersion: 1,
    sku: { code: 'SKU-1', status: 'ACTIVE' },
    product: { name: 'P', status: 'ACTIVE' },
    seller: { name: 'Member', status: 'ACTIVE' },
    ...over,
  });

  it('names why an offering cannot be listed, first problem first', () => {
    expect(listingProblem(offering(), channel, related)).toBeNull();
    const reason = (over: Partial<OfferingFacts>) =>
      listingProblem(offering(over), channel, related)?.reason;
    expect(reason({ latestVersion: null })).toBe('NOT_PUBLISHED');
    expect(reason({ sku: { code: 'SKU-1', status: 'DISCONTINUED' } })).toBe('SKU_INACTIVE');
    expect(reason({ product: { name: 'P', status: 'INACTIVE' } })).toBe('PRODUCT_INACTIVE');
    expect(reason({ seller: { name: 'S', status: 'INACTIVE' } })).toBe('SELLER_INACTIVE');
    expect(reason({ sellerOrgId: STRANGER })).toBe('SELLER_NOT_ALLOWED');
    expect(reason({ latestVersion: null, sellerOrgId: STRANGER })).toBe('NOT_PUBLISHED');
    expect(listingProblem(offering({ sellerOrgId: STRANGER }), channel, related)).toMatchObject({
      offeringId: 'o1',
      message: expect.stringContaining('may not sell in this channel'),
    });
  });
});

describe('who may change a channel catalog', () => {
  const channel = { ownerOrgId: OWNER };

  it('admin, owner, or a seller (its own offerings only); nobody without an organization', () => {
    expect(publisherRole(caller(null, 'admin'), channel)).toBe('admin');
    expect(publisherRole(caller(OWNER, 'catalog:publish'), channel)).toBe('owner');
    expect(publisherRole(caller(MEMBER, 'catalog:publish'), channel)).toBe('seller');
    expect(publisherRole(caller(null, 'catalog:publish'), channel)).toBeNull();
    expect(
      foreignOfferings(caller(MEMBER), [
        { id: 'mine', sellerOrgId: MEMBER },
        { id: 'theirs', sellerOrgId: OWNER },
      ]),
    ).toEqual(['theirs']);
  });
});

describe('scheduling', () => {
  const now = new Date('2026-03-01T12:00:00.000Z');
  const plus = (ms: number) => new Date(now.getTime() + ms);

  it('refuses an effectiveAt in the past beyond the clock-skew tolerance', () => {
    expect(effectiveAtInPast(null, now)).toBe(false);
    expect(effectiveAtInPast(plus(60_000), now)).toBe(false);
    expect(effectiveAtInPast(plus(-EFFECTIVE_AT_TOLERANCE_MS + 1), now)).toBe(false);
    expect(effectiveAtInPast(plus(-EFFECTIVE_AT_TOLERANCE_MS - 1), now)).toBe(true);
  });

  it('takes effect at the time asked for, never before the database’s now', () => {
    expect(effectiveAtOf(null, now)).toEqual(now);
    expect(effectiveAtOf(plus(-1000), now)).toEqual(now);
    expect(effectiveAtOf(plus(1000), now)).toEqual(plus(1000));
  });

  it('refuses to bring a scheduled version forward', () => {
    const head = { latestVersion: 3, latestEffectiveAt: plus(DAY) };
    expect(scheduleConflict(head, now)).toContain('version 3 is scheduled for');
    expect(scheduleConflict(head, plus(DAY))).toBeNull();
    expect(scheduleConflict(head, plus(2 * DAY))).toBeNull();
    expect(scheduleConflict({ latestVersion: 0, latestEffectiveAt: null }, now)).toBeNull();
  });
});

describe('arguments', () => {
  it('deduplicates offering ids, refuses none, malformed ids and version 0', () => {
    const ok = channelChangeArgs.parse({ channelId: CHANNEL, offeringIds: [OWNER, OWNER, MEMBER] });
    expect(ok.offeringIds).toEqual([OWNER, MEMBER]);
    expect(channelChangeArgs.safeParse({ channelId: CHANNEL, offeringIds: [] }).success).toBe(
      false,
    );
    const bad = channelChangeArgs.safeParse({ channelId: CHANNEL, offeringIds: ['x'] });
    expect(bad.error?.issues[0]?.path).toEqual(['offeringIds', 0]);
    expect(rollbackArgs.safeParse({ channelId: CHANNEL, toVersion: 0 }).success).toBe(false);
    expect(rollbackArgs.safeParse({ channelId: 'c', toVersion: 1 }).success).toBe(false);
  });
});
