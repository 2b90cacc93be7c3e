import type { Context } from '../context.js';
import type { OrgGraphPrisma } from '../prisma.js';
import { type LegacyTables, legacyRows, mirroredRows, switchedRows } from './legacy-store.js';
import { countMismatches } from './metrics.js';
import { compareLegacy, type LegacyRow, shadowReadShare } from './rules.js';

/**
 * A legacy list query: from the org graph when ENABLE_READ_FROM_ORG_GRAPH is on for the
 * caller's organization, else from the legacy table — and then, for a sampled share of reads
 * (LEGACY_SHADOW_READ_SHARE), from the org graph too, compared, mismatches counted and logged
 * (Scientist: the caller always gets the legacy answer, whatever the comparison does).
 */
export async function readLegacy<Row extends LegacyRow>(
  ctx: Context,
  t: LegacyTables,
): Promise<Row[]> {
  const prisma: OrgGraphPrisma = ctx.prisma;
  if (await ctx.flags.isEnabled('ENABLE_READ_FROM_ORG_GRAPH', ctx.caller.orgId))
    return switchedRows<Row>(prisma, t);
  const rows = await legacyRows<Row>(prisma, t);
  // parsed per read (a cheap parse): the share in force is the process environment's now
  const share = shadowReadShare();
  if (share > 0 && Math.random() < share) {
    try {
      const mismatches = compareLegacy(t.kind, rows, await mirroredRows(prisma, t));
      countMismatches(ctx.metrics, mismatches);
      if (mismatches.length)
        ctx.logger.warn(
          { legacyKind: t.kind, mismatches: mismatches.length, first: mismatches.slice(0, 5) },
          'legacy shadow read: the org graph answers differently',
        );
    } catch (err) {
      ctx.logger.warn({ err, legacyKind: t.kind }, 'legacy shadow read failed');
    }
  }
  return rows;
}
