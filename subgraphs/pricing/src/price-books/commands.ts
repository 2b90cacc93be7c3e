import { badInput, notFound, type Reference, requireReferences } from '@trellis/kit';
import { z } from 'zod';
import { defineCommand } from '../command.js';
import { requireBookWriter, visibleBookById } from './access.js';
import { overlappingRule } from './errors.js';
import { findOverlappingRule, lockPriceBook, type PriceBookRow } from './price-book-store.js';
import {
  createPriceBookInput,
  createPriceRuleInput,
  updatedWindow,
  updatePriceBookInput,
} from './rules.js';

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

/** What a book's events say of it: everything but its bookkeeping times. */
const bookPayload = ({ createdAt: _created, updatedAt: _updated, ...book }: PriceBookRow) => book;

/** The columns an input writes: all it holds but its idempotency key. */
const written = <T extends { idempotencyKey?: unknown }>({ idempotencyKey: _key, ...row }: T) =>
  row;

export const createPriceBook = defineCommand({
  name: 'createPriceBook',
  // a book starts at the request's instant unless it says otherwise
  args: (ctx) => z.object({ input: createPriceBookInput(ctx.now) }),
  async authorize(ctx, { input }) {
    const [org, channel] = await Promise.all([
      input.orgId ? ctx.loaders.organizationView.load(input.orgId) : null,
      input.channelId ? ctx.loaders.channelView.load(input.channelId) : null,
    ]);
    if (input.orgId && !org) throw notFound('organization', input.orgId, 'input.orgId');
    if (input.channelId && !channel) throw notFound('channel', input.channelId, 'input.channelId');
    return requireBookWriter(ctx, input);
  },
  async run(tx, { input }, channelOwnerOrgId) {
    // checked before for the answer; again here, where the write depends on it
    await requireReferences(tx, bookReferences(input));
    const book = await tx.priceBook.create({ data: written(input) });
    return {
      result: book,
      audit: {
        action: 'price_book.create',
        objectType: 'PriceBook',
        objectId: book.id,
        after: book,
      },
      events: [
        {
          type: 'price_book.created',
          aggregateType: 'PriceBook',
          aggregateId: book.id,
          orgId: eventOrg(book, channelOwnerOrgId),
          payload: bookPayload(book),
        },
      ],
    };
  },
});

export const updatePriceBook = defineCommand({
  name: 'updatePriceBook',
  // an id that is no book's is NOT_FOUND, like any other
  args: z.object({ id: z.string(), input: updatePriceBookInput }),
  async authorize(ctx, { id }) {
    const existing = await visibleBookById(ctx, id);
    if (!existing) throw notFound('price book', id, 'id');
    const channelOwnerOrgId = await requireBookWriter(ctx, existing);
    // the book is about to change: the rest of the request reads it again
    ctx.loaders.priceBook.clear(id);
    return channelOwnerOrgId;
  },
  async run(tx, { id, input: change }, channelOwnerOrgId) {
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
    return {
      result: after,
      audit: { action: 'price_book.update', objectType: 'PriceBook', objectId: id, before, after },
      events: [
        {
          type: 'price_book.updated',
          aggregateType: 'PriceBook',
          aggregateId: id,
          orgId: eventOrg(after, channelOwnerOrgId),
          payload: bookPayload(after),
        },
      ],
    };
  },
});

export const createPriceRule = defineCommand({
  name: 'createPriceRule',
  args: z.object({ input: createPriceRuleInput }),
  async authorize(ctx, { input }) {
    const book = await visibleBookById(ctx, input.priceBookId);
    if (!book) throw notFound('price book', input.priceBookId, 'input.priceBookId');
    return { book, channelOwnerOrgId: await requireBookWriter(ctx, book) };
  },
  async run(tx, { input }, { book, channelOwnerOrgId }) {
    await requireReferences(tx, [
      { view: 'catalog.sku_v1', id: input.skuId, what: 'SKU', field: 'input.skuId' },
    ]);
    // rules of one book are written one at a time, so the overlap check cannot race
    await lockPriceBook(tx, book.id);
    const data = { ...written(input), priceBookId: book.id };
    const other = await findOverlappingRule(tx, data);
    if (other) throw overlappingRule(other, data);
    const rule = await tx.priceRule.create({ data });
    const { createdAt: _created, ...payload } = rule;
    return {
      result: rule,
      audit: {
        action: 'price_rule.create',
        objectType: 'PriceRule',
        objectId: rule.id,
        after: rule,
      },
      events: [
        {
          type: 'price_rule.created',
          aggregateType: 'PriceRule',
          aggregateId: rule.id,
          orgId: eventOrg(book, channelOwnerOrgId),
          payload,
        },
      ],
    };
  },
});
