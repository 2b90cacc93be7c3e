import { forbidden } from '@trellis/kit';
import type { Context } from '../context.js';
import type { PriceBookRow } from './price-book-store.js';
import { bookWriteProblem, canSeePriceBook, needsChannelOwner } from './rules.js';

// Who may see and write a book, as the request's loaders answer it (the decisions: rules.ts).

/** The book if the caller may see it, else null (the channel owner is looked up only if it matters). */
export async function visibleBook(
  ctx: Context,
  book: PriceBookRow | null,
): Promise<PriceBookRow | null> {
  if (!book) return null;
  if (canSeePriceBook(ctx.caller, book)) return book;
  if (!book.channelId || !needsChannelOwner(ctx.caller, book)) return null;
  const channel = await ctx.loaders.channelView.load(book.channelId);
  return canSeePriceBook(ctx.caller, { ...book, channelOwnerOrgId: channel?.ownerOrgId ?? null })
    ? book
    : null;
}

export async function visibleBookById(ctx: Context, id: string) {
  return visibleBook(ctx, await ctx.loaders.priceBook.load(id));
}

/** The owner of a book's channel (null for books without one). */
async function channelOwnerOf(ctx: Context, channelId: string | null): Promise<string | null> {
  if (!channelId) return null;
  return (await ctx.loaders.channelView.load(channelId))?.ownerOrgId ?? null;
}

/** Refuses (FORBIDDEN) callers who may not write this book; answers its channel's owner. */
export async function requireBookWriter(
  ctx: Context,
  book: Pick<PriceBookRow, 'scope' | 'channelId'>,
): Promise<string | null> {
  const channelOwnerOrgId = await channelOwnerOf(ctx, book.channelId);
  const problem = bookWriteProblem(ctx.caller, { scope: book.scope, channelOwnerOrgId });
  if (problem) throw forbidden(problem);
  return channelOwnerOrgId;
}
