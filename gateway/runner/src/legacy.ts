// `pnpm legacy:backfill [--batch-size 1000] [--throttle-ms 0] [--dry-run] [--kind manufacturer]`
// `pnpm legacy:parity [--limit 50]`
// The legacy coexistence tools (docs/coexistence.md), on the database the environment names
// (DATABASE_URL, else the embedded PGlite under DATA_DIR). On a TTY: a progress bar and a
// summary; otherwise one JSON object per line (progress, summary, mismatch).
import { parseArgs } from 'node:util';
import {
  type BackfillProgress,
  backfillLegacy,
  createPrisma,
  LEGACY_KINDS,
  legacyOrgTypes,
  legacyParity,
  type Mismatch,
} from '@trellis/org-graph';
import { databaseFromEnv } from '@trellis/prisma';
import { SingleBar } from 'cli-progress';
import { z } from 'zod';

const [command, ...rest] = process.argv.slice(2);
const { values } = parseArgs({
  args: rest,
  options: {
    'batch-size': { type: 'string', default: '1000' },
    'throttle-ms': { type: 'string', default: '0' },
    'dry-run': { type: 'boolean', default: false },
    kind: { type: 'string', multiple: true },
    limit: { type: 'string', default: '50' },
    json: { type: 'boolean', default: false },
  },
});

const options = z
  .object({
    batchSize: z.coerce.number().int().min(1).max(10_000),
    throttleMs: z.coerce.number().int().min(0),
    limit: z.coerce.number().int().min(0),
    kinds: z
      .array(z.enum(LEGACY_KINDS))
      .min(1)
      .default([...LEGACY_KINDS]),
  })
  .safeParse({
    batchSize: values['batch-size'],
    throttleMs: values['throttle-ms'],
    limit: values.limit,
    kinds: values.kind,
  });
if (!options.success || (command !== 'backfill' && command !== 'parity')) {
  console.error(
    options.success ? 'usage: legacy.ts backfill|parity [options]' : options.error.message,
  );
  process.exit(2);
}
const { batchSize, throttleMs, limit, kinds } = options.data;
const tty = process.stdout.isTTY && !values.json;
const line = (value: object) => process.stdout.write(`${JSON.stringify(value)}\n`);

const db = await databaseFromEnv();
const prisma = createPrisma(db);
try {
  process.exitCode = command === 'backfill' ? await backfill() : await parity();
} finally {
  await prisma.$disconnect();
  await db.close();
}

async function backfill(): Promise<number> {
  let bar: SingleBar | undefined;
  let barKind: string | undefined;
  const onProgress = (p: BackfillProgress) => {
    const rowsPerSecond = Math.round(p.copied / (p.elapsedMs / 1000));
    if (!tty) {
      line({ event: 'progress', ...p, rowsPerSecond });
      return;
    }
    if (barKind !== p.kind) {
      bar?.stop();
      barKind = p.kind;
      bar = new SingleBar({
        format: `${p.kind.padEnd(12)} [{bar}] {value}/{total} rows · {rate} rows/s · last id {lastId}`,
      });
      bar.start(p.total, 0, { rate: 0, lastId: 0 });
    }
    bar!.update(p.copied, { rate: rowsPerSecond, lastId: p.lastId });
  };
  const summary = await backfillLegacy(
    prisma,
    { batchSize, throttleMs, dryRun: values['dry-run'], orgTypes: legacyOrgTypes(), kinds },
    onProgress,
  );
  bar?.stop();
  if (!tty) {
    line({ event: 'summary', ...summary });
    return 0;
  }
  for (const [kind, k] of Object.entries(summary.kinds)) {
    console.log(
      summary.dryRun
        ? `${kind}: ${k.pending} rows would be copied (dry run, nothing written)`
        : `${kind}: ${k.copied} of ${k.pending} rows copied in ${k.batches} batches${k.resumedAfter ? ` (resumed after id ${k.resumedAfter})` : ''}`,
    );
  }
  if (!summary.dryRun)
    console.log(
      `${summary.copied} rows in ${summary.seconds.toFixed(1)} s (${summary.rowsPerSecond} rows/s)`,
    );
  return 0;
}

async function parity(): Promise<number> {
  const report = await legacyParity(prisma, kinds);
  const byKind: Record<string, Mismatch[]> = {};
  for (const m of report.mismatches) {
    byKind[m.kind] ??= [];
    byKind[m.kind]!.push(m);
  }
  const counts = Object.fromEntries(
    Object.entries(byKind).map(([kind, list]) => [kind, list.length]),
  );
  if (!tty) {
    for (const m of report.mismatches.slice(0, limit)) line({ event: 'mismatch', ...m });
    line({ event: 'summary', checked: report.checked, mismatches: counts });
  } else {
    for (const [kind, list] of Object.entries(byKind)) {
      console.log(`${kind}: ${list.length}`);
      for (const m of list.slice(0, limit)) {
        const what = m.field
          ? ` ${m.field}: legacy ${JSON.stringify(m.legacy)} ≠ org graph ${JSON.stringify(m.mirrored)}`
          : '';
        console.log(`  ${m.legacyKind} ${m.id}${what}`);
      }
    }
    const checked = Object.entries(report.checked).map(([k, n]) => `${n} ${k}s`);
    console.log(
      report.mismatches.length
        ? `${report.mismatches.length} mismatches among ${checked.join(', ')}`
        : `parity clean: ${checked.join(', ')}`,
    );
  }
  return report.mismatches.length ? 1 : 0;
}
