// Price resolution through the pricing subgraph's own schema, on an in-memory PGlite: batching
// (SQL statements per request), visibility of resolved prices, and CatalogEntry references.
import { randomUUID } from 'node:crypto';
import { type Caller, createLogger, Flags, Metrics, type RequestContext } from '@trellis/kit';
import { executeAsCaller } from '@trellis/kit/testing';
import { type Database, migrateSlice, openDatabase, runAsSystem } from '@trellis/prisma';
import type { ExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPricing } from '../index.js';
import { createPrisma, type PricingPrisma } from '../prisma.js';

const id = () => randomUUID();
const BUYER = id();
const OTHER = id();
const OWNER = id();
const CHANNEL = id(); // owned by OWNER, EUR
const SKUS = Array.from({ length: 1000 }, () => id());

let db: Database;
let prisma: PricingPrisma;
let statements = 0;
const metrics = new Metrics({ defaultMetrics: false });
const ids = {} as Record<
  'global' | 'org' | 'channel' | 'orgChannel',
  { book: string; rule: string }
>;

const caller = (orgId: string | null, ...scopes: string[]): Caller => ({
  subject: 'test',
  orgId,
  scopes: new Set(scopes),
});
const CALLERS = {
  buyer: caller(BUYER),
  owner: caller(OWNER),
  other: caller(OTHER, 'pricing:write'),
  noOrg: caller(null),
  admin: caller(null, 'admin'),
};

function subgraph(
  flags = Flags.fromSettings({ ENABLE_PRICE_RESOLUTION: true, ENABLE_PRICE_BOOKS: true }),
) {
  const logger = createLogger('pricing-test', 'silent');
  const service = createPricing({ db, flags, metrics, logger });
  return async <T = Record<string, unknown>>(
    who: Caller,
    source: string,
    variableValues?: Record<string, unknown>,
  ) => {
    const base: RequestContext = { caller: who, requestId: id(), logger, flags, metrics };
    const before = statements;
    const result = (await executeAsCaller(
      service.schema,
      service.context(base),
      source,
      variableValues,
    )) as ExecutionResult<T>;
    return { ...result, statements: statements - before };
  };
}
let run: ReturnType<typeof subgraph>;

const FROM = new Date('2026-01-01T00:00:00Z');
const AT = '2026-06-15T12:00:00.000Z';

async function book(scope: 'GLOBAL' | 'ORG' | 'CHANNEL' | 'ORG_CHANNEL', amount: string) {
  // seeded as the system (row-level security lets administrators write every book)
  return runAsSystem('test-seed', async () => {
    const b = await prisma.priceBook.create({
      data: {
        name: `${scope} book`,
        currency: 'EUR',
        scope,
        orgId: scope === 'ORG' || scope === 'ORG_CHANNEL' ? BUYER : null,
        channelId: scope === 'CHANNEL' || scope === 'ORG_CHANNEL' ? CHANNEL : null,
        validFrom: FROM,
      },
    });
    // every SKU gets a rule in the GLOBAL book; the others price the first SKU only
    const skus = scope === 'GLOBAL' ? SKUS : SKUS.slice(0, 1);
    await prisma.priceRule.createMany({
      data: skus.map((skuId) => ({ priceBookId: b.id, skuId, kind: 'FIXED' as const, amount })),
    });
    const rule = await prisma.priceRule.findFirstOrThrow({
      where: { priceBookId: b.id, skuId: SKUS[0]! },
    });
    return { book: b.id, rule: rule.id };
  });
}

beforeAll(async () => {
  db = await openDatabase({ kind: 'pglite' });
  await migrateSlice(db, 'org-graph');
  await migrateSlice(db, 'pricing');
  for (const org of [BUYER, OTHER, OWNER]) {
    await db.query(
      `INSERT INTO org_graph.organization (id, name, type, updated_at) VALUES ($1, $2, 'DEALER', now())`,
      [org, `org ${org}`],
    );
  }
  await db.query(
    `INSERT INTO org_graph.channel (id, owner_org_id, code, name, currency, updated_at) VALUES ($1, $2, 'CH', 'Channel', 'EUR', now())`,
    [CHANNEL, OWNER],
  );
  // the buyer is an ACTIVE member of the owner's channel; OTHER is not
  await db.query(
    `INSERT INTO org_graph.channel_member (channel_id, org_id, status) VALUES ($1, $2, 'ACTIVE')`,
    [CHANNEL, BUYER],
  );
  prisma = createPrisma(db);
  db.onStatement((slice) => {
    if (slice === 'pricing') statements++;
  });
  ids.global = await book('GLOBAL', '100.00');
  ids.org = await book('ORG', '95.00');
  ids.channel = await book('CHANNEL', '90.00');
  ids.orgChannel = await book('ORG_CHANNEL', '85.00');
  run = subgraph();
}, 120_000);

afterAll(async () => {
  await db?.close();
});

const RESOLVE = `query ($input: ResolvePriceInput!) {
  resolvePrice(input: $input) {
    reason price { amount currency } originalPrice { amount currency } scope
    priceBook { id } rule { id } taxIncluded taxCategory
    explanation { rule { id } priceBook { id } scope kind outcome reason amount }
    sku { id } org { id } channel { id } at quantity currency
  }
}`;
const RESOLVE_MANY = `query ($inputs: [ResolvePriceInput!]!) {
  resolvePrices(inputs: $inputs) { reason price { amount currency } scope rule { id } }
}`;
const ENTITIES = `query ($r: [_Any!]!, $orgId: ID!, $quantity: Int) {
  _entities(representations: $r) {
    ... on CatalogEntry { id channelId skuId price(orgId: $orgId, at: "${AT}", quantity: $quantity) { reason price { amount } scope rule { id } } }
  }
}`;

const input = (over: Record<string, unknown> = {}) => ({
  skuId: SKUS[0],
  orgId: BUYER,
  channelId: CHANNEL,
  at: AT,
  ...over,
});

describe('resolvePrice', () => {
  it('answers the most specific scope, its book and rule, the original price and the request', async () => {
    const res = await run<any>(CALLERS.buyer, RESOLVE, { input: input() });
    expect(res.errors).toBeUndefined();
    expect(res.data!.resolvePrice).toMatchObject({
      reason: 'RESOLVED',
      price: { amount: '85.00', currency: 'EUR' },
      originalPrice: { amount: '90.00', currency: 'EUR' },
      scope: 'ORG_CHANNEL',
      priceBook: { id: ids.orgChannel.book },
      rule: { id: ids.orgChannel.rule },
      taxIncluded: false,
      taxCategory: null,
      sku: { id: SKUS[0] },
      org: { id: BUYER },
      channel: { id: CHANNEL },
      at: AT,
      quantity: 1,
      currency: 'EUR',
    });
    expect(
      res.data!.resolvePrice.explanation.map((e: any) => [e.rule.id, e.outcome, e.amount]),
    ).toEqual([
      [ids.orgChannel.rule, 'WON', '85.00'],
      [ids.channel.rule, 'SUPERSEDED', '90.00'],
      [ids.org.rule, 'SUPERSEDED', '95.00'],
      [ids.global.rule, 'SUPERSEDED', '100.00'],
    ]);
    // two statements: the channel (currency, owner), the candidates with their books
    expect(res.statements).toBe(2);
  });

  it('shows the channel owner a member’s price, summarising the member’s ORG book', async () => {
    const res = await run<any>(CALLERS.owner, RESOLVE, { input: input() });
    expect(res.errors).toBeUndefined();
    const lines = res.data!.resolvePrice.explanation;
    expect(res.data!.resolvePrice.price.amount).toBe('85.00');
    expect(res.data!.resolvePrice.rule).toEqual({ id: ids.orgChannel.rule }); // its channel's book
    const org = lines.find((l: any) => l.scope === 'ORG');
    expect(org).toMatchObject({
      rule: null,
      priceBook: null,
      outcome: 'SUPERSEDED',
      reason: 'a negotiated price of the buyer',
      amount: null,
    });
    expect(JSON.stringify(lines)).not.toContain(ids.org.rule);
    expect(JSON.stringify(lines)).not.toContain(ids.org.book);
    expect(JSON.stringify(lines)).not.toContain('95.00');
  });

  it('refuses the channel owner the price of an organization that is no member (FORBIDDEN)', async () => {
    const res = await run(CALLERS.owner, RESOLVE, { input: input({ orgId: OTHER }) });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(res.data).toBeNull();
    expect(res.statements).toBe(1); // the channel only: nothing read on its behalf
  });

  it.each([
    ['another organization', CALLERS.other],
    ['a caller without an organization', CALLERS.noOrg],
  ])('refuses %s (FORBIDDEN) and reads nothing', async (_, who) => {
    const res = await run(who, RESOLVE, { input: input() });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(res.data).toBeNull();
    expect(res.statements).toBe(1); // the channel's owner only
  });

  it('lets administrators see everything', async () => {
    const res = await run<any>(CALLERS.admin, RESOLVE, { input: input() });
    expect(res.data!.resolvePrice.explanation.every((l: any) => l.rule !== null)).toBe(true);
  });

  it('validates its input, naming the field', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ skuId: 'abc' }, 'BAD_USER_INPUT', 'input.skuId'],
      [{ quantity: 0 }, 'BAD_USER_INPUT', 'input.quantity'],
      [{ currency: 'EURO' }, 'BAD_USER_INPUT', 'input.currency'],
      [{ channelId: id() }, 'NOT_FOUND', 'input.channelId'],
    ];
    for (const [over, code, field] of cases) {
      const res = await run(CALLERS.admin, RESOLVE, { input: input(over) });
      expect(res.errors?.[0]?.extensions, JSON.stringify(over)).toMatchObject({ code, field });
    }
  });

  it('is FEATURE_DISABLED with ENABLE_PRICE_RESOLUTION off, and reads nothing', async () => {
    const off = subgraph(Flags.fromSettings({ ENABLE_PRICE_BOOKS: true }));
    const res = await off(CALLERS.admin, RESOLVE, { input: input() });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'FEATURE_DISABLED' });
    expect(res.statements).toBe(0);
  });

  it('counts resolutions by scope and reason', async () => {
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/price_resolutions_total\{scope="ORG_CHANNEL",reason="RESOLVED"\} \d+/);
  });
});

describe('resolvePrices', () => {
  it('answers one resolution per input, in order', async () => {
    const inputs = [
      input({ skuId: SKUS[1] }),
      input(),
      input({ skuId: id() }),
      input({ skuId: SKUS[0], quantity: 3, currency: 'USD' }),
    ];
    const res = await run<any>(CALLERS.buyer, RESOLVE_MANY, { inputs });
    expect(res.errors).toBeUndefined();
    expect(res.data!.resolvePrices.map((r: any) => [r.reason, r.scope, r.price?.amount])).toEqual([
      ['RESOLVED', 'GLOBAL', '100.00'],
      ['RESOLVED', 'ORG_CHANNEL', '85.00'],
      ['NO_PRICE', null, undefined],
      ['NO_PRICE', null, undefined],
    ]);
  });

  it('costs the same SQL statements for 1000 inputs as for 10', async () => {
    const cost = async (n: number) => {
      const res = await run<any>(CALLERS.buyer, RESOLVE_MANY, {
        inputs: SKUS.slice(0, n).map((skuId) => input({ skuId })),
      });
      expect(res.errors).toBeUndefined();
      expect(res.data!.resolvePrices).toHaveLength(n);
      expect(res.data!.resolvePrices[n - 1].price.amount).toBe('100.00');
      return res.statements;
    };
    const ten = await cost(10);
    expect(await cost(1000)).toBe(ten);
    expect(ten).toBe(2);
  });

  it('refuses more than 1000 inputs', async () => {
    const res = await run(CALLERS.buyer, RESOLVE_MANY, {
      inputs: Array.from({ length: 1001 }, () => input()),
    });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'inputs' });
  });

  it('refuses the whole batch when one input is another organization’s', async () => {
    const res = await run(CALLERS.other, RESOLVE_MANY, {
      inputs: [input({ orgId: OTHER }), input()],
    });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(res.data).toBeNull();
  });

  it('names the input at fault', async () => {
    const res = await run(CALLERS.buyer, RESOLVE_MANY, {
      inputs: [input(), input({ quantity: -1 })],
    });
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'inputs.1.quantity',
    });
  });
});

describe('CatalogEntry.price (the flagship, as the gateway asks for it)', () => {
  const reps = (n: number) =>
    SKUS.slice(0, n).map((skuId, i) => ({
      __typename: 'CatalogEntry',
      id: `entry-${i}`,
      channelId: CHANNEL,
      skuId,
    }));

  it('prices a page of 100 entries from their keys, at the cost of a page of 5', async () => {
    const cost = async (n: number) => {
      const res = await run<any>(CALLERS.buyer, ENTITIES, { r: reps(n), orgId: BUYER });
      expect(res.errors).toBeUndefined();
      expect(res.data!._entities).toHaveLength(n);
      return { statements: res.statements, entities: res.data!._entities };
    };
    const five = await cost(5);
    const hundred = await cost(100);
    expect(hundred.statements).toBe(five.statements);
    expect(five.statements).toBe(2);
    expect(hundred.entities[0]).toEqual({
      id: 'entry-0',
      channelId: CHANNEL,
      skuId: SKUS[0],
      price: {
        reason: 'RESOLVED',
        price: { amount: '85.00' },
        scope: 'ORG_CHANNEL',
        rule: { id: ids.orgChannel.rule },
      },
    });
    expect(hundred.entities[99].price).toMatchObject({
      scope: 'GLOBAL',
      price: { amount: '100.00' },
    });
  });

  it('answers FORBIDDEN on each price another organization asks for', async () => {
    const res = await run<any>(CALLERS.other, ENTITIES, { r: reps(3), orgId: BUYER });
    expect(res.errors).toHaveLength(3);
    expect(res.errors!.every((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);
    expect(res.data!._entities.map((e: any) => e.price)).toEqual([null, null, null]);
    // but its own prices are its own
    const own = await run<any>(CALLERS.other, ENTITIES, { r: reps(1), orgId: OTHER });
    expect(own.data!._entities[0].price).toMatchObject({
      scope: 'CHANNEL',
      price: { amount: '90.00' },
    });
  });

  it('applies the quantity to every entry', async () => {
    const res = await run<any>(CALLERS.buyer, ENTITIES, { r: reps(2), orgId: BUYER, quantity: 0 });
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'quantity',
    });
  });
});
