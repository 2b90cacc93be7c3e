import {
  type Caller,
  isAdmin,
  type Page,
  pageQuery,
  type RawTx,
  rowLoader,
  uuidsOnly,
} from '@trellis/kit';
import type { PriceBook, PriceRule, Prisma } from '@trellis/prisma/pricing/generated/client.ts';
import DataLoader from 'dataloader';
import type { PricingPrisma } from '../prisma.js';
import type { PriceBooksFilter } from './rules.js';

export type PriceBookRow = PriceBook;
export type PriceRuleRow = PriceRule;

/** One page of a book's rules (`take + 1` rows, see `toConnection`) and the book's rule count. */
export interface RulePage {
  rows: PriceRuleRow[];
  total: number;
}

export interface RulePageKey {
  priceBookId: string;
  page: Page;
}

// For every requested (book, cursor, size): the rule ids of that page and the book's total,
// in one statement whatever the number of books (LATERAL + the (price_book_id, id) index).
const RULE_PAGES_SQL = `
SELECT k.ord::int AS ord, t.total, r.id::text AS id
FROM unnest($1::uuid[], $2::uuid[], $3::int[]) WITH ORDINALITY AS k(book_id, after_id, lim, ord)
CROSS JOIN LATERAL (
  SELECT count(*)::int AS total FROM "pricing"."price_rule" c WHERE c.price_book_id = k.book_id
) t
LEFT JOIN LATERAL (
  SELECT p.id FROM "pricing"."price_rule" p
  WHERE p.price_book_id = k.book_id AND (k.after_id IS NULL OR p.id > k.after_id)
  ORDER BY p.id
  LIMIT k.lim
) r ON true
ORDER BY k.ord, r.id`;

async function loadRulePages(
  prisma: PricingPrisma,
  keys: readonly RulePageKey[],
): Promise<RulePage[]> {
  const found = await prisma.$queryRawUnsafe<{ ord: number; total: number; id: string | null }[]>(
    RULE_PAGES_SQL,
    keys.map((k) => k.priceBookId),
    keys.map((k) => k.page.afterId),
    keys.map((k) => k.page.take + 1),
  );
  const ids = [...new Set(found.flatMap((f) => (f.id ? [f.id] : [])))];
  const rules = ids.length ? await prisma.priceRule.findMany({ where: { id: { in: ids } } }) : [];
  const byId = new Map(rules.map((r) => [r.id, r]));
  const pages: RulePage[] = keys.map(() => ({ rows: [], total: 0 }));
  for (const f of found) {
    const page = pages[f.ord - 1]!;
    page.total = f.total;
    const rule = f.id ? byId.get(f.id) : undefined;
    if (rule) page.rows.push(rule);
  }
  return pages;
}

export function priceBookLoaders(prisma: PricingPrisma) {
  return {
    priceBook: rowLoader<string, PriceBookRow>(
      (ids) => prisma.priceBook.findMany({ where: { id: { in: uuidsOnly(ids) } } }),
      (b) => b.id,
    ),
    priceRule: rowLoader<string, PriceRuleRow>(
      (ids) => prisma.priceRule.findMany({ where: { id: { in: uuidsOnly(ids) } } }),
      (r) => r.id,
    ),
    /** pages of several books' rules: two statements for any number of books */
    rulePage: new DataLoader<RulePageKey, RulePage, string>((keys) => loadRulePages(prisma, keys), {
      cacheKeyFn: (k) => `${k.priceBookId}:${k.page.take}:${k.page.afterId ?? ''}`,
    }),
  };
}

/**
 * The SQL form of `canSeePriceBook`: GLOBAL and CHANNEL books, the caller's organization's
 * books, and the ORG_CHANNEL books of the channels it owns (`ownedChannelIds`); all for admin.
 */
export function visiblePriceBooksWhere(
  caller: Caller,
  ownedChannelIds: readonly string[],
): Prisma.PriceBookWhereInput {
  if (isAdmin(caller)) return {};
  const open: Prisma.PriceBookWhereInput = { scope: { in: ['GLOBAL', 'CHANNEL'] } };
  if (!caller.orgId) return open;
  const ownChannels: Prisma.PriceBookWhereInput[] = ownedChannelIds.length
    ? [{ scope: 'ORG_CHANNEL', channelId: { in: [...ownedChannelIds] } }]
    : [];
  return { OR: [open, { orgId: caller.orgId }, ...ownChannels] };
}

export async function listPriceBooks(
  prisma: PricingPrisma,
  page: Page,
  filter: PriceBooksFilter,
  visible: Prisma.PriceBookWhereInput,
) {
  const where: Prisma.PriceBookWhereInput = {
    AND: [
      visible,
      {
        ...(filter.scope ? { scope: filter.scope } : {}),
        ...(filter.orgId ? { orgId: filter.orgId } : {}),
        ...(filter.channelId ? { channelId: filter.channelId } : {}),
      },
    ],
  };
  const [rows, total] = await Promise.all([
    prisma.priceBook.findMany(pageQuery(page, where)),
    prisma.priceBook.count({ where }),
  ]);
  return { rows, total };
}

/** Locks a book's row for the rest of the transaction (its rule writes go one at a time). */
export async function lockPriceBook(tx: RawTx, id: string): Promise<void> {
  await tx.$queryRawUnsafe(
    'SELECT id FROM "pricing"."price_book" WHERE id = $1::uuid FOR UPDATE',
    id,
  );
}

/**
 * A rule of the same book, SKU and minimum quantity whose window overlaps [validFrom, validTo)
 * (null ends are unbounded; windows are compared as written on the rules, so changing the
 * book's window never makes two rules tie), the smallest id first; null when there is none.
 */
export async function findOverlappingRule(
  tx: RawTx,
  rule: {
    priceBookId: string;
    skuId: string;
    minQuantity: number;
    validFrom: Date | null;
    validTo: Date | null;
  },
): Promise<{ id: string; window: string } | null> {
  const [row] = await tx.$queryRawUnsafe<
    { id: string; validFrom: Date | string | null; validTo: Date | string | null }[]
  >(
    `SELECT id::text AS id, valid_from AS "validFrom", valid_to AS "validTo"
     FROM "pricing"."price_rule"
     WHERE price_book_id = $1::uuid AND sku_id = $2::uuid AND min_quantity = $3
       AND (valid_from IS NULL OR $5::timestamptz IS NULL OR valid_from < $5::timestamptz)
       AND (valid_to IS NULL OR $4::timestamptz IS NULL OR $4::timestamptz < valid_to)
     ORDER BY id
     LIMIT 1`,
    rule.priceBookId,
    rule.skuId,
    rule.minQuantity,
    rule.validFrom,
    rule.validTo,
  );
  if (!row) return null;
  const iso = (d: Date | string | null, open: string) => (d ? new Date(d).toISOString() : open);
  return { id: row.id, window: `[${iso(row.validFrom, '-∞')}, ${iso(row.validTo, '∞')})` };
}
