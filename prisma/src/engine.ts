import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';

// @types/node does not declare the WebAssembly global; this is the part used here.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
};

// Node 20 cannot import the package's .wasm as an ES module, so the module is instantiated
// by hand (see docs/prisma-offline.md). Done once per process. It relies on internals
// of the pinned @prisma/* versions: engine.test.ts fails when one moves, to re-verify this.
let ready = false;
function loadWasm() {
  if (ready) return;
  const require = createRequire(import.meta.url);
  const wasmPath = join(
    dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')),
    'schema_engine_bg.wasm',
  );
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmPath)), {
    './schema_engine_bg.js': bg,
  });
  const exports = instance.exports as unknown as { __wbindgen_start(): void };
  (bg as unknown as { __wbg_set_wasm(e: unknown): void }).__wbg_set_wasm(exports);
  exports.__wbindgen_start();
  ready = true;
}

export const NO_FILTERS = { externalTables: [], externalEnums: [] };

/** Prisma's own schema engine (WebAssembly) bound to a driver adapter. */
export async function openSchemaEngine(
  schema: { path: string; content: string },
  adapter: SqlMigrationAwareDriverAdapterFactory,
): Promise<SchemaEngine> {
  loadWasm();
  const Engine = (bg as unknown as { SchemaEngine: typeof SchemaEngine }).SchemaEngine;
  return Engine.new(
    { datamodels: [[schema.path, schema.content]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(adapter),
  );
}

export type { MigrationList, SchemaEngine };
