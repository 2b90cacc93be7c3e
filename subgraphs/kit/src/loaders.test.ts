import { describe, expect, it } from 'vitest';
import { mapNow, rowLoader } from './loaders.js';

interface Row {
  id: string;
  name: string;
}

/** A loader over a fixed table that records every batch it fetches. */
function tableLoader(rows: Row[]) {
  const batches: string[][] = [];
  const loader = rowLoader<string, Row>(
    async (ids) => {
      batches.push([...ids]);
      return rows.filter((r) => ids.includes(r.id));
    },
    (r) => r.id,
  );
  return { loader, batches };
}

const A = { id: 'a', name: 'Acme' };
const B = { id: 'b', name: 'Bosch' };

describe('RowLoader', () => {
  it('batches the keys of one tick into one fetch', async () => {
    const { loader, batches } = tableLoader([A, B]);
    expect(await Promise.all([loader.load('a'), loader.load('b'), loader.load('x')])).toEqual([
      A,
      B,
      null,
    ]);
    expect(batches).toEqual([['a', 'b', 'x']]);
  });

  it('answers a primed or loaded row now, a missing one (null) too once looked up', async () => {
    const { loader, batches } = tableLoader([A, B]);
    loader.prime('a', A);
    expect(loader.loadNow('a')).toBe(A);
    // a primed row is answered by load and loadMany too, without a fetch
    expect(await loader.load('a')).toBe(A);
    expect(await loader.loadMany(['a'])).toEqual([A]);
    const pending = loader.loadNow('b');
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toEqual(B);
    expect(loader.loadNow('b')).toEqual(B);
    await loader.load('x');
    expect(loader.loadNow('x')).toBeNull();
    expect(batches).toEqual([['b'], ['x']]);
  });

  it('keeps the row it holds when primed again, as DataLoader does', async () => {
    const { loader } = tableLoader([A]);
    loader.prime('a', A);
    loader.prime('a', { id: 'a', name: 'other' });
    expect(loader.loadNow('a')).toBe(A);
    expect(await loader.load('a')).toBe(A);
  });

  it('makes a lazily primed row once, when first read, and never fetches it', async () => {
    const { loader, batches } = tableLoader([A, B]);
    let made = 0;
    loader.primeLazily('a', () => {
      made++;
      return A;
    });
    loader.primeLazily('b', () => {
      made++;
      return B;
    });
    expect(made).toBe(0);
    expect(loader.loadNow('a')).toBe(A);
    expect(await loader.load('a')).toBe(A);
    expect(made).toBe(1);
    loader.prime('b', { id: 'b', name: 'other' });
    expect(await loader.loadMany(['b'])).toEqual([B]);
    expect(made).toBe(2);
    expect(batches).toEqual([]);
  });

  it('forgets a cleared row and fetches it again', async () => {
    const { loader, batches } = tableLoader([A]);
    loader.prime('a', A);
    loader.clear('a');
    const pending = loader.loadNow('a');
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toEqual(A);
    loader.clearAll();
    expect(loader.loadNow('a')).toBeInstanceOf(Promise);
    expect(await loader.load('a')).toEqual(A);
    expect(batches).toEqual([['a'], ['a']]);
  });

  it('loadRequired returns a held row now and fails for a key without a row', async () => {
    const { loader } = tableLoader([A]);
    loader.prime('a', A);
    expect(loader.loadRequired('a')).toBe(A);
    await expect(loader.loadRequired('x')).rejects.toThrow('no row for key x');
    expect(() => loader.loadRequired('x')).toThrow('no row for key x');
  });
});

describe('mapNow', () => {
  it('maps a value now and a promise later', async () => {
    expect(mapNow(2, (n) => n * 2)).toBe(4);
    expect(await mapNow(Promise.resolve(2), (n) => n * 2)).toBe(4);
  });
});
