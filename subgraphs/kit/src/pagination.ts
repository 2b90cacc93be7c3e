import { badInput } from './errors.js';
import { isUuid } from './ids.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Page {
  /** rows to return */
  take: number;
  /** the id to continue after (keyset pagination on time-ordered UUIDv7 ids) */
  afterId: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  totalCount: number;
}

export const encodeCursor = (id: string) => Buffer.from(`c:${id}`).toString('base64url');

export function decodeCursor(cursor: string): string {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!raw.startsWith('c:') || !isUuid(raw.slice(2)))
    throw badInput('after', 'after is not a cursor this API issued');
  return raw.slice(2);
}

/** Validates Relay arguments: `first` in 0..100 (default 20), `after` a cursor we issued. */
export function pageOf(args: PageArgs): Page {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput('first', `first must be between 0 and ${MAX_PAGE_SIZE}`);
  }
  return { take: first, afterId: args.after ? decodeCursor(args.after) : null };
}

/**
 * Builds a connection from `take + 1` rows fetched after the cursor (the extra row only
 * tells whether there is a next page).
 */
export function toConnection<T>(
  rows: T[],
  page: Page,
  totalCount: number,
  idOf: (row: T) => string = (row) => (row as { id: string }).id,
): Connection<T> {
  const nodes = rows.slice(0, page.take);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(idOf(node)), node }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: rows.length > page.take,
      hasPreviousPage: page.afterId !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** Prisma `findMany` arguments for a keyset page of `where`, ordered by id. */
export function pageQuery<W extends object>(page: Page, where: W) {
  return {
    where: page.afterId ? { AND: [where, { id: { gt: page.afterId } }] } : where,
    take: page.take + 1,
    orderBy: { id: 'asc' as const },
  };
}
