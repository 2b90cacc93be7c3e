import { describe, expect, it } from 'vitest';
import {
  decodeCursor,
  encodeCursor,
  MAX_PAGE_SIZE,
  pageOf,
  pageQuery,
  toConnection,
} from './pagination.js';

const id = (n: number) => `0190a000-0000-7000-8000-${String(n).padStart(12, '0')}`;

describe('Relay pagination', () => {
  it('defaults first to 20 and caps it at 100', () => {
    expect(pageOf({}).take).toBe(20);
    expect(pageOf({ first: MAX_PAGE_SIZE }).take).toBe(100);
    expect(() => pageOf({ first: 101 })).toThrow(/between 0 and 100/);
    expect(() => pageOf({ first: -1 })).toThrow();
  });

  it('round-trips cursors and refuses ones it did not issue', () => {
    expect(decodeCursor(encodeCursor(id(7)))).toBe(id(7));
    expect(() => decodeCursor('garbage')).toThrow(/cursor/);
    expect(() => decodeCursor(Buffer.from('c:1; DROP TABLE').toString('base64url'))).toThrow();
  });

  it('builds a connection from take+1 rows', () => {
    const page = pageOf({ first: 2 });
    const rows = [1, 2, 3].map((n) => ({ id: id(n) }));
    const c = toConnection(rows, page, 10);
    expect(c.edges.map((e) => e.node.id)).toEqual([id(1), id(2)]);
    expect(c.pageInfo).toMatchObject({
      hasNextPage: true,
      hasPreviousPage: false,
      endCursor: encodeCursor(id(2)),
    });
    const last = toConnection(
      rows.slice(0, 2),
      pageOf({ first: 2, after: encodeCursor(id(0)) }),
      10,
    );
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('continues after the cursor with a keyset condition', () => {
    const page = pageOf({ first: 5, after: encodeCursor(id(3)) });
    expect(pageQuery(page, { type: 'DEALER' })).toEqual({
      where: { AND: [{ type: 'DEALER' }, { id: { gt: id(3) } }] },
      take: 6,
      orderBy: { id: 'asc' },
    });
  });
});
