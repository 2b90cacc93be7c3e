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

/** Keys asked for in one tick, fetched together, and their answer (by key) once fetched. */
interface Batch<K, V> {
  keys: K[];
  ids: string[];
  answered: Promise<Map<string, V | Error>>;
  answer(values: Map<string, V | Error>): void;
}

let resolved: Promise<void> | undefined;
/** Runs `job` once the promise jobs queued now have run, as DataLoader schedules its batches. */
const afterPromiseJobs = (job: () => void) => {
  resolved ??= Promise.resolve();
  void resolved.then(() => process.nextTick(job));
};

/**
 * Loads many keys at a time, batched per tick and each key fetched once, as DataLoader's
 * `loadMany` does, without a promise per key: one per call and one per batch. Pricing asks for
 * the candidates and decisions of a page of 142 prices at once, and DataLoader's two promises
 * per key (its load and `loadMany`'s catch) were a tenth of what a flagship request allocated.
 * Like `loadMany`, it answers a key's error in its place; a fetch that fails is not kept (the
 * keys are fetched again when asked for again).
 */
export class ManyLoader<K, V> {
  readonly #values = new Map<string, V | Error>();
  /** the batch of each key being fetched */
  readonly #pending = new Map<string, Batch<K, V>>();
  #open: Batch<K, V> | undefined;

  constructor(
    private readonly fetch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>,
    private readonly keyOf: (key: K) => string,
    private readonly maxBatchSize = Number.POSITIVE_INFINITY,
  ) {}

  loadMany(keys: readonly K[]): Promise<(V | Error)[]> {
    const ids = keys.map((key) => this.keyOf(key));
    const batches = new Set<Batch<K, V>>();
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (!this.#values.has(id)) batches.add(this.#pending.get(id) ?? this.#enqueue(keys[i]!, id));
    }
    if (batches.size === 0) return Promise.resolve(ids.map((id) => this.#values.get(id)!));
    return Promise.all(Array.from(batches, (b) => b.answered)).then((answers) =>
      ids.map(
        (id) =>
          (this.#values.has(id)
            ? this.#values
            : (answers.find((a) => a.has(id)) as Map<string, V | Error>)
          ).get(id) as V | Error,
      ),
    );
  }

  #enqueue(key: K, id: string): Batch<K, V> {
    let batch = this.#open;
    if (!batch || batch.keys.length >= this.maxBatchSize) {
      let answer!: Batch<K, V>['answer'];
      const answered = new Promise<Map<string, V | Error>>((resolve) => {
        answer = resolve;
      });
      const opened: Batch<K, V> = { keys: [], ids: [], answered, answer };
      this.#open = batch = opened;
      afterPromiseJobs(() => this.#dispatch(opened));
    }
    batch.keys.push(key);
    batch.ids.push(id);
    this.#pending.set(id, batch);
    return batch;
  }

  #dispatch(batch: Batch<K, V>): void {
    if (this.#open === batch) this.#open = undefined;
    const settle = (answerOf: (i: number) => V | Error, keep: boolean) => {
      const answer = new Map<string, V | Error>();
      for (let i = 0; i < batch.ids.length; i++) {
        const id = batch.ids[i]!;
        const value = answerOf(i);
        answer.set(id, value);
        if (keep) this.#values.set(id, value);
        this.#pending.delete(id);
      }
      batch.answer(answer);
    };
    let fetched: Promise<readonly (V | Error)[]>;
    try {
      fetched = this.fetch(batch.keys);
    } catch (error) {
      fetched = Promise.reject(error);
    }
    fetched.then(
      (values) => {
        if (values.length !== batch.keys.length) {
          const error = new TypeError(
            `ManyLoader: ${batch.keys.length} keys fetched, ${values.length} values answered`,
          );
          return settle(() => error, false);
        }
        settle((i) => values[i]!, true);
      },
      (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        settle(() => failure, false);
      },
    );
  }
}

/**
 * A row as a list reads it: its detail columns `D` (long texts, JSON documents) may be missing.
 * A catalog page reads a hundred entries' offerings, SKUs and products, and their details were
 * a third of what the page statement spent and decoded, for fields most pages never show;
 * the fields that show them read them on demand (`detailOf`). A row read whole is one too.
 */
export type Listed<R, D extends keyof R> = Omit<R, D> & Partial<Pick<R, D>>;

/**
 * A detail of a `Listed` row: its own when it was read with the row, else from `details`, which
 * reads the details of every row asked for in one tick with one statement.
 */
export function detailOf<R extends { id: string }, D extends keyof R, K extends D>(
  row: Listed<R, D> & { id: string },
  key: K,
  details: RowLoader<string, Pick<R, 'id' | D>>,
): R[K] | Promise<R[K]> {
  const own = (row as Partial<R>)[key];
  if (own !== undefined) return own as R[K];
  return mapNow(details.loadRequired(row.id), (d) => d[key] as R[K]);
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
