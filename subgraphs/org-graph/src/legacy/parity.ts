import { runAsSystem } from '@trellis/prisma';
import type { OrgGraphPrisma } from '../prisma.js';
import { LEGACY_TABLES, legacyRows, mirroredRows, unmappedProfiles } from './legacy-store.js';
import { compareLegacy, LEGACY_KINDS, type LegacyKind, type Mismatch } from './rules.js';

export interface ParityReport {
  checked: Partial<Record<LegacyKind, number>>;
  mismatches: Mismatch[];
}

/**
 * `pnpm legacy:parity`: every legacy row against its organization and profile through the
 * crosswalk (the answer ENABLE_READ_FROM_ORG_GRAPH would give), and profiles no crosswalk
 * row names.
 */
export function legacyParity(
  prisma: OrgGraphPrisma,
  kinds: readonly LegacyKind[] = LEGACY_KINDS,
): Promise<ParityReport> {
  return runAsSystem('legacy-parity', async () => {
    const report: ParityReport = { checked: {}, mismatches: [] };
    for (const kind of kinds) {
      const t = LEGACY_TABLES[kind];
      const legacy = await legacyRows(prisma, t);
      report.checked[kind] = legacy.length;
      report.mismatches.push(
        ...compareLegacy(
          kind,
          legacy,
          await mirroredRows(prisma, t),
          await unmappedProfiles(prisma, t),
        ),
      );
    }
    return report;
  });
}
