import DataLoader from 'dataloader';

/** Batches loads of one row per key: one query per tick, whatever the number of keys. */
export function rowLoader<K extends string | number, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
): DataLoader<K, V | null> {
  return new DataLoader(async (keys) => {
    const byKey = new Map((await fetch(keys)).map((row) => [keyOf(row), row]));
    return keys.map((k) => byKey.get(k) ?? null);
  });
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
