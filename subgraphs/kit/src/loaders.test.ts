import { describe, expect, it } from 'vitest';
import { ManyLoader, mapNow, rowLoader } from './loaders.js';

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

describe('ManyLoader', () => {
  /** Squares numbers, recording each batch; a negative number is answered as its own error. */
  function squares(options: { fail?: () => boolean; maxBatchSize?: number } = {}) {
    const batches: number[][] = [];
    const loader = new ManyLoader<number, number>(
      async (keys) => {
        batches.push([...keys]);
        if (options.fail?.()) throw new Error('the database is gone');
        return keys.map((k) => (k < 0 ? new Error(`no square of ${k}`) : k * k));
      },
      String,
      options.maxBatchSize,
    );
    return { loader, batches };
  }

  it('fetches the keys of one tick in one batch, each once, answering each call in its order', async () => {
    const { loader, batches } = squares();
    const [a, b] = await Promise.all([loader.loadMany([3, 1, 3]), loader.loadMany([2, 1])]);
    expect(a).toEqual([9, 1, 9]);
    expect(b).toEqual([4, 1]);
    expect(batches).toEqual([[3, 1, 2]]);
  });

  it('answers keys it holds without fetching, and waits for keys a batch is fetching', async () => {
    const { loader, batches } = squares();
    await loader.loadMany([1, 2]);
    expect(await loader.loadMany([2, 1])).toEqual([4, 1]);
    expect(batches).toEqual([[1, 2]]);
    const first = loader.loadMany([5]);
    // asked for later, while 5 is being fetched: only 6 is new
    await new Promise((r) => setImmediate(r));
    const [later, again] = await Promise.all([loader.loadMany([5, 6]), first]);
    expect(later).toEqual([25, 36]);
    expect(again).toEqual([25]);
    expect(batches).toEqual([[1, 2], [5], [6]]);
  });

  it("answers a key's error in its place and keeps it, as DataLoader's loadMany", async () => {
    const { loader, batches } = squares();
    const [minus, four] = await loader.loadMany([-1, 2]);
    expect(minus).toBeInstanceOf(Error);
    expect((minus as Error).message).toBe('no square of -1');
    expect(four).toBe(4);
    expect((await loader.loadMany([-1]))[0]).toBe(minus);
    expect(batches).toHaveLength(1);
  });

  it('answers a failed fetch as every key’s error, and fetches those keys again when asked', async () => {
    let down = true;
    const { loader, batches } = squares({ fail: () => down });
    const failed = await loader.loadMany([1, 2]);
    expect(failed.map((v) => (v as Error).message)).toEqual([
      'the database is gone',
      'the database is gone',
    ]);
    down = false;
    expect(await loader.loadMany([1, 2])).toEqual([1, 4]);
    expect(batches).toEqual([
      [1, 2],
      [1, 2],
    ]);
  });

  it('refuses an answer of the wrong length for every key of the batch', async () => {
    const loader = new ManyLoader<number, number>(async () => [1], String);
    const answers = await loader.loadMany([1, 2]);
    expect(answers.every((a) => a instanceof TypeError)).toBe(true);
  });

  it('splits a tick larger than its batch size', async () => {
    const { loader, batches } = squares({ maxBatchSize: 2 });
    expect(await loader.loadMany([1, 2, 3, 4, 5])).toEqual([1, 4, 9, 16, 25]);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });
});
