import { systemCaller, writeAudit } from '@trellis/kit';
import { runAsSystem } from '@trellis/prisma';
import { SCHEMA } from '../context.js';
import type { OrgGraphPrisma } from '../prisma.js';
import { LEGACY_TABLES, type LegacyTables } from './legacy-store.js';
import { LEGACY_KINDS, type LegacyKind, type MirroredOrgType } from './rules.js';

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

// A version-7 UUID (time-ordered, like Prisma's `uuid(7)`) made by PostgreSQL: the 48-bit
// millisecond clock over a random v4 UUID, whose version bits become 0111.
const UUID_V7 = `encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing
  substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6),
  52, 1), 53, 1), 'hex')::uuid`;

/**
 * Copies one batch of unmapped legacy rows after `lastId` into organizations, profiles and
 * crosswalk rows (source BACKFILL), and moves the checkpoint, in one transaction: a kill
 * loses at most the batch in flight, and the next run neither skips nor repeats a row. One
 * statement writes the batch (sibling data-modifying CTEs: no row travels to the client and
 * back), so a batch costs the same few statements whatever its size. The legacy rows are
 * locked (FOR UPDATE): a concurrent legacy write is waited for and its values copied.
 */
async function copyBatch(
  prisma: OrgGraphPrisma,
  t: LegacyTables,
  lastId: number,
  size: number,
  type: MirroredOrgType,
): Promise<{ copied: number; lastId: number }> {
  const fields = t.fields.map((f) => `"${f}"`).join(', ');
  return prisma.$transaction(
    async (tx) => {
      const [batch] = await tx.$queryRawUnsafe<{ copied: number; first: number; last: number }[]>(
        `WITH src AS (
           SELECT l.id, l.name, ${t.fields.map((f) => `l."${f}"`).join(', ')} FROM ${t.legacy} l
            WHERE l.id > $1 AND NOT EXISTS (SELECT 1 FROM ${t.map} m WHERE m.${t.mapId} = l.id)
            ORDER BY l.id LIMIT $2 FOR UPDATE OF l
         ), batch AS MATERIALIZED (SELECT src.*, ${UUID_V7} AS org_id FROM src),
         orgs AS (
           INSERT INTO org_graph.organization (id, name, type)
           SELECT org_id, name, $3::org_graph."OrgType" FROM batch
         ),
         profiles AS (INSERT INTO ${t.profile} (org_id, ${fields}) SELECT org_id, ${fields} FROM batch),
         maps AS (
           INSERT INTO ${t.map} (${t.mapId}, org_id, source) SELECT id, org_id, 'BACKFILL' FROM batch
         ),
         moved AS (
           UPDATE org_graph.legacy_backfill_checkpoint
              SET last_id = COALESCE((SELECT max(id) FROM batch), last_id), copied = copied + (SELECT count(*) FROM batch),
                  updated_at = now(),
                  finished_at = CASE WHEN EXISTS (SELECT 1 FROM batch) THEN NULL ELSE now() END
            WHERE kind = $4
         )
         SELECT count(*)::int AS copied, min(id) AS first, max(id) AS last FROM batch`,
        lastId,
        size,
        type,
        t.kind,
      );
      if (!batch?.copied) return { copied: 0, lastId };
      // one audit row per batch: the backfill is history being copied, not a change of anyone's
      await writeAudit(
        tx,
        SCHEMA,
        { caller: systemCaller(JOB), requestId: JOB },
        {
          action: 'legacy.backfill',
          objectType: t.type,
          objectId: `${batch.first}..${batch.last}`,
          after: { rows: batch.copied, firstId: batch.first, lastId: batch.last, type },
        },
      );
      return { copied: batch.copied, lastId: batch.last };
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
