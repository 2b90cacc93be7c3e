import { performance } from 'node:perf_hooks';
import { backfillLegacy, createPrisma, legacyOrgTypes, legacyParity } from '@trellis/org-graph';
import { openDatabase } from '@trellis/prisma';
import { migrateAll } from '@trellis/runner';
import { scratchDatabase } from '../support/database.js';

const ROWS = Number(process.env.BENCH_LEGACY_ROWS ?? 100_000);
const BATCH_SIZES = (process.env.BENCH_BATCH_SIZES ?? '1000,5000').split(',').map(Number);

async function main() {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    console.log(
      'legacy-backfill: skipped (set TEST_DATABASE_URL to a PostgreSQL server to run it)',
    );
    return;
  }
  for (const batchSize of BATCH_SIZES) await run(base, batchSize);
}

async function run(base: string, batchSize: number) {
  const scratch = await scratchDatabase(base);
  const db = await openDatabase({ kind: 'postgres', url: scratch.url, poolSize: 2 });
  try {
    await migrateAll(db);
    const manufacturers = Math.round(ROWS * 0.8);
    await db.exec(`
      INSERT INTO org_graph.manufacturers (name, country, website)
        SELECT 'Maker ' || g, (ARRAY['DE','US','FR','SE','NL'])[1 + g % 5],
               CASE WHEN g % 4 = 0 THEN NULL ELSE 'https://maker' || g || '.example' END
          FROM generate_series(1, ${manufacturers}) g;
      INSERT INTO org_graph.suppliers (name, country)
        SELECT 'Supplier ' || g, CASE WHEN g % 3 = 0 THEN NULL ELSE 'PL' END
          FROM generate_series(1, ${ROWS - manufacturers}) g;
      ANALYZE org_graph.manufacturers; ANALYZE org_graph.suppliers;`);
    const prisma = createPrisma(db);
    const summary = await backfillLegacy(prisma, {
      batchSize,
      throttleMs: 0,
      dryRun: false,
      orgTypes: legacyOrgTypes(),
    });
    const t0 = performance.now();
    const parity = await legacyParity(prisma);
    const paritySeconds = (performance.now() - t0) / 1000;
    console.log(
      `legacy-backfill: ${summary.copied} rows in ${summary.seconds.toFixed(2)} s = ${summary.rowsPerSecond} rows/s ` +
        `(batches of ${batchSize}; target ≥ 5000 rows/s)`,
    );
    console.log(
      `legacy-parity: ${ROWS} rows compared in ${paritySeconds.toFixed(2)} s, ${parity.mismatches.length} mismatches`,
    );
    await prisma.$disconnect();
  } finally {
    await db.close();
    await scratch.drop();
  }
}

await main();
