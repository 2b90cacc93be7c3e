import { systemCaller, writeAudit } from '@trellis/kit';
import { runAsSystem } from '@trellis/prisma';
import { v7 as uuidv7 } from 'uuid';
import { SCHEMA } from '../context.js';
import type { OrgGraphPrisma } from '../prisma.js';
import { LEGACY_TABLES, type LegacyTables } from './legacy-store.js';
import { LEGACY_KINDS, type LegacyKind, type LegacyRow, type MirroredOrgType } from './rules.js';

const JOB = 'legacy-backfill';

export interface BackfillOptions {
  /** legacy rows per batch, each batch one transaction with its checkpoint */
  batchSize: number;
  /** pause between batches (load on the primary) */
  throttleMs: number;
  /** count what would be copied, write nothing */
  dryRun: boolean;
  orgTypes: Record<LegacyKind, MirroredOrgType>;
  kinds?: readonly LegacyKind[];
}

export interface BackfillProgress {
  kind: LegacyKind;
  /** rows copied by this run so far */
  copied: number;
  /** rows without a crosswalk entry when this run started */
  total: number;
  lastId: number;
  batches: number;
  elapsedMs: number;
}

export interface BackfillKindSummary {
  /** rows without a crosswalk entry when the run started */
  pending: number;
  copied: number;
  batches: number;
  /** the checkpoint's legacy id this run resumed after (0: from the start) */
  resumedAfter: number;
}

export interface BackfillSummary {
  dryRun: boolean;
  kinds: Partial<Record<LegacyKind, BackfillKindSummary>>;
  copied: number;
  seconds: number;
  rowsPerSecond: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const countUnmapped = async (prisma: OrgGraphPrisma, t: LegacyTables) => {
  const [row] = await prisma.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM ${t.legacy} l WHERE NOT EXISTS (SELECT 1 FROM ${t.map} m WHERE m.${t.mapId} = l.id)`,
  );
  return row?.n ?? 0;
};

/**
 * Where this kind's run starts: after the checkpoint of an unfinished run (a killed one), or
 * from the start when the last run finished (rows written since with dual-write off).
 */
async function startCheckpoint(prisma: OrgGraphPrisma, kind: LegacyKind): Promise<number> {
  const [row] = await prisma.$queryRawUnsafe<{ last_id: number; finished: boolean }[]>(
    `INSERT INTO org_graph.legacy_backfill_checkpoint (kind) VALUES ($1)
     ON CONFLICT (kind) DO UPDATE SET
       last_id = CASE WHEN legacy_backfill_checkpoint.finished_at IS NULL THEN legacy_backfill_checkpoint.last_id ELSE 0 END,
       copied = CASE WHEN legacy_backfill_checkpoint.finished_at IS NULL THEN legacy_backfill_checkpoint.copied ELSE 0 END,
       started_at = CASE WHEN legacy_backfill_checkpoint.finished_at IS NULL THEN legacy_backfill_checkpoint.started_at ELSE now() END,
       finished_at = NULL, updated_at = now()
     RETURNING last_id, false AS finished`,
    kind,
  );
  return row?.last_id ?? 0;
}

/**
 * Copies one batch of unmapped legacy rows after `lastId` into organizations, profiles and
 * crosswalk rows (source BACKFILL), and moves the checkpoint, in one transaction: a kill
 * loses at most the batch in flight, and the next run neither skips nor repeats a row. Set
 * statements (one per table), so a batch costs the same few statements whatever its size.
 * The legacy rows are locked, so a concurrent legacy write waits or is waited for.
 */
async function copyBatch(
  prisma: OrgGraphPrisma,
  t: LegacyTables,
  lastId: number,
  size: number,
  type: MirroredOrgType,
): Promise<{ copied: number; lastId: number }> {
  return prisma.$transaction(
    async (tx) => {
      const rows = await tx.$queryRawUnsafe<LegacyRow[]>(
        `SELECT l.id, l.name, ${t.fields.map((f) => `l."${f}"`).join(', ')} FROM ${t.legacy} l
          WHERE l.id > $1 AND NOT EXISTS (SELECT 1 FROM ${t.map} m WHERE m.${t.mapId} = l.id)
          ORDER BY l.id LIMIT $2 FOR UPDATE OF l`,
        lastId,
        size,
      );
      if (!rows.length) {
        await tx.$executeRawUnsafe(
          'UPDATE org_graph.legacy_backfill_checkpoint SET finished_at = now(), updated_at = now() WHERE kind = $1',
          t.kind,
        );
        return { copied: 0, lastId };
      }
      const ids = rows.map(() => uuidv7());
      await tx.$executeRawUnsafe(
        `INSERT INTO org_graph.organization (id, name, type)
         SELECT u.id, u.name, $3::org_graph."OrgType" FROM unnest($1::uuid[], $2::text[]) AS u(id, name)`,
        ids,
        rows.map((r) => r.name),
        type,
      );
      const fields = t.fields.map((f, i) => ({ f, param: `$${i + 2}::text[]` }));
      await tx.$executeRawUnsafe(
        `INSERT INTO ${t.profile} (org_id, ${t.fields.map((f) => `"${f}"`).join(', ')})
         SELECT * FROM unnest($1::uuid[], ${fields.map((x) => x.param).join(', ')})`,
        ids,
        ...t.fields.map((f) => rows.map((r) => r[f] ?? null)),
      );
      await tx.$executeRawUnsafe(
        `INSERT INTO ${t.map} (${t.mapId}, org_id, source)
         SELECT u.legacy_id, u.org_id, 'BACKFILL' FROM unnest($1::int[], $2::uuid[]) AS u(legacy_id, org_id)`,
        rows.map((r) => r.id),
        ids,
      );
      const last = rows[rows.length - 1]!.id;
      await tx.$executeRawUnsafe(
        `UPDATE org_graph.legacy_backfill_checkpoint
            SET last_id = $2, copied = copied + $3, updated_at = now() WHERE kind = $1`,
        t.kind,
        last,
        rows.length,
      );
      // one audit row per batch: the backfill is history being copied, not a change of anyone's
      await writeAudit(
        tx,
        SCHEMA,
        { caller: systemCaller(JOB), requestId: JOB },
        {
          action: 'legacy.backfill',
          objectType: t.type,
          objectId: `${rows[0]!.id}..${last}`,
          after: { rows: rows.length, firstId: rows[0]!.id, lastId: last, type },
        },
      );
      return { copied: rows.length, lastId: last };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/**
 * `pnpm legacy:backfill`: mirrors every legacy row without a crosswalk entry into the org
 * graph, batch by batch, resumable from its checkpoint and idempotent (a mapped row is never
 * copied again). `onProgress` hears of every committed batch.
 */
export function backfillLegacy(
  prisma: OrgGraphPrisma,
  options: BackfillOptions,
  onProgress: (progress: BackfillProgress) => void | Promise<void> = () => {},
): Promise<BackfillSummary> {
  return runAsSystem(JOB, async () => {
    const started = performance.now();
    const summary: BackfillSummary = {
      dryRun: options.dryRun,
      kinds: {},
      copied: 0,
      seconds: 0,
      rowsPerSecond: 0,
    };
    for (const kind of options.kinds ?? LEGACY_KINDS) {
      const t = LEGACY_TABLES[kind];
      const pending = await countUnmapped(prisma, t);
      const entry: BackfillKindSummary = { pending, copied: 0, batches: 0, resumedAfter: 0 };
      summary.kinds[kind] = entry;
      if (options.dryRun) continue;
      let lastId = await startCheckpoint(prisma, kind);
      entry.resumedAfter = lastId;
      for (;;) {
        const batch = await copyBatch(prisma, t, lastId, options.batchSize, options.orgTypes[kind]);
        if (!batch.copied) break;
        lastId = batch.lastId;
        entry.copied += batch.copied;
        entry.batches++;
        summary.copied += batch.copied;
        await onProgress({
          kind,
          copied: entry.copied,
          total: pending,
          lastId,
          batches: entry.batches,
          elapsedMs: performance.now() - started,
        });
        if (options.throttleMs > 0) await sleep(options.throttleMs);
      }
    }
    summary.seconds = (performance.now() - started) / 1000;
    summary.rowsPerSecond = summary.seconds > 0 ? Math.round(summary.copied / summary.seconds) : 0;
    return summary;
  });
}
