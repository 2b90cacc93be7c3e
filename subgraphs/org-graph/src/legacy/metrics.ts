import type { Metrics } from '@trellis/kit';
import type { Mismatch } from './rules.js';

/** Legacy writes mirrored into the org graph (`ok`) or refused because the mirror failed. */
export const dualWriteCounter = (metrics: Metrics) =>
  metrics.counter(
    'legacy_dual_write_total',
    'Legacy writes mirrored into the org graph (dual-write), by outcome (ok, failed)',
    ['outcome'],
  );

/** Differences between the legacy answer and the org graph's (shadow reads), by kind. */
export const parityMismatchCounter = (metrics: Metrics) =>
  metrics.counter(
    'legacy_parity_mismatches_total',
    'Differences between legacy rows and their org-graph mirror found by shadow reads, by kind (missing, extra, field)',
    ['kind'],
  );

export function countMismatches(metrics: Metrics, mismatches: readonly Mismatch[]): void {
  const counter = parityMismatchCounter(metrics);
  for (const m of mismatches) counter.inc({ kind: m.kind });
}
