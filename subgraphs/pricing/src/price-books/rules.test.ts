import type { Caller } from '@trellis/kit';
import { describe, expect, it } from 'vitest';
import {
  canSeePriceBook,
  needsChannelOwner,
  type PriceBookAudience,
  priceBooksFilter,
} from './rules.js';

const ORG_A = '0196a000-0000-7000-8000-00000000000a';
const ORG_B = '0196a000-0000-7000-8000-00000000000b';
const OWNER = '0196a000-0000-7000-8000-0000000000c0';

const caller = (orgId: string | null, ...scopes: string[]): Caller => ({
  subject: 'user',
  orgId,
  scopes: new Set(scopes),
});

const book = (
  scope: PriceBookAudience['scope'],
  orgId: string | null = null,
  channelOwnerOrgId?: string | null,
) => ({
  scope,
  orgId,
  channelOwnerOrgId,
});

describe('canSeePriceBook', () => {
  it('shows GLOBAL and CHANNEL books to every authenticated caller', () => {
    for (const who of [
      caller(ORG_A),
      caller(null),
      caller(ORG_B, 'pricing:write'),
      caller(null, 'admin'),
    ]) {
      expect(canSeePriceBook(who, book('GLOBAL'))).toBe(true);
      expect(canSeePriceBook(who, book('CHANNEL', null, OWNER))).toBe(true);
      expect(canSeePriceBook(who, book('CHANNEL'))).toBe(true);
    }
  });

  it('shows an ORG book only to its organization and administrators', () => {
    expect(canSeePriceBook(caller(ORG_A), book('ORG', ORG_A))).toBe(true);
    expect(canSeePriceBook(caller(ORG_B), book('ORG', ORG_A))).toBe(false);
    expect(canSeePriceBook(caller(null), book('ORG', ORG_A))).toBe(false);
    expect(canSeePriceBook(caller(ORG_B, 'pricing:write'), book('ORG', ORG_A))).toBe(false);
    expect(canSeePriceBook(caller(ORG_B, 'admin'), book('ORG', ORG_A))).toBe(true);
    expect(canSeePriceBook(caller(null, 'admin'), book('ORG', ORG_A))).toBe(true);
  });

  it('does not give an ORG book to the owner of some channel', () => {
    expect(canSeePriceBook(caller(OWNER), book('ORG', ORG_A, OWNER))).toBe(false);
  });

  it('shows an ORG_CHANNEL book to its organization, the channel owner and administrators', () => {
    expect(canSeePriceBook(caller(ORG_A), book('ORG_CHANNEL', ORG_A, OWNER))).toBe(true);
    expect(canSeePriceBook(caller(OWNER), book('ORG_CHANNEL', ORG_A, OWNER))).toBe(true);
    expect(canSeePriceBook(caller(ORG_B), book('ORG_CHANNEL', ORG_A, OWNER))).toBe(false);
    expect(canSeePriceBook(caller(ORG_B, 'admin'), book('ORG_CHANNEL', ORG_A, OWNER))).toBe(true);
  });

  it('refuses an ORG_CHANNEL book while the channel owner is unknown or missing', () => {
    expect(canSeePriceBook(caller(OWNER), book('ORG_CHANNEL', ORG_A))).toBe(false);
    expect(canSeePriceBook(caller(OWNER), book('ORG_CHANNEL', ORG_A, null))).toBe(false);
    expect(canSeePriceBook(caller(null), book('ORG_CHANNEL', ORG_A, null))).toBe(false);
  });

  it('never matches a caller without an organization to a book without one', () => {
    expect(canSeePriceBook(caller(null), book('ORG', null))).toBe(false);
    expect(canSeePriceBook(caller(null), book('ORG_CHANNEL', null, null))).toBe(false);
  });
});

describe('needsChannelOwner', () => {
  it('asks for the owner only for ORG_CHANNEL books the caller cannot see otherwise', () => {
    expect(needsChannelOwner(caller(OWNER), book('ORG_CHANNEL', ORG_A))).toBe(true);
    expect(needsChannelOwner(caller(ORG_A), book('ORG_CHANNEL', ORG_A))).toBe(false);
    expect(needsChannelOwner(caller(ORG_B, 'admin'), book('ORG_CHANNEL', ORG_A))).toBe(false);
    expect(needsChannelOwner(caller(null), book('ORG_CHANNEL', ORG_A))).toBe(false);
    expect(needsChannelOwner(caller(OWNER), book('ORG_CHANNEL', ORG_A, OWNER))).toBe(false);
    expect(needsChannelOwner(caller(OWNER), book('ORG_CHANNEL', ORG_A, null))).toBe(false);
    expect(needsChannelOwner(caller(OWNER), book('ORG', ORG_A))).toBe(false);
    expect(needsChannelOwner(caller(OWNER), book('CHANNEL'))).toBe(false);
  });
});

describe('priceBooksFilter', () => {
  it('accepts no filter and valid filters', () => {
    expect(priceBooksFilter.parse({})).toEqual({});
    expect(priceBooksFilter.parse({ scope: 'ORG', orgId: ORG_A, channelId: null })).toEqual({
      scope: 'ORG',
      orgId: ORG_A,
      channelId: null,
    });
  });

  it('refuses ids that are not UUIDs and unknown scopes', () => {
    expect(priceBooksFilter.safeParse({ orgId: 'acme' }).success).toBe(false);
    expect(priceBooksFilter.safeParse({ channelId: '42' }).success).toBe(false);
    expect(priceBooksFilter.safeParse({ scope: 'REGION' }).success).toBe(false);
  });
});
