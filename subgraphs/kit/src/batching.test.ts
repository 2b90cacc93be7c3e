// Prisma batches `findUnique` calls made in the same tick outside a transaction into one
// statement, across callers (its own DataLoader, keyed by the query's shape). That statement
// runs with the tenancy of whichever request dispatched the batch, so with row-level security
// one tenant's lookup could be answered with another's settings. Subgraphs therefore look rows
// up with `findMany` (in their own per-request DataLoaders) and keep `findUnique` to
// interactive transactions (`tx.…`), where Prisma batches per transaction only.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SUBGRAPHS = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return ['node_modules', '__generated__'].includes(entry.name) ? [] : sources(path);
    }
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('no cross-request statement batching', () => {
  it('uses findUnique only inside interactive transactions', () => {
    const offending = sources(SUBGRAPHS).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line: line.trim(), at: `${relative(SUBGRAPHS, file)}:${i + 1}` }))
        .filter(
          ({ line }) =>
            /\.findUnique(OrThrow)?\(/.test(line) && !/\btx\.\w+\.findUnique/.test(line),
        ),
    );
    expect(offending).toEqual([]);
  });
});
