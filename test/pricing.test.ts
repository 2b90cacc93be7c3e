import { createPrisma, loadCandidates, orgViewLoaders, type PricingPrisma } from '@trellis/pricing';
import { runAsSystem } from '@trellis/prisma';
import {
  DEMO_CHANNELS,
  DEMO_PRICE_EXPECTATIONS,
  demoExpectationIds,
  demoId,
  demoOrgId,
  demoPriceBookId,
  demoPriceRuleId,
} from '@trellis/prisma/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ChannelCatalogQuery,
  CreatePriceBookInput,
  CreatePriceRuleInput,
  OrgCatalogWithPricesQuery,
  ResolvePriceInput,
} from './__generated__/contract.js';
import { op } from './support/contract.js';
import { graphql } from './support/documents.js';
import {
  ALL_ON,
  codes,
  firstErrorExtensions,
  type GraphQLResponse,
  startTestSupergraph,
  type TestSupergraph,
  token,
} from './support/supergraph.js';

const org = demoOrgId;
const channel = (code: string) => demoId('channel', code);
const sku = (code: string) => demoId('sku', code);

const KOELN = org('koeln-klima'); // dealer in ACME-DACH and ACME-DIRECT-EU
const WIEN = org('wien-waerme'); // dealer in ACME-DACH
const RHEINLAND = org('rheinland'); // owns ACME-DACH
const NORDIC = org('nordic'); // owns ACME-NORDIC
const DACH = channel('ACME-DACH');
const NORDIC_CHANNEL = channel('ACME-NORDIC');

let sg: TestSupergraph;
let prisma: PricingPrisma;
beforeAll(async () => {
  sg = await startTestSupergraph();
  prisma = createPrisma(sg.db);
});
afterAll(async () => {
  await prisma?.$disconnect();
  await sg?.close();
});

const as = (orgId: string | null, scope = 'pricing:write') =>
  token({ sub: `user-of-${orgId ?? 'platform'}`, org: orgId, scope });
const count = async (table: string, where = 'true', params: unknown[] = []) =>
  Number(
    (
      await sg.db.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM ${table} WHERE ${where}`,
        params,
      )
    )[0]!.n,
  );
const books = () => count('pricing.price_book');
const rules = () => count('pricing.price_rule');

const bookInput = (over: Partial<CreatePriceBookInput> = {}): CreatePriceBookInput => ({
  name: 'Test book',
  currency: 'EUR',
  scope: 'CHANNEL',
  channelId: DACH,
  validFrom: '2026-01-01T00:00:00Z',
  ...over,
});

describe('createPriceBook', () => {
  it('creates a book as the contract shows, with an audit row and a price_book.created event', async () => {
    const res = await sg.gql(
      op('CreatePriceBook'),
      { input: bookInput({ name: 'DACH autumn', priority: 3, taxIncluded: true }) },
      { token: await as(RHEINLAND) },
    );
    expect(res.errors).toBeUndefined();
    const book = res.data.createPriceBook;
    expect(book).toEqual({
      id: expect.any(String),
      name: 'DACH autumn',
      currency: 'EUR',
      scope: 'CHANNEL',
      validFrom: '2026-01-01T00:00:00.000Z',
      validTo: null,
      priority: 3,
      taxIncluded: true,
      status: 'ACTIVE',
      org: null,
      channel: { id: DACH },
    });
    const [audit] = await sg.db.query<any>(
      `SELECT actor, org_id, action, after FROM pricing.audit_log WHERE object_id = $1`,
      [book.id],
    );
    expect(audit).toMatchObject({
      actor: `user-of-${RHEINLAND}`,
      org_id: RHEINLAND,
      action: 'price_book.create',
      after: { id: book.id, scope: 'CHANNEL' },
    });
    const [event] = await sg.db.query<any>(
      `SELECT type, org_id, payload FROM agreements.outbox_event WHERE aggregate_id = $1`,
      [book.id],
    );
    expect(event).toMatchObject({
      type: 'price_book.created',
      org_id: RHEINLAND,
      payload: { id: book.id, scope: 'CHANNEL', channelId: DACH, currency: 'EUR' },
    });
  });

  it('lets the channel owner write ORG_CHANNEL books for an organization in its channel', async () => {
    const res = await sg.gql(
      op('CreatePriceBook'),
      { input: bookInput({ scope: 'ORG_CHANNEL', orgId: WIEN }) },
      { token: await as(RHEINLAND) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.createPriceBook).toMatchObject({ org: { id: WIEN }, channel: { id: DACH } });
  });

  it.each<[string, string, Partial<CreatePriceBookInput>]>([
    ['a dealer, its own ORG_CHANNEL book', KOELN, { scope: 'ORG_CHANNEL', orgId: KOELN }],
    ['a dealer, its own ORG book', KOELN, { scope: 'ORG', orgId: KOELN, channelId: null }],
    ['a distributor, another owner’s channel', RHEINLAND, { channelId: NORDIC_CHANNEL }],
    ['a channel owner, a GLOBAL book', RHEINLAND, { scope: 'GLOBAL', channelId: null }],
  ])('refuses %s (FORBIDDEN), writing nothing', async (_, who, over) => {
    const before = await books();
    const res = await sg.gql(
      op('CreatePriceBook'),
      { input: bookInput(over) },
      { token: await as(who) },
    );
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(await books()).toBe(before);
  });

  it('needs the pricing:write scope', async () => {
    const res = await sg.gql(
      op('CreatePriceBook'),
      { input: bookInput() },
      { token: await as(RHEINLAND, 'catalog:write') },
    );
    expect(codes(res)).toEqual(['FORBIDDEN']);
  });

  it.each<[string, Partial<CreatePriceBookInput>, string]>([
    ['ORG without orgId', { scope: 'ORG', channelId: null }, 'input.orgId'],
    ['GLOBAL with an orgId', { scope: 'GLOBAL', channelId: null, orgId: KOELN }, 'input.orgId'],
    ['CHANNEL without channelId', { channelId: null }, 'input.channelId'],
    ['ORG with a channelId', { scope: 'ORG', orgId: KOELN }, 'input.channelId'],
    ['ORG_CHANNEL without orgId', { scope: 'ORG_CHANNEL' }, 'input.orgId'],
    ['an unknown currency', { currency: 'EURO' }, 'input.currency'],
    ['validFrom after validTo', { validTo: '2025-12-31T00:00:00Z' }, 'input.validTo'],
    ['validFrom equal to validTo', { validTo: '2026-01-01T00:00:00Z' }, 'input.validTo'],
    ['an empty name', { name: '  ' }, 'input.name'],
    ['a malformed channel id', { channelId: 'dach' }, 'input.channelId'],
  ])('refuses %s (BAD_USER_INPUT naming the field), writing nothing', async (_, over, field) => {
    const before = await books();
    const res = await sg.gql(op('CreatePriceBook'), { input: bookInput(over) });
    expect(firstErrorExtensions(res)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await books()).toBe(before);
  });

  it('answers NOT_FOUND for an unknown organization or channel', async () => {
    const unknown = '0196a000-0000-7000-8000-000000000404';
    const noOrg = await sg.gql(op('CreatePriceBook'), {
      input: bookInput({ scope: 'ORG', orgId: unknown, channelId: null }),
    });
    expect(firstErrorExtensions(noOrg)).toMatchObject({ code: 'NOT_FOUND', field: 'input.orgId' });
    const noChannel = await sg.gql(op('CreatePriceBook'), {
      input: bookInput({ channelId: unknown }),
    });
    expect(firstErrorExtensions(noChannel)).toMatchObject({
      code: 'NOT_FOUND',
      field: 'input.channelId',
    });
  });

  it('answers a retry with the same idempotency key with the first book', async () => {
    const input = bookInput({ name: 'Retry me', idempotencyKey: 'book-retry-1' });
    const t = await as(RHEINLAND);
    const first = await sg.gql(op('CreatePriceBook'), { input }, { token: t });
    const before = await books();
    const again = await sg.gql(op('CreatePriceBook'), { input }, { token: t });
    expect(again.data.createPriceBook).toEqual(first.data.createPriceBook);
    expect(await books()).toBe(before);
    const other = await sg.gql(
      op('CreatePriceBook'),
      { input: { ...input, name: 'Something else' } },
      { token: t },
    );
    expect(codes(other)).toEqual(['IDEMPOTENCY_CONFLICT']);
  });

  it('is FEATURE_DISABLED with ENABLE_PRICE_BOOKS off', async () => {
    sg.setFlags({ ...ALL_ON, ENABLE_PRICE_BOOKS: false });
    try {
      const before = await books();
      const res = await sg.gql(op('CreatePriceBook'), { input: bookInput() });
      expect(codes(res)).toEqual(['FEATURE_DISABLED']);
      expect(await books()).toBe(before);
    } finally {
      sg.setFlags(ALL_ON);
    }
  });
});

describe('updatePriceBook', () => {
  let bookId: string;
  beforeAll(async () => {
    const res = await sg.gql(
      op('CreatePriceBook'),
      { input: bookInput({ name: 'To change' }) },
      { token: await as(RHEINLAND) },
    );
    bookId = res.data.createPriceBook.id;
  });

  it('changes what is given, audits before and after, and emits price_book.updated', async () => {
    const res = await sg.gql(
      op('UpdatePriceBook'),
      {
        id: bookId,
        input: {
          name: 'Changed',
          status: 'INACTIVE',
          priority: 7,
          validTo: '2027-01-01T00:00:00Z',
        },
      },
      { token: await as(RHEINLAND) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.updatePriceBook).toEqual({
      id: bookId,
      name: 'Changed',
      status: 'INACTIVE',
      priority: 7,
      validFrom: '2026-01-01T00:00:00.000Z',
      validTo: '2027-01-01T00:00:00.000Z',
    });
    const [audit] = await sg.db.query<any>(
      `SELECT before, after FROM pricing.audit_log WHERE object_id = $1 AND action = 'price_book.update'`,
      [bookId],
    );
    expect(audit.before).toMatchObject({ name: 'To change', status: 'ACTIVE', priority: 0 });
    expect(audit.after).toMatchObject({ name: 'Changed', status: 'INACTIVE', priority: 7 });
    expect(
      await count('agreements.outbox_event', `aggregate_id = $1 AND type = 'price_book.updated'`, [
        bookId,
      ]),
    ).toBe(1);
    // validTo: null opens the window again
    const open = await sg.gql(
      op('UpdatePriceBook'),
      { id: bookId, input: { validTo: null } },
      { token: await as(RHEINLAND) },
    );
    expect(open.data.updatePriceBook.validTo).toBeNull();
  });

  it('refuses an empty window and an empty change, writing nothing', async () => {
    const t = await as(RHEINLAND);
    const window = await sg.gql(
      op('UpdatePriceBook'),
      { id: bookId, input: { validFrom: '2030-01-01T00:00:00Z', validTo: '2029-01-01T00:00:00Z' } },
      { token: t },
    );
    expect(firstErrorExtensions(window)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.validTo',
    });
    const start = await sg.gql(
      op('UpdatePriceBook'),
      { id: bookId, input: { validFrom: '2031-01-01T00:00:00Z', validTo: '2030-01-01T00:00:00Z' } },
      { token: t },
    );
    expect(firstErrorExtensions(start)).toMatchObject({ code: 'BAD_USER_INPUT' });
    const nothing = await sg.gql(op('UpdatePriceBook'), { id: bookId, input: {} }, { token: t });
    expect(firstErrorExtensions(nothing)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });
    const [row] = await sg.db.query<any>(
      'SELECT valid_from FROM pricing.price_book WHERE id = $1',
      [bookId],
    );
    expect(new Date(row.valid_from).toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('refuses other organizations: FORBIDDEN when they see the book, NOT_FOUND when they do not', async () => {
    const visible = await sg.gql(
      op('UpdatePriceBook'),
      { id: bookId, input: { name: 'Hijacked' } },
      { token: await as(NORDIC) },
    );
    expect(codes(visible)).toEqual(['FORBIDDEN']);
    const negotiated = demoPriceBookId('koeln-klima-dach'); // ORG_CHANNEL: Köln's and Rheinland's
    const hidden = await sg.gql(
      op('UpdatePriceBook'),
      { id: negotiated, input: { name: 'Hijacked' } },
      { token: await as(WIEN) },
    );
    expect(firstErrorExtensions(hidden)).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    const buyer = await sg.gql(
      op('UpdatePriceBook'),
      { id: negotiated, input: { name: 'Cheaper please' } },
      { token: await as(KOELN) },
    );
    expect(codes(buyer)).toEqual(['FORBIDDEN']);
  });
});

describe('createPriceRule', () => {
  let bookId: string;
  const SKU = sku('ACM-08-8');
  const ruleInput = (over: Partial<CreatePriceRuleInput> = {}): CreatePriceRuleInput => ({
    priceBookId: bookId,
    skuId: SKU,
    kind: 'FIXED',
    amount: '555.00',
    ...over,
  });
  const create = async (over: Partial<CreatePriceRuleInput> = {}, who = RHEINLAND) =>
    sg.gql(op('CreatePriceRule'), { input: ruleInput(over) }, { token: await as(who) });

  beforeAll(async () => {
    const res = await sg.gql(
      op('CreatePriceBook'),
      { input: bookInput({ name: 'Rules' }) },
      { token: await as(RHEINLAND) },
    );
    bookId = res.data.createPriceBook.id;
  });

  it('creates a rule as the contract shows, with an audit row and a price_rule.created event', async () => {
    const res = await create({
      validFrom: '2026-02-01T00:00:00Z',
      validTo: '2026-03-01T00:00:00Z',
      priority: 2,
      taxCategory: 'standard',
    });
    expect(res.errors).toBeUndefined();
    const rule = res.data.createPriceRule;
    expect(rule).toEqual({
      id: expect.any(String),
      kind: 'FIXED',
      amount: '555',
      percent: null,
      minQuantity: 1,
      validFrom: '2026-02-01T00:00:00.000Z',
      validTo: '2026-03-01T00:00:00.000Z',
      priority: 2,
      taxCategory: 'standard',
      priceBook: { id: bookId },
      sku: { id: SKU },
    });
    expect(
      await count('pricing.audit_log', `object_id = $1 AND action = 'price_rule.create'`, [
        rule.id,
      ]),
    ).toBe(1);
    const [event] = await sg.db.query<any>(
      `SELECT type, org_id, payload FROM agreements.outbox_event WHERE aggregate_id = $1`,
      [rule.id],
    );
    expect(event).toMatchObject({
      type: 'price_rule.created',
      org_id: RHEINLAND,
      payload: { id: rule.id, priceBookId: bookId, skuId: SKU, kind: 'FIXED', minQuantity: 1 },
    });
  });

  it('refuses a rule that overlaps another of the same book, SKU and minQuantity (CONFLICT naming it)', async () => {
    const first = await create({ minQuantity: 50, validFrom: '2026-04-01T00:00:00Z' });
    const firstId = first.data.createPriceRule.id;
    const before = await rules();
    // overlapping, even with another priority (the contract's rule is stricter than a tie)
    const overlapping: Partial<CreatePriceRuleInput>[] = [
      { minQuantity: 50 },
      { minQuantity: 50, priority: 9, validTo: '2026-04-02T00:00:00Z' },
      { minQuantity: 50, kind: 'PERCENT_OFF', amount: null, percent: '5' },
    ];
    for (const over of overlapping) {
      const res = await create(over);
      expect(codes(res), JSON.stringify(over)).toEqual(['CONFLICT']);
      expect(firstErrorExtensions(res).conflictingRuleId).toBe(firstId);
      expect(res.errors?.[0]?.message).toContain(firstId);
    }
    expect(await rules()).toBe(before);
    // a window that ends where the other starts does not overlap ([from, to))
    const before2 = await create({ minQuantity: 50, validTo: '2026-04-01T00:00:00Z' });
    expect(before2.errors).toBeUndefined();
    // another minimum quantity is another tier
    const tier = await create({ minQuantity: 51 });
    expect(tier.errors).toBeUndefined();
  });

  it('refuses overlapping rules written at the same time: exactly one wins', async () => {
    const results = await Promise.all(
      [1, 2, 3].map((i) => create({ minQuantity: 70, amount: `${500 + i}.00` })),
    );
    expect(results.map(codes).sort()).toEqual([[], ['CONFLICT'], ['CONFLICT']]);
  });

  it.each<[string, Partial<CreatePriceRuleInput>, string]>([
    ['a negative amount', { amount: '-1.00' }, 'input.amount'],
    ['an amount with 5 decimals', { amount: '1.00001' }, 'input.amount'],
    ['FIXED without amount', { amount: null }, 'input.amount'],
    ['FIXED with a percent', { percent: '5' }, 'input.percent'],
    ['AMOUNT_OFF without amount', { kind: 'AMOUNT_OFF', amount: null }, 'input.amount'],
    ['PERCENT_OFF without percent', { kind: 'PERCENT_OFF', amount: null }, 'input.percent'],
    ['PERCENT_OFF with an amount', { kind: 'PERCENT_OFF', percent: '5' }, 'input.amount'],
    [
      'a percent above 100',
      { kind: 'PERCENT_OFF', amount: null, percent: '100.5' },
      'input.percent',
    ],
    ['a negative percent', { kind: 'PERCENT_OFF', amount: null, percent: '-5' }, 'input.percent'],
    ['minQuantity 0', { minQuantity: 0 }, 'input.minQuantity'],
    [
      'validFrom after validTo',
      { validFrom: '2026-05-01T00:00:00Z', validTo: '2026-04-01T00:00:00Z' },
      'input.validTo',
    ],
    ['a malformed SKU id', { skuId: 'ACM-08-8' }, 'input.skuId'],
  ])('refuses %s (BAD_USER_INPUT naming the field), writing nothing', async (_, over, field) => {
    const before = await rules();
    const res = await create(over);
    expect(firstErrorExtensions(res)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await rules()).toBe(before);
  });

  it('answers NOT_FOUND for an unknown book, FORBIDDEN for someone else’s', async () => {
    const unknown = await create({ priceBookId: '0196a000-0000-7000-8000-000000000404' });
    expect(firstErrorExtensions(unknown)).toMatchObject({
      code: 'NOT_FOUND',
      field: 'input.priceBookId',
    });
    const before = await rules();
    expect(codes(await create({ minQuantity: 99 }, NORDIC))).toEqual(['FORBIDDEN']);
    // a dealer cannot price itself in its negotiated book
    const own = await sg.gql(
      op('CreatePriceRule'),
      { input: ruleInput({ priceBookId: demoPriceBookId('koeln-klima-dach'), amount: '1.00' }) },
      { token: await as(KOELN) },
    );
    expect(codes(own)).toEqual(['FORBIDDEN']);
    expect(await rules()).toBe(before);
  });

  it('answers NOT_FOUND naming input.skuId for a SKU that does not exist, writing nothing', async () => {
    const before = {
      rules: await rules(),
      audit: await count('pricing.audit_log'),
      events: await count('agreements.outbox_event', `type = 'price_rule.created'`),
    };
    const missing = '0196a000-0000-7000-8000-0000000005c0';
    const res = await create({ skuId: missing, minQuantity: 77 });
    expect(firstErrorExtensions(res)).toMatchObject({ code: 'NOT_FOUND', field: 'input.skuId' });
    expect(res.errors?.[0]?.message).toContain(missing);
    expect(res.data).toBeNull();
    expect({
      rules: await rules(),
      audit: await count('pricing.audit_log'),
      events: await count('agreements.outbox_event', `type = 'price_rule.created'`),
    }).toEqual(before);
    // as an administrator too: the check is the write's, not the caller's
    const admin = await sg.gql(
      op('CreatePriceRule'),
      { input: ruleInput({ skuId: missing, minQuantity: 78 }) },
      { token: await token({ sub: 'platform-admin', org: null, scope: 'admin' }) },
    );
    expect(firstErrorExtensions(admin)).toMatchObject({ code: 'NOT_FOUND', field: 'input.skuId' });
    expect(await rules()).toBe(before.rules);
  });
});

// ---------------------------------------------------------------------------------------------
// Resolution on the demo price books

const resolveInput = (over: Partial<ResolvePriceInput> = {}): ResolvePriceInput => ({
  skuId: sku('ACM-01-9KW'),
  orgId: KOELN,
  channelId: DACH,
  ...over,
});

describe('resolvePrice', () => {
  it('answers the demo dealer’s price with its whole explanation', async () => {
    const res = await sg.gql(
      op('ResolvePrice'),
      { input: resolveInput() },
      { token: await as(KOELN, '') },
    );
    expect(res.errors).toBeUndefined();
    const r = res.data.resolvePrice;
    expect(r).toMatchObject({
      reason: 'RESOLVED',
      price: { amount: '5235.26', currency: 'EUR' },
      originalPrice: { amount: '5510.80', currency: 'EUR' },
      scope: 'CHANNEL',
      priceBook: { id: demoPriceBookId('acme-dach-channel') },
      rule: { id: demoPriceRuleId('acme-dach-channel', 'ACM-01-9KW') },
      taxIncluded: false,
      taxCategory: null,
    });
    expect(r.explanation.map((e) => [e.rule?.id, e.scope, e.outcome])).toEqual([
      [demoPriceRuleId('acme-dach-channel', 'ACM-01-9KW'), 'CHANNEL', 'WON'],
      [demoPriceRuleId('koeln-klima-frame', 'ACM-01-9KW'), 'ORG', 'SUPERSEDED'],
      [demoPriceRuleId('acme-list-eur', 'ACM-01-9KW'), 'GLOBAL', 'SUPERSEDED'],
      [demoPriceRuleId('acme-dach-summer-2030', 'ACM-01-9KW'), 'CHANNEL', 'NOT_APPLICABLE'],
      [demoPriceRuleId('acme-list-gbp', 'ACM-01-9KW'), 'GLOBAL', 'NOT_APPLICABLE'],
    ]);
    expect(r.explanation[3]?.reason).toContain('2030-06-01T00:00:00.000Z');
    expect(r.explanation[4]?.reason).toContain('GBP, not EUR');
  });

  it('applies the scheduled promotion inside its window', async () => {
    const res = await sg.gql(op('ResolvePrice'), {
      input: resolveInput({ at: '2030-06-15T00:00:00Z' }),
    });
    expect(res.data.resolvePrice).toMatchObject({
      price: { amount: '4849.50' }, // 12% off 5510.80
      originalPrice: { amount: '5510.80' },
      scope: 'CHANNEL',
      rule: { id: demoPriceRuleId('acme-dach-summer-2030', 'ACM-01-9KW') },
    });
    expect(res.data.resolvePrice.explanation[1]).toMatchObject({
      rule: { id: demoPriceRuleId('acme-dach-channel', 'ACM-01-9KW') },
      outcome: 'OUTRANKED',
    });
  });

  it('defaults the currency to the channel’s, and answers another currency from its books', async () => {
    const gbp = await sg.gql(op('ResolvePrice'), { input: resolveInput({ currency: 'GBP' }) });
    expect(gbp.data.resolvePrice).toMatchObject({
      price: { amount: '5290.00', currency: 'GBP' },
      scope: 'GLOBAL',
      taxIncluded: true,
      originalPrice: null,
    });
  });

  it('answers NO_PRICE with the reasons, price null', async () => {
    const res = await sg.gql(op('ResolvePrice'), {
      input: resolveInput({ skuId: sku('ACM-10-HD') }),
    });
    expect(res.data.resolvePrice).toEqual({
      reason: 'NO_PRICE',
      price: null,
      originalPrice: null,
      scope: null,
      priceBook: null,
      rule: null,
      taxIncluded: null,
      taxCategory: null,
      explanation: [],
    });
    const tier = await sg.gql(op('ResolvePrice'), {
      input: resolveInput({ skuId: sku('ACM-09-5M'), currency: 'USD' }),
    });
    expect(tier.data.resolvePrice.reason).toBe('NO_PRICE');
    expect(tier.data.resolvePrice.explanation).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          outcome: 'NOT_APPLICABLE',
          reason: expect.stringContaining('USD'),
        }),
      ]),
    );
  });

  it('shows a dealer’s price to the dealer, the channel owner and admin only', async () => {
    const ask = async (t: string | null) =>
      sg.gql(
        op('ResolvePrice'),
        { input: resolveInput({ skuId: sku('ACM-01-12KW') }) },
        { token: t },
      );
    const dealer = await ask(await as(KOELN, ''));
    expect(dealer.data.resolvePrice).toMatchObject({
      scope: 'ORG',
      rule: { id: demoPriceRuleId('koeln-klima-frame', 'ACM-01-12KW') },
      price: { amount: '6890.80' },
    });
    // the channel owner sees the price, not the dealer's own ORG book
    const owner = await ask(await as(RHEINLAND, ''));
    expect(owner.errors).toBeUndefined();
    expect(owner.data.resolvePrice).toMatchObject({
      scope: 'ORG',
      price: { amount: '6890.80' },
      priceBook: null,
      rule: null,
    });
    expect(owner.data.resolvePrice.explanation[0]).toMatchObject({
      rule: null,
      priceBook: null,
      scope: 'ORG',
      outcome: 'WON',
    });
    expect(JSON.stringify(owner.data)).not.toContain(demoPriceBookId('koeln-klima-frame'));
    for (const other of [WIEN, NORDIC, null]) {
      const res = await ask(await as(other, 'pricing:write'));
      expect(codes(res), String(other)).toEqual(['FORBIDDEN']);
      expect(res.data).toBeNull();
    }
    expect(codes(await ask(null))).toEqual(['UNAUTHENTICATED']);
  });

  it('never lets a dealer’s negotiated books into another dealer’s answer', async () => {
    const res = await sg.gql(
      op('ResolvePrice'),
      { input: resolveInput({ skuId: sku('ACM-01-6KW'), orgId: WIEN }) },
      { token: await as(WIEN, '') },
    );
    expect(res.data.resolvePrice).toMatchObject({
      scope: 'CHANNEL',
      price: { amount: '4790.00' },
      originalPrice: { amount: '4990.00' },
    });
    const seen = JSON.stringify(res.data);
    for (const koeln of ['koeln-klima-frame', 'koeln-klima-dach'])
      expect(seen).not.toContain(demoPriceBookId(koeln));
    expect(res.data.resolvePrice.explanation.map((e) => e.scope).sort()).toEqual([
      'CHANNEL',
      'CHANNEL',
      'GLOBAL',
      'GLOBAL',
    ]); // the DACH price, the inactive 2027 draft, the EUR and GBP list prices
  });

  it('validates input and is FEATURE_DISABLED with ENABLE_PRICE_RESOLUTION off', async () => {
    const bad = await sg.gql(op('ResolvePrice'), { input: resolveInput({ quantity: 0 }) });
    expect(firstErrorExtensions(bad)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.quantity',
    });
    sg.setFlags({ ...ALL_ON, ENABLE_PRICE_RESOLUTION: false });
    try {
      expect(codes(await sg.gql(op('ResolvePrice'), { input: resolveInput() }))).toEqual([
        'FEATURE_DISABLED',
      ]);
    } finally {
      sg.setFlags(ALL_ON);
    }
  });
});

describe('resolvePrices', () => {
  it('answers one resolution per input, in order', async () => {
    const koeln = DEMO_PRICE_EXPECTATIONS.filter((e) => e.org === 'koeln-klima');
    const inputs = koeln.map((e): ResolvePriceInput => {
      const ids = demoExpectationIds(e);
      return { skuId: ids.skuId, orgId: ids.orgId, channelId: ids.channelId, quantity: e.quantity };
    });
    const res = await sg.gql(op('ResolvePrices'), { inputs }, { token: await as(KOELN, '') });
    expect(res.errors).toBeUndefined();
    expect(res.data.resolvePrices).toHaveLength(inputs.length);
    koeln.forEach((e, i) => {
      expect(res.data.resolvePrices[i], `${e.channel} ${e.sku} ×${e.quantity ?? 1}`).toEqual({
        reason: e.reason,
        price: e.amount ? { amount: e.amount, currency: 'EUR' } : null,
        scope: e.scope ?? null,
        rule: e.rule ? { id: demoExpectationIds(e).ruleId } : null,
      });
    });
  });

  it('costs the same SQL statements in pricing for 1000 inputs as for 10', async () => {
    const skus = Array.from({ length: 1000 }, (_, i) =>
      i % 7 === 0 ? sku('ACM-01-9KW') : demoId('sku', `generated-${i}`),
    );
    const cost = async (n: number) => {
      const before = await sg.statements('pricing');
      const res = await sg.gql(op('ResolvePrices'), {
        inputs: skus
          .slice(0, n)
          .map((skuId): ResolvePriceInput => ({ skuId, orgId: KOELN, channelId: DACH })),
      });
      expect(res.errors).toBeUndefined();
      expect(res.data.resolvePrices).toHaveLength(n);
      expect(res.data.resolvePrices[0]?.price?.amount).toBe('5235.26');
      return (await sg.statements('pricing')) - before;
    };
    const ten = await cost(10);
    expect(await cost(1000)).toBe(ten);
    expect(ten).toBeLessThanOrEqual(2);
  });
});

// ---------------------------------------------------------------------------------------------
// The flagship: organization → channels → published catalog → SKU → price

const DEALER = 'koeln-klima';
const DEALER_CHANNELS = DEMO_CHANNELS.filter(
  (c) => c.owner === DEALER || c.members.includes(DEALER),
).map((c) => c.code);

/** The SKU codes listed in a channel's catalog in force now. */
async function listedSkus(channelId: string): Promise<Set<string>> {
  const codes = new Set<string>();
  let after: string | null = null;
  do {
    // typed here: `after` is narrowed by what the loop reads
    const res: GraphQLResponse<ChannelCatalogQuery> = await sg.gql(op('ChannelCatalog'), {
      channelId,
      first: 100,
      after,
    });
    const entries = res.data?.channel?.catalog?.entries;
    if (!entries) break;
    for (const e of entries.edges) codes.add(e.node.sku.code);
    after = entries.pageInfo.hasNextPage ? entries.pageInfo.endCursor : null;
  } while (after);
  return codes;
}

/**
 * Lists every SKU the expectations name in the dealer's channels, where the demo catalogs do
 * not list it yet: an offering of the channel's owner, published, then published to the channel.
 */
async function listExpectedSkus() {
  const wanted = new Map<string, Set<string>>();
  for (const e of DEMO_PRICE_EXPECTATIONS.filter((x) => x.org === DEALER)) {
    wanted.set(e.channel, (wanted.get(e.channel) ?? new Set()).add(e.sku));
  }
  const must = (res: { errors?: unknown[] }, what: string) => {
    if (res.errors) throw new Error(`${what}: ${JSON.stringify(res.errors)}`);
  };
  for (const [code, skus] of wanted) {
    const listed = await listedSkus(channel(code));
    const missing = [...skus].filter((s) => !listed.has(s));
    if (missing.length === 0) continue;
    const seller = org(DEMO_CHANNELS.find((c) => c.code === code)!.owner);
    const offeringIds: string[] = [];
    for (const skuCode of missing) {
      const found = await sg.gql(
        graphql(
          `query PricingTestOffering($s: ID, $k: ID) { offerings(sellerId: $s, skuId: $k, first: 1) { edges { node { id latestVersion } } } }`,
        ),
        { s: seller, k: sku(skuCode) },
      );
      must(found, `offerings of ${code}`);
      let offering = found.data.offerings.edges[0]?.node;
      if (!offering) {
        const created = await sg.gql(op('CreateOffering'), {
          input: { sellerOrgId: seller, skuId: sku(skuCode), name: skuCode },
        });
        must(created, `createOffering ${skuCode}`);
        offering = created.data.createOffering;
      }
      if (!offering.latestVersion) {
        must(await sg.gql(op('PublishOffering'), { id: offering.id }), `publish ${skuCode}`);
      }
      offeringIds.push(offering.id);
    }
    must(
      await sg.gql(op('PublishToChannel'), { channelId: channel(code), offeringIds }),
      `publishToChannel ${code}`,
    );
  }
}

describe('the candidates statement', () => {
  it('reads every book and rule with exactly the rows Prisma reads for them', async () => {
    await runAsSystem('candidates-test', async () => {
      const books = await prisma.priceBook.findMany({ include: { rules: true } });
      // every rule of every book, each asked for where its book addresses it
      const requests = books.flatMap((b) =>
        b.rules.map((r) => ({
          skuId: r.skuId,
          orgId: b.orgId ?? KOELN,
          channelId: b.channelId ?? DACH,
        })),
      );
      const loaded = [...(await loadCandidates(prisma, requests)).values()].flat();
      const byId = <T extends { id: string }>(rows: T[]) =>
        [...new Map(rows.map((r) => [r.id, r])).values()].sort((a, b) => a.id.localeCompare(b.id));
      // a column missing from the statement, or decoded differently, fails here
      const rules = byId(books.flatMap((b) => b.rules));
      expect(byId(loaded.map((c) => c.row()))).toEqual(rules);
      expect(byId(loaded.map((c) => c.book.row))).toEqual(
        byId(books.filter((b) => b.rules.length).map(({ rules: _, ...b }) => b)),
      );
      // the demo covers what could decode wrongly: amounts, percents, tax categories, windows
      expect({
        amount: rules.some((r) => r.amount !== null),
        percent: rules.some((r) => r.percent !== null),
        taxCategory: rules.some((r) => r.taxCategory !== null),
        bookEnds: books.some((b) => b.validTo !== null),
      }).toEqual({ amount: true, percent: true, taxCategory: true, bookEnds: true });
    });
  });
});

describe('the channel view', () => {
  it('reads every channel with its ACTIVE members as a list of ids', async () => {
    await runAsSystem('channel-view-test', async () => {
      const rows = await prisma.$queryRawUnsafe<
        { id: string; ownerOrgId: string; members: string[] }[]
      >(
        `SELECT id::text AS id, owner_org_id::text AS "ownerOrgId", member_org_ids::text[] AS members
           FROM "org_graph"."channel_v1" ORDER BY id`,
      );
      const loaders = orgViewLoaders(prisma);
      const views = await loaders.channelView.loadMany(rows.map((r) => r.id));
      // the members decode as an array (a JSON string would answer `includes` by substring)
      const sorted = (ids: readonly string[]) => [...ids].sort();
      expect(views.map((v) => sorted((v as { memberOrgIds: string[] }).memberOrgIds))).toEqual(
        rows.map((r) => sorted(r.members)),
      );
      const owned = await loaders.channelsOwnedBy.load(rows[0]!.ownerOrgId);
      expect(owned.every((c) => Array.isArray(c.memberOrgIds))).toBe(true);
      expect(rows.some((r) => r.members.length > 1)).toBe(true);
    });
  });
});

type Channels = NonNullable<NonNullable<OrgCatalogWithPricesQuery['organization']>['channels']>;
type EntryNode = NonNullable<Channels[number]['catalog']>['entries']['edges'][number]['node'];

/** Every entry of every channel of the flagship's answer. */
const entryNodes = (data: OrgCatalogWithPricesQuery): EntryNode[] =>
  (data.organization?.channels ?? []).flatMap((c) =>
    (c.catalog?.entries.edges ?? []).map((e) => e.node),
  );

describe('OrgCatalogWithPrices (the flagship)', () => {
  beforeAll(async () => {
    await listExpectedSkus();
  });

  it('answers every channel of the dealer with its entries, each priced as the matrix predicts', async () => {
    const res = await sg.gql(
      op('OrgCatalogWithPrices'),
      { orgId: KOELN, first: 100 },
      { token: await as(KOELN, '') },
    );
    expect(res.errors).toBeUndefined();
    const o = res.data.organization;
    expect(o).toMatchObject({ id: KOELN, type: 'DEALER' });
    const channels = o?.channels ?? [];
    expect(channels.map((c) => c.code).sort()).toEqual([...DEALER_CHANNELS].sort());
    const checked = new Set<string>();
    const entries: { channel: string; channelId: string; node: EntryNode }[] = [];
    for (const c of channels) {
      expect(c.catalog, c.code).not.toBeNull();
      const edges = c.catalog?.entries.edges ?? [];
      expect(edges.length).toBeGreaterThan(0);
      for (const { node } of edges) {
        entries.push({ channel: c.code, channelId: c.id, node });
        expect(node.price, `${c.code} ${node.sku.code}`).not.toBeNull();
        const e = DEMO_PRICE_EXPECTATIONS.find(
          (x) => x.org === DEALER && x.channel === c.code && x.sku === node.sku.code && !x.quantity,
        );
        if (!e) continue;
        checked.add(`${c.code} ${e.sku}`);
        expect(node.price, `${c.code} ${e.sku}`).toEqual({
          reason: e.reason,
          price: e.amount ? { amount: e.amount, currency: c.currency } : null,
          originalPrice: e.originalPrice ? { amount: e.originalPrice, currency: c.currency } : null,
          scope: e.scope ?? null,
          rule: e.rule ? { id: demoExpectationIds(e).ruleId } : null,
        });
      }
    }
    const expected = DEMO_PRICE_EXPECTATIONS.filter((x) => x.org === DEALER && !x.quantity);
    expect([...checked].sort()).toEqual(expected.map((x) => `${x.channel} ${x.sku}`).sort());
    // every entry's price is the one resolvePrices answers for the same listing
    const direct = await sg.gql(
      op('ResolvePrices'),
      {
        inputs: entries.map(
          ({ node, channelId }): ResolvePriceInput => ({
            skuId: node.sku.id,
            orgId: KOELN,
            channelId,
          }),
        ),
      },
      { token: await as(KOELN, '') },
    );
    entries.forEach(({ node }, i) => {
      expect(node.price?.scope).toBe(direct.data.resolvePrices[i]?.scope);
      expect(node.price?.rule).toEqual(direct.data.resolvePrices[i]?.rule);
    });
  });

  it('applies the quantity: tier prices from 10', async () => {
    const res = await sg.gql(
      op('OrgCatalogWithPrices'),
      { orgId: KOELN, first: 100, quantity: 10 },
      { token: await as(KOELN, '') },
    );
    expect(res.errors).toBeUndefined();
    const dach = res.data.organization?.channels?.find((c) => c.code === 'ACME-DACH');
    const split = dach?.catalog?.entries.edges.find((e) => e.node.sku.code === 'ACM-02-3.5KW');
    expect(split?.node.price).toMatchObject({
      price: { amount: '1190.00' },
      rule: { id: demoPriceRuleId('acme-list-eur', 'ACM-02-3.5KW', 10) },
    });
  });

  it('costs the same SQL statements in pricing for a page of 100 as for a page of 2', async () => {
    const cost = async (first: number) => {
      const before = await sg.statements('pricing');
      const res = await sg.gql(op('OrgCatalogWithPrices'), { orgId: KOELN, first });
      expect(res.errors).toBeUndefined();
      return (await sg.statements('pricing')) - before;
    };
    const two = await cost(2);
    expect(await cost(100)).toBe(two);
    expect(two).toBeLessThanOrEqual(2);
  });

  it('answers FORBIDDEN on the prices when another dealer asks for them', async () => {
    const res = await sg.gql(
      op('OrgCatalogWithPrices'),
      { orgId: KOELN, first: 3 },
      { token: await as(WIEN, '') },
    );
    const prices = entryNodes(res.data).map((n) => n.price);
    expect(prices.length).toBeGreaterThan(0);
    expect(prices.every((p: unknown) => p === null)).toBe(true);
    expect(new Set(codes(res))).toEqual(new Set(['FORBIDDEN']));
  });

  it('refuses each entry’s price on its own for a bad argument, the entries still answered', async () => {
    const res = await sg.gql(
      op('OrgCatalogWithPrices'),
      { orgId: KOELN, first: 3, quantity: 0 },
      { token: await as(KOELN, '') },
    );
    const nodes = entryNodes(res.data);
    expect(nodes.length).toBeGreaterThan(3);
    expect(nodes.every((n) => n.price === null && typeof n.sku.code === 'string')).toBe(true);
    // one error per entry, at that entry's price, naming the argument
    expect(res.errors).toHaveLength(nodes.length);
    for (const error of res.errors!) {
      expect(error.path?.at(-1)).toBe('price');
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'quantity' });
    }
  });
});
