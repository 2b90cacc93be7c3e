import {
  badInput,
  conflict,
  emitEvent,
  forbidden,
  isAdmin,
  notFound,
  pageOf,
  parseInput,
  type Reference,
  requireReferences,
  toConnection,
  writeAudit,
  writeOnce,
} from '@trellis/kit';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { type Context, SCHEMA } from '../context.js';
import {
  findOverlappingRule,
  listPriceBooks,
  lockPriceBook,
  type PriceBookRow,
  visiblePriceBooksWhere,
} from './data.js';
import {
  bookWriteProblem,
  canSeePriceBook,
  createPriceBookInput,
  createPriceRuleInput,
  needsChannelOwner,
  priceBooksFilter,
  updatedWindow,
  updatePriceBookInput,
} from './rules.js';

/** The book if the caller may see it, else null (the channel owner is looked up only if it matters). */
async function visibleBook(ctx: Context, book: PriceBookRow | null): Promise<PriceBookRow | null> {
  if (!book) return null;
  if (canSeePriceBook(ctx.caller, book)) return book;
  if (!book.channelId || !needsChannelOwner(ctx.caller, book)) return null;
  const channel = await ctx.loaders.channelView.load(book.channelId);
  return canSeePriceBook(ctx.caller, { ...book, channelOwnerOrgId: channel?.ownerOrgId ?? null })
    ? book
    : null;
}

async function visibleBookById(ctx: Context, id: string) {
  return visibleBook(ctx, await ctx.loaders.priceBook.load(id));
}

/** The owner of a book's channel (null for books without one). */
async function channelOwnerOf(ctx: Context, channelId: string | null): Promise<string | null> {
  if (!channelId) return null;
  return (await ctx.loaders.channelView.load(channelId))?.ownerOrgId ?? null;
}

/** Refuses (FORBIDDEN) callers who may not write this book; answers its channel's owner. */
async function requireBookWriter(
  ctx: Context,
  book: Pick<PriceBookRow, 'scope' | 'channelId'>,
): Promise<string | null> {
  const channelOwnerOrgId = await channelOwnerOf(ctx, book.channelId);
  const problem = bookWriteProblem(ctx.caller, { scope: book.scope, channelOwnerOrgId });
  if (problem) throw forbidden(problem);
  return channelOwnerOrgId;
}

/** A new book's references to org-graph, as its published views answer them. */
const bookReferences = (book: { orgId: string | null; channelId: string | null }): Reference[] => [
  ...(book.orgId
    ? [
        {
          view: 'org_graph.organization_v1',
          id: book.orgId,
          what: 'organization',
          field: 'input.orgId',
        } as const,
      ]
    : []),
  ...(book.channelId
    ? [
        {
          view: 'org_graph.channel_v1',
          id: book.channelId,
          what: 'channel',
          field: 'input.channelId',
        } as const,
      ]
    : []),
];

/** The organization a book's events belong to: its buyer, else its channel's owner. */
const eventOrg = (book: Pick<PriceBookRow, 'orgId'>, channelOwnerOrgId: string | null) =>
  book.orgId ?? channelOwnerOrgId;

const bookPayload = (b: PriceBookRow) => ({
  id: b.id,
  name: b.name,
  currency: b.currency,
  scope: b.scope,
  orgId: b.orgId,
  channelId: b.channelId,
  validFrom: b.validFrom,
  validTo: b.validTo,
  priority: b.priority,
  taxIncluded: b.taxIncluded,
  status: b.status,
});

export const priceBookResolvers: Resolvers = {
  Query: {
    async priceBooks(_, args, ctx) {
      const page = pageOf(args);
      const filter = parseInput(priceBooksFilter, args, '');
      const { caller } = ctx;
      // ORG_CHANNEL books of the channels the caller's organization owns are visible to it
      const owned =
        caller.orgId && !isAdmin(caller)
          ? await ctx.loaders.channelsOwnedBy.load(caller.orgId)
          : [];
      const visible = visiblePriceBooksWhere(
        caller,
        owned.map((c) => c.id),
      );
      const { rows, total } = await listPriceBooks(ctx.prisma, page, filter, visible);
      for (const row of rows) ctx.loaders.priceBook.prime(row.id, row);
      return toConnection(rows, page, total);
    },
    priceBook: (_, { id }, ctx) => visibleBookById(ctx, id),
  },
  Mutation: {
    async createPriceBook(_, { input }, ctx) {
      const data = parseInput(createPriceBookInput(new Date()), input);
      const [org, channel] = await Promise.all([
        data.orgId ? ctx.loaders.organizationView.load(data.orgId) : null,
        data.channelId ? ctx.loaders.channelView.load(data.channelId) : null,
      ]);
      if (data.orgId && !org) throw notFound('organization', data.orgId, 'input.orgId');
      if (data.channelId && !channel) throw notFound('channel', data.channelId, 'input.channelId');
      const channelOwnerOrgId = await requireBookWriter(ctx, data);
      return writeOnce(
        ctx.prisma,
        SCHEMA,
        ctx,
        { operation: 'createPriceBook', key: data.idempotencyKey, input },
        async (tx) => {
          // checked above for the answer; again here, where the write depends on it
          await requireReferences(tx, bookReferences(data));
          const book = await tx.priceBook.create({
            data: {
              name: data.name,
              currency: data.currency,
              scope: data.scope,
              orgId: data.orgId,
              channelId: data.channelId,
              validFrom: data.validFrom,
              validTo: data.validTo,
              priority: data.priority,
              taxIncluded: data.taxIncluded,
              status: data.status,
            },
          });
          await writeAudit(tx, SCHEMA, ctx, {
            action: 'price_book.create',
            objectType: 'PriceBook',
            objectId: book.id,
            after: book,
          });
          await emitEvent(tx, ctx, {
            type: 'price_book.created',
            aggregateType: 'PriceBook',
            aggregateId: book.id,
            orgId: eventOrg(book, channelOwnerOrgId),
            payload: bookPayload(book),
          });
          return book;
        },
      );
    },
    async updatePriceBook(_, { id, input }, ctx) {
      const change = parseInput(updatePriceBookInput, input);
      const existing = await visibleBookById(ctx, id);
      if (!existing) throw notFound('price book', id, 'id');
      const channelOwnerOrgId = await requireBookWriter(ctx, existing);
      const updated = await writeOnce(
        ctx.prisma,
        SCHEMA,
        ctx,
        { operation: 'updatePriceBook', key: change.idempotencyKey, input: { id, input } },
        async (tx) => {
          await lockPriceBook(tx, id);
          const before = await tx.priceBook.findUniqueOrThrow({ where: { id } });
          const span = updatedWindow(before, change);
          if ('field' in span) throw badInput(span.field, span.message);
          const after = await tx.priceBook.update({
            where: { id },
            data: {
              ...(change.name !== undefined ? { name: change.name } : {}),
              ...(change.priority !== undefined ? { priority: change.priority } : {}),
              ...(change.taxIncluded !== undefined ? { taxIncluded: change.taxIncluded } : {}),
              ...(change.status !== undefined ? { status: change.status } : {}),
              validFrom: span.validFrom,
              validTo: span.validTo,
            },
          });
          await writeAudit(tx, SCHEMA, ctx, {
            action: 'price_book.update',
            objectType: 'PriceBook',
            objectId: id,
            before,
            after,
          });
          await emitEvent(tx, ctx, {
            type: 'price_book.updated',
            aggregateType: 'PriceBook',
            aggregateId: id,
            orgId: eventOrg(after, channelOwnerOrgId),
            payload: bookPayload(after),
          });
          return after;
        },
      );
      ctx.loaders.priceBook.clear(id);
      return updated;
    },
    async createPriceRule(_, { input }, ctx) {
      const data = parseInput(createPriceRuleInput, input);
      const book = await visibleBookById(ctx, data.priceBookId);
      if (!book) throw notFound('price book', data.priceBookId, 'input.priceBookId');
      const channelOwnerOrgId = await requireBookWriter(ctx, book);
      return writeOnce(
        ctx.prisma,
        SCHEMA,
        ctx,
        { operation: 'createPriceRule', key: data.idempotencyKey, input },
        async (tx) => {
          await requireReferences(tx, [
            { view: 'catalog.sku_v1', id: data.skuId, what: 'SKU', field: 'input.skuId' },
          ]);
          // rules of one book are written one at a time, so the overlap check cannot race
          await lockPriceBook(tx, book.id);
          const other = await findOverlappingRule(tx, { ...data, priceBookId: book.id });
          if (other) {
            throw conflict(
              `rule ${other.id} of this book already prices SKU ${data.skuId} from quantity ${data.minQuantity} in an overlapping window ${other.window}; give the new rule a window that does not overlap it, or another minimum quantity`,
              { conflictingRuleId: other.id },
            );
          }
          const rule = await tx.priceRule.create({
            data: {
              priceBookId: book.id,
              skuId: data.skuId,
              kind: data.kind,
              amount: data.amount,
              percent: data.percent,
              minQuantity: data.minQuantity,
              validFrom: data.validFrom,
              validTo: data.validTo,
              priority: data.priority,
              taxCategory: data.taxCategory,
            },
          });
          await writeAudit(tx, SCHEMA, ctx, {
            action: 'price_rule.create',
            objectType: 'PriceRule',
            objectId: rule.id,
            after: rule,
          });
          await emitEvent(tx, ctx, {
            type: 'price_rule.created',
            aggregateType: 'PriceRule',
            aggregateId: rule.id,
            orgId: eventOrg(book, channelOwnerOrgId),
            payload: {
              id: rule.id,
              priceBookId: book.id,
              skuId: rule.skuId,
              kind: rule.kind,
              amount: rule.amount,
              percent: rule.percent,
              minQuantity: rule.minQuantity,
              validFrom: rule.validFrom,
              validTo: rule.validTo,
              priority: rule.priority,
              taxCategory: rule.taxCategory,
            },
          });
          return rule;
        },
      );
    },
  },
  PriceBook: {
    __resolveReference: (ref, ctx) => visibleBookById(ctx, ref.id),
    org: (b) => (b.orgId ? { id: b.orgId } : null),
    channel: (b) => (b.channelId ? { id: b.channelId } : null),
    rules: async (b, args, ctx) => {
      const page = pageOf(args);
      const { rows, total } = await ctx.loaders.rulePage.load({ priceBookId: b.id, page });
      return toConnection(rows, page, total);
    },
  },
  PriceRule: {
    __resolveReference: async (ref, ctx) => {
      const rule = await ctx.loaders.priceRule.load(ref.id);
      return rule && (await visibleBookById(ctx, rule.priceBookId)) ? rule : null;
    },
    priceBook: (r, _, ctx) => ctx.loaders.priceBook.loadRequired(r.priceBookId),
    sku: (r) => ({ id: r.skuId }),
  },
};
