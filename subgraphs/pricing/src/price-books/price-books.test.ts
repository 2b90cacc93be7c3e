// The price-book reads against a real (in-memory PGlite) database: the SQL visibility filter must
// agree with `canSeePriceBook`, and loads are batched.
import { randomUUID } from 'node:crypto';
import { type Caller, createLogger, Flags, Metrics, type RequestContext } from '@trellis/kit';
import { executeAsCaller } from '@trellis/kit/testing';
import { type Database, migrateSlice, openDatabase, runAsSystem } from '@trellis/prisma';
import type { ExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPricing } from '../index.js';
import { createPrisma, type PricingPrisma } from '../prisma.js';
import { canSeePriceBook } from './rules.js';

const id = () => randomUUID();
const ORG_A = id();
const ORG_B = id();
const OWNER = id();
const OUTSIDER = id();
const CHANNEL = id(); // owned by OWNER
const CHANNEL_B = id(); // owned by ORG_B
const SKU = id();

let db: Database;
let prisma: PricingPrisma;
let statements = 0;
/** book id → book (with its channel's owner), as seeded */
const books = new Map<
  string,
  { scope: string; orgId: string | null; channelOwnerOrgId: string | null }
>();
const ruleIdsOf = new Map<string, string[]>();

const caller = (orgId: string | null, ...scopes: string[]): Caller => ({
  subject: 'test',
  orgId,
  scopes: new Set(scopes),
});
const CALLERS = {
  orgA: caller(ORG_A),
  orgB: caller(ORG_B, 'pricing:write'),
  channelOwner: caller(OWNER),
  outsider: caller(OUTSIDER),
  noOrg: caller(null),
  admin: caller(null, 'admin'),
};

function subgraph(flags = Flags.fromSettings({ ENABLE_PRICE_BOOKS: true })) {
  const logger = createLogger('pricing-test', 'silent');
  const metrics = new Metrics({ defaultMetrics: false });
  const service = createPricing({ db, flags, metrics, logger });
  return async <T = Record<string, unknown>>(
    who: Caller,
    source: string,
    variableValues?: Record<string, unknown>,
  ) => {
    const base: RequestContext = { caller: who, requestId: id(), logger, flags, metrics };
    return (await executeAsCaller(
      service.schema,
      service.context(base),
      source,
      variableValues,
    )) as ExecutionResult<T>;
  };
}
let run: ReturnType<typeof subgraph>;

async function book(
  scope: 'GLOBAL' | 'ORG' | 'CHANNEL' | 'ORG_CHANNEL',
  orgId: string | null,
  channelId: string | null,
  rules = 0,
) {
  // seeded as the system (row-level security lets administrators write every book)
  return runAsSystem('test-seed', async () => {
    const b = await prisma.priceBook.create({
      data: {
        name: `${scope} book`,
        currency: 'EUR',
        scope,
        orgId,
        channelId,
        validFrom: new Date('2026-01-01T00:00:00Z'),
      },
    });
    const owner = channelId === CHANNEL ? OWNER : channelId === CHANNEL_B ? ORG_B : null;
    books.set(b.id, { scope, orgId, channelOwnerOrgId: owner });
    const ids: string[] = [];
    for (let i = 0; i < rules; i++) {
      const r = await prisma.priceRule.create({
        data: {
          priceBookId: b.id,
          skuId: SKU,
          kind: 'FIXED',
          amount: `${10 + i}.50`,
          minQuantity: i + 1,
        },
      });
      ids.push(r.id);
    }
    ruleIdsOf.set(b.id, ids);
    return b.id;
  });
}

const visibleTo = (who: Caller) =>
  [...books]
    .filter(([, b]) => canSeePriceBook(who, b as Parameters<typeof canSeePriceBook>[1]))
    .map(([bookId]) => bookId)
    .sort();

const LIST = `query ($first: Int, $after: String, $scope: PriceScope, $orgId: ID, $channelId: ID) {
  priceBooks(first: $first, after: $after, scope: $scope, orgId: $orgId, channelId: $channelId) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id scope org { id } channel { id } rules(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { id amount minQuantity priceBook { id } sku { id } } } } } }
  }
}`;
interface ListData {
  priceBooks: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: {
      node: {
        id: string;
        channel: { id: string } | null;
        rules: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
          edges: {
            node: { id: string; amount: string; priceBook: { id: string }; sku: { id: string } };
          }[];
        };
      };
    }[];
  };
}

beforeAll(async () => {
  db = await openDatabase({ kind: 'pglite' });
  await migrateSlice(db, 'org-graph');
  await migrateSlice(db, 'pricing');
  for (const org of [ORG_A, ORG_B, OWNER, OUTSIDER]) {
    await db.query(
      `INSERT INTO org_graph.organization (id, name, type, updated_at) VALUES ($1, $2, 'DEALER', now())`,
      [org, `org ${org}`],
    );
  }
  await db.query(
    `INSERT INTO org_graph.channel (id, owner_org_id, code, name, currency, updated_at) VALUES ($1, $2, 'CH', 'Channel', 'EUR', now()), ($3, $4, 'CHB', 'Channel B', 'EUR', now())`,
    [CHANNEL, OWNER, CHANNEL_B, ORG_B],
  );
  prisma = createPrisma(db);
  db.onStatement((slice) => {
    if (slice === 'pricing') statements++;
  });
  await book('GLOBAL', null, null, 5);
  await book('CHANNEL', null, CHANNEL, 1);
  await book('ORG', ORG_A, null, 3);
  await book('ORG', ORG_B, null);
  await book('ORG_CHANNEL', ORG_A, CHANNEL, 2);
  await book('ORG_CHANNEL', ORG_A, CHANNEL_B);
  await book('ORG_CHANNEL', ORG_B, CHANNEL, 1);
  run = subgraph();
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe('priceBooks', () => {
  it.each(Object.entries(CALLERS))('lists exactly the books %s may see', async (_, who) => {
    const res = await run<ListData>(who, LIST, { first: 100 });
    expect(res.errors).toBeUndefined();
    const ids = res.data!.priceBooks.edges.map((e) => e.node.id);
    expect(ids).toEqual(visibleTo(who));
    expect(res.data!.priceBooks.totalCount).toBe(ids.length);
  });

  it('gives every caller something different: the matrix is not trivial', () => {
    expect(visibleTo(CALLERS.admin)).toHaveLength(books.size);
    expect(visibleTo(CALLERS.noOrg)).toHaveLength(2);
    expect(visibleTo(CALLERS.channelOwner)).toHaveLength(4); // GLOBAL, CHANNEL, 2 ORG_CHANNEL in its channel
    expect(visibleTo(CALLERS.orgA)).toHaveLength(5);
    expect(visibleTo(CALLERS.orgB)).toHaveLength(5); // own ORG, own ORG_CHANNEL, ORG_CHANNEL in its channel
  });

  it('filters by scope, organization and channel on top of visibility', async () => {
    const orgChannel = await run<ListData>(CALLERS.admin, LIST, { scope: 'ORG_CHANNEL' });
    expect(orgChannel.data!.priceBooks.totalCount).toBe(3);
    const ofA = await run<ListData>(CALLERS.admin, LIST, { orgId: ORG_A });
    expect(ofA.data!.priceBooks.totalCount).toBe(3);
    const inChannel = await run<ListData>(CALLERS.admin, LIST, { channelId: CHANNEL });
    expect(inChannel.data!.priceBooks.totalCount).toBe(3);
    // B sees A's book only in the channel B owns
    const ofAForB = await run<ListData>(CALLERS.orgB, LIST, { orgId: ORG_A });
    expect(ofAForB.data!.priceBooks.edges.map((e) => e.node.channel)).toEqual([{ id: CHANNEL_B }]);
    const ofAForOutsider = await run<ListData>(CALLERS.outsider, LIST, { orgId: ORG_A });
    expect(ofAForOutsider.data!.priceBooks.totalCount).toBe(0);
    const ofAForOwner = await run<ListData>(CALLERS.channelOwner, LIST, {
      orgId: ORG_A,
      channelId: CHANNEL,
    });
    expect(ofAForOwner.data!.priceBooks.totalCount).toBe(1);
  });

  it('pages with first/after', async () => {
    const first = await run<ListData>(CALLERS.admin, LIST, { first: 3 });
    expect(first.data!.priceBooks.pageInfo.hasNextPage).toBe(true);
    const rest = await run<ListData>(CALLERS.admin, LIST, {
      first: 100,
      after: first.data!.priceBooks.pageInfo.endCursor,
    });
    const ids = [...first.data!.priceBooks.edges, ...rest.data!.priceBooks.edges].map(
      (e) => e.node.id,
    );
    expect(ids).toEqual([...books.keys()].sort());
    expect(rest.data!.priceBooks.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses ids that are not UUIDs and pages over 100', async () => {
    const bad = await run(CALLERS.admin, LIST, { orgId: 'acme' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'orgId' });
    const big = await run(CALLERS.admin, LIST, { first: 101 });
    expect(big.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('answers each book its rules, paged, with their totals', async () => {
    const res = await run<ListData>(CALLERS.admin, LIST, { first: 100 });
    for (const { node } of res.data!.priceBooks.edges) {
      const all = ruleIdsOf.get(node.id)!;
      expect(node.rules.totalCount).toBe(all.length);
      expect(node.rules.edges.map((e) => e.node.id)).toEqual(all.slice(0, 2));
      expect(node.rules.pageInfo.hasNextPage).toBe(all.length > 2);
      for (const e of node.rules.edges) {
        expect(e.node.priceBook.id).toBe(node.id);
        expect(e.node.sku.id).toBe(SKU);
      }
    }
    const global = res.data?.priceBooks.edges.find((e) => e.node.rules.totalCount === 5)?.node;
    if (!global) throw new Error('the GLOBAL book is missing');
    expect(global.rules.edges[0]!.node.amount).toBe('10.5');
    const next = await run<{ priceBook: { rules: { edges: { node: { id: string } }[] } } }>(
      CALLERS.admin,
      'query ($id: ID!, $after: String) { priceBook(id: $id) { rules(first: 10, after: $after) { edges { node { id } } } } }',
      { id: global.id, after: global.rules.pageInfo.endCursor },
    );
    expect(next.data!.priceBook.rules.edges.map((e) => e.node.id)).toEqual(
      ruleIdsOf.get(global.id)!.slice(2),
    );
  });

  it('costs the same number of SQL statements for 2 books as for 7', async () => {
    const count = async (first: number) => {
      const before = statements;
      const res = await run(CALLERS.channelOwner, LIST, { first });
      expect(res.errors).toBeUndefined();
      return statements - before;
    };
    const few = await count(2);
    const many = await count(100);
    expect(many).toBe(few);
    expect(many).toBeLessThanOrEqual(5);
  });

  it('is FEATURE_DISABLED with ENABLE_PRICE_BOOKS off', async () => {
    const off = subgraph(Flags.fromSettings({}));
    const res = await off(CALLERS.admin, LIST);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'FEATURE_DISABLED' });
    const one = await off(CALLERS.admin, 'query ($id: ID!) { priceBook(id: $id) { id } }', {
      id: id(),
    });
    expect(one.errors?.[0]?.extensions).toMatchObject({ code: 'FEATURE_DISABLED' });
  });
});

describe('priceBook and _entities', () => {
  const ONE =
    'query ($id: ID!) { priceBook(id: $id) { id name currency scope validFrom validTo priority taxIncluded status } }';
  const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on PriceBook { id } ... on PriceRule { id kind } } }`;

  it.each(Object.entries(CALLERS))('answers null for the books %s may not see', async (_, who) => {
    const visible = new Set(visibleTo(who));
    for (const bookId of books.keys()) {
      const res = await run<{ priceBook: { id: string } | null }>(who, ONE, { id: bookId });
      expect(res.errors).toBeUndefined();
      expect(res.data!.priceBook?.id ?? null).toBe(visible.has(bookId) ? bookId : null);
    }
  });

  it('answers a book in the contract shape', async () => {
    const [bookId] = visibleTo(CALLERS.noOrg);
    const res = await run<{ priceBook: Record<string, unknown> }>(CALLERS.noOrg, ONE, {
      id: bookId,
    });
    expect(res.data!.priceBook).toMatchObject({
      id: bookId,
      currency: 'EUR',
      validFrom: '2026-01-01T00:00:00.000Z',
      validTo: null,
      priority: 0,
      taxIncluded: false,
      status: 'ACTIVE',
    });
  });

  it('answers null for an unknown id', async () => {
    const res = await run(CALLERS.admin, ONE, { id: id() });
    expect(res.data).toEqual({ priceBook: null });
  });

  it.each(
    Object.entries(CALLERS),
  )('resolves references of books and rules as %s may see them', async (_, who) => {
    const visible = new Set(visibleTo(who));
    const reps = [...books.keys()].flatMap((bookId) => [
      { __typename: 'PriceBook', id: bookId },
      ...ruleIdsOf
        .get(bookId)!
        .map((ruleId) => ({ __typename: 'PriceRule', id: ruleId, book: bookId })),
    ]);
    const before = statements;
    const res = await run<{ _entities: ({ id: string } | null)[] }>(who, ENTITIES, {
      r: reps.map(({ __typename, id }) => ({ __typename, id })),
    });
    expect(statements - before).toBeLessThanOrEqual(3);
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities.map((e) => e?.id ?? null)).toEqual(
      reps.map((r) => (visible.has('book' in r ? r.book : r.id) ? r.id : null)),
    );
  });
});
