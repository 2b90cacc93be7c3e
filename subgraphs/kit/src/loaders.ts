import DataLoader from 'dataloader';

/**
 * Batches loads of one row per key: one query per tick, whatever the number of keys. Rows it
 * already holds (loaded or primed) it also answers synchronously (`loadNow`, `loadRequired`):
 * a resolver that returns a row instead of a promise lets the executor complete the field at
 * once, which across a page of a hundred entries saves hundreds of promise round trips.
 */
export class RowLoader<K extends string | number, V> extends DataLoader<K, V | null> {
  readonly #held = new Map<K, V | null>();
  /** rows primed lazily: made when first read */
  readonly #deferred = new Map<K, () => V>();

  constructor(fetch: (keys: readonly K[]) => Promise<V[]>, keyOf: (row: V) => K) {
    super(async (keys) => {
      const byKey = new Map((await fetch(keys)).map((row) => [keyOf(row), row]));
      return keys.map((k) => {
        const row = byKey.get(k) ?? null;
        this.#held.set(k, row);
        return row;
      });
    });
  }

  /** The row of `key`: now when held, else loaded with the tick's batch. */
  loadNow(key: K): V | null | Promise<V | null> {
    const held = this.#heldRow(key);
    return held === undefined ? this.load(key) : held;
  }

  /** The row held for `key` (made now if it was primed lazily), else undefined. */
  #heldRow(key: K): V | null | undefined {
    const held = this.#held.get(key);
    if (held !== undefined) return held;
    const make = this.#deferred.get(key);
    if (!make) return undefined;
    this.#deferred.delete(key);
    const row = make();
    this.#held.set(key, row);
    return row;
  }

  /** The row a foreign key names (it must exist): now when held, else loaded. */
  loadRequired(key: K): V | Promise<V> {
    return mapNow(this.loadNow(key), (row) => {
      if (row === null) throw new Error(`no row for key ${String(key)}`);
      return row;
    });
  }

  /** Held rows are answered without a batch (`loadNow` answers them without a promise). */
  override load(key: K): Promise<V | null> {
    const held = this.#heldRow(key);
    return held === undefined ? super.load(key) : Promise.resolve(held);
  }

  /**
   * Like DataLoader's: a key already held keeps its row. A row is only held (no promise made
   * for it until someone loads it): pricing primes every candidate rule and book of a page,
   * hundreds of rows, and reads a few.
   */
  override prime(key: K, value: V | null | Error | PromiseLike<V | null>): this {
    if (value instanceof Error || isPromiseLike(value)) return super.prime(key, value);
    if (!this.#held.has(key) && !this.#deferred.has(key)) this.#held.set(key, value);
    return this;
  }

  /**
   * Primes `key` with a row made only if someone reads it (`make` runs at most once): pricing
   * holds every candidate rule of a page, and most are never read.
   */
  primeLazily(key: K, make: () => V): this {
    if (!this.#held.has(key) && !this.#deferred.has(key)) this.#deferred.set(key, make);
    return this;
  }

  override clear(key: K): this {
    this.#held.delete(key);
    this.#deferred.delete(key);
    return super.clear(key);
  }

  override clearAll(): this {
    this.#held.clear();
    this.#deferred.clear();
    return super.clearAll();
  }
}

const isPromiseLike = (v: unknown): v is PromiseLike<unknown> =>
  typeof (v as PromiseLike<unknown> | null)?.then === 'function';

/** Applies `f` to a value now, or to a promised value when it comes. */
export function mapNow<T, R>(value: T | Promise<T>, f: (value: T) => R): R | Promise<R> {
  return value instanceof Promise ? value.then(f) : f(value);
}

/** Batches loads of one row per key (see `RowLoader`). */
export function rowLoader<K extends string | number, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
): RowLoader<K, V> {
  return new RowLoader(fetch, keyOf);
}

/** Batches loads of the rows belonging to each key (one-to-many). */
export function groupLoader<K extends string | number, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
): DataLoader<K, V[]> {
  return new DataLoader(async (keys) => {
    const groups = new Map<K, V[]>(keys.map((k) => [k, []]));
    for (const row of await fetch(keys)) groups.get(keyOf(row))?.push(row);
    return keys.map((k) => groups.get(k) ?? []);
  });
}

/** Loads many keys, dropping the ones that do not exist (errors still throw). */
export async function loadExisting<K, V>(
  loader: DataLoader<K, V | null>,
  keys: readonly K[],
): Promise<V[]> {
  const values = await loader.loadMany(keys);
  return values.filter((v): v is V => {
    if (v instanceof Error) throw v;
    return v !== null;
  });
}
