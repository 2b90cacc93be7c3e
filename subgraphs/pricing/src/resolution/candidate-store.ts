import { col, columns, ManyLoader } from '@trellis/kit';
import { currentTenancy, withTenancy } from '@trellis/prisma';
import { Prisma } from '@trellis/prisma/pricing/generated/client.ts';
import type { PriceBookRow, PriceRuleRow } from '../price-books/price-book-store.js';
import type { PricingPrisma } from '../prisma.js';
import {
  bookAddresses,
  type CandidateBook,
  type CandidateRule,
  type PriceDecision,
  type PriceRequest,
  resolvePrice,
} from './resolve.js';
import type { AuthorizedCandidateKey, AuthorizedPriceRequest } from './rules.js';

/** A candidate with the rows it came from (for the answer's `priceBook` and `rule`). */
export interface LoadedCandidate extends CandidateRule {
  /** the rule's row as Prisma reads it, made when first asked for (most are never read) */
  row(): PriceRuleRow;
  book: CandidateBook & { row: PriceBookRow };
}

/** A rule as the candidates statement answers it: one JSON array per rule. */
const RULE = columns({
  id: col.uuid('r.id'),
  priceBookId: col.uuid('r.price_book_id'),
  skuId: col.uuid('r.sku_id'),
  kind: col.text<PriceRuleRow['kind']>('r.kind'),
  amount: col.nullable(col.decimal('r.amount')),
  percent: col.nullable(col.decimal('r.percent')),
  minQuantity: col.int('r.min_quantity'),
  validFrom: col.nullable(col.timestamptz('r.valid_from')),
  validTo: col.nullable(col.timestamptz('r.valid_to')),
  priority: col.int('r.priority'),
  taxCategory: col.nullable(col.text('r.tax_category')),
  createdAt: col.timestamptz('r.created_at'),
});
type DecodedRule = ReturnType<typeof RULE.decode>;

/** A book as the candidates statement answers it. */
const BOOK = columns({
  id: col.uuid('b.id'),
  name: col.text('b.name'),
  currency: col.char('b.currency'),
  scope: col.text<PriceBookRow['scope']>('b.scope'),
  orgId: col.nullable(col.uuid('b.org_id')),
  channelId: col.nullable(col.uuid('b.channel_id')),
  validFrom: col.timestamptz('b.valid_from'),
  validTo: col.nullable(col.timestamptz('b.valid_to')),
  priority: col.int('b.priority'),
  status: col.text<PriceBookRow['status']>('b.status'),
  taxIncluded: col.bool('b.tax_included'),
  createdAt: col.timestamptz('b.created_at'),
  updatedAt: col.timestamptz('b.updated_at'),
});

/**
 * Every rule that addresses any of the requested (SKU, organization, channel) triples, and
 * their books: GLOBAL books, the organizations' ORG books, the channels' CHANNEL books and the
 * ORG_CHANNEL books of the requested (organization, channel) pairs. One statement for any
 * number of triples (the `price_rule (sku_id, price_book_id)` index, then books by key).
 * Status, currency, windows and quantities are judged by the resolver, which explains them.
 * The answer is one JSON document: a few hundred rules decode several times faster that way
 * than as rows of two dozen columns (see test/bench/pricing.bench.ts).
 */
const CANDIDATES_SQL = `
WITH c AS (
  SELECT ${RULE.jsonArray} AS rule, r.price_book_id
  FROM "pricing"."price_rule" r
  JOIN "pricing"."price_book" b ON b.id = r.price_book_id
  WHERE r.sku_id = ANY($1::uuid[])
    AND (b.scope = 'GLOBAL'
      OR (b.scope = 'ORG' AND b.org_id = ANY($2::uuid[]))
      OR (b.scope = 'CHANNEL' AND b.channel_id = ANY($3::uuid[]))
      OR (b.scope = 'ORG_CHANNEL' AND (b.org_id, b.channel_id) IN (
            SELECT p.org_id, p.channel_id FROM unnest($4::uuid[], $5::uuid[]) AS p(org_id, channel_id))))
)
SELECT json_build_object(
  'rules', (SELECT coalesce(json_agg(rule), '[]') FROM c),
  'books', (SELECT coalesce(json_agg(${BOOK.jsonArray}), '[]')
            FROM "pricing"."price_book" b WHERE b.id IN (SELECT price_book_id FROM c))
)::text AS doc`;

/** A book as the resolver judges it, with its row (the decoded columns are the row's). */
const toBook = (row: PriceBookRow): LoadedCandidate['book'] => ({ ...row, row });

/** The row Prisma would read for a candidate's rule: its decimals as Prisma's `Decimal`. */
const ruleRow = ({
  book: _book,
  row: _row,
  ...rule
}: DecodedRule & Pick<LoadedCandidate, 'book' | 'row'>): PriceRuleRow => ({
  ...rule,
  amount: rule.amount === null ? null : new Prisma.Decimal(rule.amount),
  percent: rule.percent === null ? null : new Prisma.Decimal(rule.percent),
});

/**
 * A rule as the resolver judges it (decimal strings), with its book and its row, made when
 * first asked for: the decoded object itself (a page's few hundred rules are not copied).
 */
function toCandidate(rule: DecodedRule, book: LoadedCandidate['book']): LoadedCandidate {
  let row: PriceRuleRow | undefined;
  const candidate = Object.assign(rule, {
    book,
    row: () => {
      row ??= ruleRow(candidate);
      return row;
    },
  });
  return candidate;
}

/** Loads the candidates of many requests in one statement, grouped by SKU. */
export async function loadCandidates(
  prisma: PricingPrisma,
  requests: readonly Pick<PriceRequest, 'skuId' | 'orgId' | 'channelId'>[],
): Promise<Map<string, LoadedCandidate[]>> {
  const bySku = new Map<string, LoadedCandidate[]>();
  if (requests.length === 0) return bySku;
  const unique = <T>(xs: T[]) => [...new Set(xs)];
  const pairs = unique(requests.map((r) => `${r.orgId} ${r.channelId}`)).map((p) => p.split(' '));
  const [answer] = await prisma.$read<{ doc: string }>(
    CANDIDATES_SQL,
    unique(requests.map((r) => r.skuId)),
    unique(requests.map((r) => r.orgId)),
    unique(requests.map((r) => r.channelId)),
    pairs.map((p) => p[0]),
    pairs.map((p) => p[1]),
  );
  const doc = JSON.parse(answer!.doc) as { rules: unknown[][]; books: unknown[][] };
  const books = new Map(doc.books.map((t) => toBook(BOOK.decode(t))).map((b) => [b.id, b]));
  for (const t of doc.rules) {
    const rule = RULE.decode(t);
    const candidate = toCandidate(rule, books.get(rule.priceBookId)!);
    const list = bySku.get(candidate.skuId);
    if (list) list.push(candidate);
    else bySku.set(candidate.skuId, [candidate]);
  }
  return bySku;
}

export const requestKey = (r: PriceRequest) =>
  `${r.skuId}|${r.orgId}|${r.channelId}|${r.at.getTime()}|${r.currency}|${r.quantity}`;

export interface DecisionLoaderOptions {
  /** every batch of decisions, for logs and metrics */
  observe(decisions: readonly PriceDecision[]): void;
}

/**
 * Runs `read` on behalf of the organizations the prices are resolved for: row-level security
 * shows an organization's ORG books to itself only, and the owner of a channel it is an ACTIVE
 * member of may see what it pays there (`canSeeResolution`), which such a book decides. Only
 * the price books' read policy honours it (`app.on_behalf_of`), and only authorized keys
 * reach it.
 */
function onBehalfOf<T>(
  keys: readonly AuthorizedCandidateKey[],
  read: () => Promise<T>,
): Promise<T> {
  const tenancy = currentTenancy();
  const others = [...new Set(keys.map((r) => r.orgId))].filter((id) => id !== tenancy?.orgId);
  if (!tenancy || tenancy.admin || others.length === 0) return read();
  return withTenancy({ ...tenancy, onBehalfOf: others }, read);
}

/**
 * The candidate rules of (SKU, organization, channel) triples, in batches: every triple of one
 * tick costs one SQL statement, whatever their number. It takes only triples the caller may
 * see (`AuthorizedCandidateKey`). Each answer holds every candidate of the SKU; the decision
 * keeps those whose book addresses its request. `prime` sees each candidate once, so the
 * answer's `priceBook` and `rule` need no other statement.
 */
export function candidatesLoader(
  prisma: PricingPrisma,
  prime: (candidate: LoadedCandidate) => void,
) {
  return new ManyLoader<AuthorizedCandidateKey, LoadedCandidate[]>(
    async (keys) => {
      const bySku = await onBehalfOf(keys, () => loadCandidates(prisma, keys));
      for (const list of bySku.values()) for (const c of list) prime(c);
      return keys.map((k) => bySku.get(k.skuId) ?? []);
    },
    (k) => `${k.skuId}|${k.orgId}|${k.channelId}`,
    5000,
  );
}

/**
 * Resolves prices in batches of one tick (a `resolvePrices` call, a page of catalog entries),
 * their candidates through `candidates` (read already when the caller asked for them ahead).
 * It takes only requests `authorizeResolution` allowed.
 */
export function decisionLoader(
  candidates: ReturnType<typeof candidatesLoader>,
  options: DecisionLoaderOptions,
) {
  return new ManyLoader<AuthorizedPriceRequest, PriceDecision>(
    async (requests) => {
      const lists = await candidates.loadMany(requests);
      const decisions = requests.map((request, i) => {
        const list = lists[i]!;
        if (list instanceof Error) return list;
        return resolvePrice(
          list.filter((c) => bookAddresses(c.book, request)),
          request,
        );
      });
      options.observe(decisions.filter((d): d is PriceDecision => !(d instanceof Error)));
      return decisions;
    },
    requestKey,
    5000,
  );
}
