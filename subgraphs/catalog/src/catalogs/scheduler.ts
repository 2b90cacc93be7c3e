import { randomUUID } from 'node:crypto';
import { emitEvent, type PeriodicWorker, type SubgraphDeps, startPeriodic } from '@trellis/kit';
import { runAsSystem } from '@trellis/prisma';
import { type CatalogPrisma, createPrisma } from '../prisma.js';
import { effectiveCounter } from './metrics.js';

export interface DueCatalogVersion {
  catalogVersionId: string;
  channelId: string;
  version: number;
  effectiveAt: Date;
  /** a later version took effect first: this one never was in force, no event */
  superseded: boolean;
}

/** How many due versions one pass claims (the next pass takes the rest). */
const BATCH = 200;

/**
 * One pass of the scheduler: claims every scheduled catalog version whose time has come and
 * emits `catalog.version_effective` for it, in one transaction. The claim is an insert into
 * `catalog_version_effective` (primary key: the version), so when several replicas run this
 * at once, each version is claimed — and its event written — exactly once: a concurrent
 * claimer waits on the key, then skips it (ON CONFLICT DO NOTHING). Versions in force at
 * once are claimed by their publish, so only scheduled ones are ever found here.
 *
 * `now`: the time to act as (tests); default: the database's clock.
 */
export async function emitDueCatalogEvents(
  prisma: CatalogPrisma,
  now?: Date,
): Promise<DueCatalogVersion[]> {
  // a platform job, not a tenant's request: it announces every channel's versions
  return runAsSystem('catalog-scheduler', () =>
    prisma.$transaction(async (tx) => {
      const claimed = await tx.$queryRawUnsafe<
        (Omit<DueCatalogVersion, 'effectiveAt'> & { effectiveAt: Date | string })[]
      >(
        `INSERT INTO "catalog"."catalog_version_effective" (catalog_version_id, channel_id, version, effective_at, superseded)
       SELECT v.id, v.channel_id, v.version, v.effective_at,
              EXISTS (SELECT 1 FROM "catalog"."catalog_version" w
                       WHERE w.channel_id = v.channel_id AND w.version > v.version
                         AND w.effective_at <= v.effective_at)
         FROM "catalog"."catalog_version" v
        WHERE v.effective_at > v.published_at
          AND v.effective_at <= COALESCE($1::timestamptz, now())
          AND NOT EXISTS (SELECT 1 FROM "catalog"."catalog_version_effective" x
                           WHERE x.catalog_version_id = v.id)
        ORDER BY v.effective_at, v.channel_id, v.version
        LIMIT ${BATCH}
       ON CONFLICT (catalog_version_id) DO NOTHING
       RETURNING catalog_version_id::text AS "catalogVersionId", channel_id::text AS "channelId",
                 version, effective_at AS "effectiveAt", superseded`,
        now ? now.toISOString() : null,
      );
      const due = claimed
        .map((c) => ({ ...c, effectiveAt: new Date(c.effectiveAt) }))
        .sort(
          (a, b) =>
            a.effectiveAt.getTime() - b.effectiveAt.getTime() ||
            a.channelId.localeCompare(b.channelId) ||
            a.version - b.version,
        );
      const live = due.filter((d) => !d.superseded);
      if (live.length) {
        const owners = new Map(
          (
            await tx.$queryRawUnsafe<{ id: string; ownerOrgId: string }[]>(
              'SELECT id::text AS id, owner_org_id::text AS "ownerOrgId" FROM "org_graph"."channel_v1" WHERE id = ANY($1::uuid[])',
              [...new Set(live.map((d) => d.channelId))],
            )
          ).map((c) => [c.id, c.ownerOrgId]),
        );
        const ctx = { requestId: `catalog-scheduler:${randomUUID()}` };
        for (const d of live) {
          await emitEvent(tx, ctx, {
            type: 'catalog.version_effective',
            aggregateType: 'Channel',
            aggregateId: d.channelId,
            orgId: owners.get(d.channelId) ?? null,
            payload: {
              channelId: d.channelId,
              version: d.version,
              effectiveAt: d.effectiveAt.toISOString(),
              scheduled: true,
            },
          });
        }
      }
      return due;
    }),
  );
}

export interface CatalogSchedulerOptions {
  /** time between passes (default 5 s) */
  intervalMs?: number;
}

/**
 * Runs `emitDueCatalogEvents` every `intervalMs` while ENABLE_CATALOG_PUBLISHING is on. Safe
 * to start in every replica (each version is claimed once). Answers `stop()`, which waits for
 * a pass under way.
 */
export function startCatalogScheduler(
  deps: SubgraphDeps,
  options: CatalogSchedulerOptions = {},
): PeriodicWorker {
  const prisma = createPrisma(deps.db);
  const logger = deps.logger.child({ worker: 'catalog-scheduler' });
  const counter = effectiveCounter(deps.metrics);
  return startPeriodic({
    name: 'catalog scheduler',
    intervalMs: options.intervalMs ?? 5_000,
    logger,
    async pass() {
      if (!(await deps.flags.isEnabled('ENABLE_CATALOG_PUBLISHING'))) return;
      for (const d of await emitDueCatalogEvents(prisma)) {
        counter.inc({ outcome: d.superseded ? 'superseded' : 'effective' });
        logger.info(
          { channelId: d.channelId, version: d.version, superseded: d.superseded },
          d.superseded
            ? 'scheduled catalog version superseded before its time'
            : 'scheduled catalog version in force',
        );
      }
    },
    close: () => prisma.$disconnect(),
  });
}
