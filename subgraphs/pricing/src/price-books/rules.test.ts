import type { Caller } from '@trellis/kit';
import { describe, expect, it } from 'vitest';
import {
  bookWriteProblem,
  canSeePriceBook,
  createPriceBookInput,
  createPriceRuleInput,
  needsChannelOwner,
  type PriceBookAudience,
  priceBooksFilter,
  updatedWindow,
  updatePriceBookInput,
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

describe('bookWriteProblem', () => {
  it('lets administrators write every book', () => {
    for (const scope of ['GLOBAL', 'ORG', 'CHANNEL', 'ORG_CHANNEL'] as const)
      expect(
        bookWriteProblem(caller(null, 'admin'), { scope, channelOwnerOrgId: OWNER }),
      ).toBeNull();
  });
  it('leaves GLOBAL and ORG books to administrators', () => {
    expect(bookWriteProblem(caller(ORG_A), { scope: 'ORG', channelOwnerOrgId: null })).toMatch(
      /administrators/,
    );
    expect(bookWriteProblem(caller(OWNER), { scope: 'GLOBAL', channelOwnerOrgId: null })).toMatch(
      /administrators/,
    );
  });
  it('lets the channel owner, and only it, write CHANNEL and ORG_CHANNEL books', () => {
    for (const scope of ['CHANNEL', 'ORG_CHANNEL'] as const) {
      expect(bookWriteProblem(caller(OWNER), { scope, channelOwnerOrgId: OWNER })).toBeNull();
      expect(bookWriteProblem(caller(ORG_A), { scope, channelOwnerOrgId: OWNER })).toMatch(/owner/);
      expect(bookWriteProblem(caller(null), { scope, channelOwnerOrgId: null })).toMatch(/owner/);
    }
  });
});

describe('write inputs', () => {
  const now = new Date('2026-05-01T00:00:00Z');
  const book = (over: Record<string, unknown>) =>
    createPriceBookInput(now).safeParse({ name: 'B', currency: 'EUR', scope: 'GLOBAL', ...over });
  const firstPath = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
    r.error?.issues[0]?.path.join('.');

  it('fills the defaults of a book', () => {
    const r = book({});
    expect(r.success && r.data).toMatchObject({
      validFrom: now,
      validTo: null,
      priority: 0,
      taxIncluded: false,
      status: 'ACTIVE',
      orgId: null,
      channelId: null,
    });
  });

  it('checks the scope targets and the window of a book', () => {
    expect(firstPath(book({ scope: 'ORG_CHANNEL', orgId: ORG_A }))).toBe('channelId');
    expect(firstPath(book({ scope: 'CHANNEL', orgId: ORG_A, channelId: OWNER }))).toBe('orgId');
    expect(firstPath(book({ currency: 'XYZ1' }))).toBe('currency');
    // without validFrom the window starts now
    expect(firstPath(book({ validTo: new Date('2026-04-01T00:00:00Z') }))).toBe('validTo');
    expect(book({ validTo: new Date('2026-06-01T00:00:00Z') }).success).toBe(true);
  });

  it('checks amounts and percentages of a rule by kind', () => {
    const rule = (over: Record<string, unknown>) =>
      createPriceRuleInput.safeParse({ priceBookId: ORG_A, skuId: ORG_B, kind: 'FIXED', ...over });
    expect(rule({ amount: '12.5' }).success).toBe(true);
    expect(rule({ amount: '0' }).success).toBe(true);
    expect(firstPath(rule({ amount: '-0.01' }))).toBe('amount');
    expect(firstPath(rule({ amount: '1.23456' }))).toBe('amount');
    expect(firstPath(rule({ amount: '1234567890123456' }))).toBe('amount');
    expect(rule({ amount: '000123456789012345.5' }).success).toBe(true);
    expect(firstPath(rule({}))).toBe('amount');
    expect(firstPath(rule({ amount: '1', percent: '5' }))).toBe('percent');
    expect(rule({ kind: 'PERCENT_OFF', percent: '100' }).success).toBe(true);
    expect(rule({ kind: 'PERCENT_OFF', percent: '12.3456' }).success).toBe(true);
    expect(firstPath(rule({ kind: 'PERCENT_OFF', percent: '100.0001' }))).toBe('percent');
    expect(firstPath(rule({ kind: 'PERCENT_OFF', amount: '1', percent: '5' }))).toBe('amount');
    expect(firstPath(rule({ kind: 'AMOUNT_OFF' }))).toBe('amount');
    expect(firstPath(rule({ amount: '1', minQuantity: 0 }))).toBe('minQuantity');
  });

  it('refuses an update that changes nothing', () => {
    expect(updatePriceBookInput.safeParse({}).success).toBe(false);
    expect(updatePriceBookInput.safeParse({ idempotencyKey: 'k' }).success).toBe(false);
    expect(updatePriceBookInput.safeParse({ validTo: null }).success).toBe(true);
  });

  it('computes the window after an update, blaming the field that was given', () => {
    const current = { validFrom: new Date('2026-01-01'), validTo: new Date('2026-12-31') };
    expect(updatedWindow(current, { validTo: null })).toEqual({
      validFrom: current.validFrom,
      validTo: null,
    });
    expect(updatedWindow(current, { validFrom: new Date('2027-01-01') })).toMatchObject({
      field: 'input.validFrom',
    });
    expect(updatedWindow(current, { validTo: new Date('2025-01-01') })).toMatchObject({
      field: 'input.validTo',
    });
  });
});
