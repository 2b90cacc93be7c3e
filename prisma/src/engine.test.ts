import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from './database/pglite.js';
import type { Database } from './database/types.js';
import { openSchemaEngine } from './engine.js';

/**
 * `engine.ts` instantiates Prisma's WebAssembly schema engine by hand, through internals of
 * these exact versions (`__wbg_set_wasm`, `__wbindgen_start`, the driver adapter binding). An
 * upgrade of any of them must fail here first: re-verify `loadWasm` and `openSchemaEngine`
 * (and `pnpm db:migrate`, `db:drift` on both backends), then move the pins.
 */
const PINNED = {
  '@prisma/schema-engine-wasm': '8.1.0-2.59be4fda12412a79eeb9c2ae727b6aa723593323',
  '@prisma/driver-adapter-utils': '7.10.0',
  '@prisma/client': '7.10.0',
  '@prisma/adapter-pg': '7.10.0',
  prisma: '7.10.0',
};

// read from the package folder: not every package exports its package.json
const installed = (name: string): string =>
  JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), 'utf8'))
    .version;

describe('the WebAssembly schema engine glue', () => {
  it('drives the Prisma versions it was verified with', () => {
    const actual = Object.fromEntries(Object.keys(PINNED).map((name) => [name, installed(name)]));
    expect(actual, 'a @prisma/* package moved: re-verify engine.ts, then update PINNED').toEqual(
      PINNED,
    );
  });

  describe('on a database', () => {
    let db: Database;
    beforeAll(async () => {
      db = await openPglite();
    }, 60_000);
    afterAll(() => db?.close());

    it('loads the engine and reaches the database through a driver adapter', async () => {
      const { adapter, release } = await db.migrationAdapter('workforce');
      try {
        const engine = await openSchemaEngine(
          { path: 'schema.prisma', content: 'datasource db {\n  provider = "postgresql"\n}\n' },
          adapter,
        );
        expect(await engine.version()).toMatch(/PostgreSQL/);
      } finally {
        await release();
      }
    });
  });
});
