import { currentTenancy, withTenancy } from '@trellis/prisma';
import { Prisma } from '@trellis/prisma/pricing/generated/client.ts';
import DataLoader from 'dataloader';
import type { PriceBookRow, PriceRuleRow } from '../price-books/data.js';
import type { PricingPrisma } from '../prisma.js';
import {
  bookAddresses,
  type CandidateBook,
  type CandidateRule,
  type PriceDecision,
  type PriceRequest,
  resolvePrice,
} from './resolve.js';
import type { AuthorizedPriceRequest } from './rules.js';

/** A candidate with the rows it came from (for the answer's `priceBook` and `rule`). */
export interface LoadedCandidate extends CandidateRule {
  row: PriceRuleRow;
  book: CandidateBook & { row: PriceBookRow };
}

/** A rule as the candidates statement answers it (JSON array, in this column order). */
type RuleTuple = [
  id: string,
  skuId: string,
  kind: PriceRuleRow['kind'],
  amount: string | null,
  percent: string | null,
  minQuantity: number,
  validFrom: string | null,
  validTo: string | null,
  priority: number,
  taxCategory: string | null,
  createdAt: string,
  priceBookId: string,
];
/** A book as the candidates statement answers it. */
type BookTuple = [
  id: string,
  name: string,
  currency: string,
  scope: PriceBookRow['scope'],
  orgId: string | null,
  channelId: string | null,
  validFrom: string,
  validTo: string | null,
  priority: number,
  status: PriceBookRow['status'],
  taxIncluded: boolean,
  createdAt: string,
  updatedAt: string,
];

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
  SELECT r.id, r.sku_id, r.kind, r.amount, r.percent, r.min_quantity, r.valid_from, r.valid_to,
         r.priority, r.tax_category, r.created_at, r.price_book_id
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
  'rules', (SELECT coalesce(json_agg(json_build_array(id, sku_id, kind, amount::text,
              percent::text, min_quantity, valid_from, valid_to, priority, tax_category,
              created_at, price_book_id)), '[]') FROM c),
  'books', (SELECT coalesce(json_agg(json_build_array(b.id, b.name, b.currency, b.scope,
              b.org_id, b.channel_id, b.valid_from, b.valid_to, b.priority, b.status,
              b.tax_included, b.created_at, b.updated_at)), '[]')
            FROM "pricing"."price_book" b WHERE b.id IN (SELECT price_book_id FROM c))
)::text AS doc`;

const date = (v: string | null): Date | null => (v === null ? null : new Date(v));

function toBook(t: BookTuple): LoadedCandidate['book'] {
  const row: PriceBookRow = {
    id: t[0],
    name: t[1],
    currency: t[2].trim(),
    scope: t[3],
    orgId: t[4],
    channelId: t[5],
    validFrom: new Date(t[6]),
    validTo: date(t[7]),
    priority: t[8],
    status: t[9],
    taxIncluded: t[10],
    createdAt: new Date(t[11]),
    updatedAt: new Date(t[12]),
  };
  return {
    id: row.id,
    scope: row.scope,
    currency: row.currency,
    orgId: row.orgId,
    channelId: row.channelId,
    validFrom: row.validFrom,
    validTo: row.validTo,
    priority: row.priority,
    status: row.status,
    taxIncluded: row.taxIncluded,
    row,
  };
}

function toCandidate(t: RuleTuple, book: LoadedCandidate['book']): LoadedCandidate {
  const row: PriceRuleRow = {
    id: t[0],
    priceBookId: t[11],
    skuId: t[1],
    kind: t[2],
    amount: t[3] === null ? null : new Prisma.Decimal(t[3]),
    percent: t[4] === null ? null : new Prisma.Decimal(t[4]),
    minQuantity: t[5],
    validFrom: date(t[6]),
    validTo: date(t[7]),
    priority: t[8],
    taxCategory: t[9],
    createdAt: new Date(t[10]),
  };
  return {
    id: row.id,
    skuId: row.skuId,
    kind: row.kind,
    amount: t[3],
    percent: t[4],
    minQuantity: row.minQuantity,
    validFrom: row.validFrom,
    validTo: row.validTo,
    priority: row.priority,
    taxCategory: row.taxCategory,
    createdAt: row.createdAt,
    book,
    row,
  };
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
  const [answer] = await prisma.$queryRawUnsafe<{ doc: string }[]>(
    CANDIDATES_SQL,
    unique(requests.map((r) => r.skuId)),
    unique(requests.map((r) => r.orgId)),
    unique(requests.map((r) => r.channelId)),
    pairs.map((p) => p[0]),
    pairs.map((p) => p[1]),
  );
  const doc = JSON.parse(answer!.doc) as { rules: RuleTuple[]; books: BookTuple[] };
  const books = new Map(doc.books.map((t) => [t[0], toBook(t)]));
  for (const t of doc.rules) {
    const candidate = toCandidate(t, books.get(t[11])!);
    const list = bySku.get(candidate.skuId);
    if (list) list.push(candidate);
    else bySku.set(candidate.skuId, [candidate]);
  }
  return bySku;
}

export const requestKey = (r: PriceRequest) =>
  `${r.skuId}|${r.orgId}|${r.channelId}|${r.at.toISOString()}|${r.currency}|${r.quantity}`;

export interface DecisionLoaderOptions {
  /** rows seen, so the answer's `priceBook` and `rule` need no other statement */
  prime(book: PriceBookRow, rule: PriceRuleRow): void;
  /** every batch of decisions, for logs and metrics */
  observe(decisions: readonly PriceDecision[]): void;
}

/**
 * Runs `read` on behalf of the organizations the prices are resolved for: row-level security
 * shows an organization's ORG books to itself only, and the owner of a channel it is an ACTIVE
 * member of may see what it pays there (`canSeeResolution`), which such a book decides. Only
 * the price books' read policy honours it (`app.on_behalf_of`), and only authorized requests
 * reach it.
 */
function onBehalfOf<T>(
  requests: readonly AuthorizedPriceRequest[],
  read: () => Promise<T>,
): Promise<T> {
  const tenancy = currentTenancy();
  const others = [...new Set(requests.map((r) => r.orgId))].filter((id) => id !== tenancy?.orgId);
  if (!tenancy || tenancy.admin || others.length === 0) return read();
  return withTenancy({ ...tenancy, onBehalfOf: others }, read);
}

/**
 * Resolves prices in batches: every request of one tick (a `resolvePrices` call, a page of
 * catalog entries) costs one SQL statement, whatever their number. It takes only requests
 * `authorizeResolution` allowed.
 */
export function decisionLoader(prisma: PricingPrisma, options: DecisionLoaderOptions) {
  return new DataLoader<AuthorizedPriceRequest, PriceDecision, string>(
    async (requests) => {
      const bySku = await onBehalfOf(requests, () => loadCandidates(prisma, requests));
      for (const list of bySku.values()) for (const c of list) options.prime(c.book.row, c.row);
      const decisions = requests.map((request) =>
        resolvePrice(
          (bySku.get(request.skuId) ?? []).filter((c) => bookAddresses(c.book, request)),
          request,
        ),
      );
      options.observe(decisions);
      return decisions;
    },
    { cacheKeyFn: requestKey, maxBatchSize: 5000 },
  );
}

/** What `PriceResolution` resolves from: the decision and who the caller is shown. */
export interface ResolutionView {
  decision: PriceDecision;
  channelOwnerOrgId: string | null;
}

/** What `PriceCandidate` resolves from. */
export interface CandidateView {
  verdict: PriceDecision['explanation'][number];
  /** whether the caller is shown the rule and its book */
  shown: boolean;
}

/** A catalog entry as pricing knows it: its key. */
export interface CatalogEntryRef {
  id: string;
  channelId: string;
  skuId: string;
}
