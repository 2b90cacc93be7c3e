import type { Logger, Metrics } from '@trellis/kit';
import type { CatalogPrisma } from '../prisma.js';
import { listingsInForce } from './catalog-version-store.js';

export type CatalogOperation =
  | 'publishOffering'
  | 'publishToChannel'
  | 'unlistFromChannel'
  | 'rollbackChannelCatalog';

/** Offering versions and catalog versions created, by operation. */
export const publishCounter = (metrics: Metrics) =>
  metrics.counter(
    'catalog_publishes_total',
    'Offering versions and channel catalog versions published, by operation',
    ['operation'],
  );

/** Refused publishes, unlists and rollbacks, by operation and reason (extensions.reason or code). */
export const publishFailureCounter = (metrics: Metrics) =>
  metrics.counter(
    'catalog_publish_failures_total',
    'Refused catalog publishes, unlists and rollbacks, by operation and reason',
    ['operation', 'reason'],
  );

/** Scheduled catalog versions that came into force (the scheduler's work). */
export const effectiveCounter = (metrics: Metrics) =>
  metrics.counter(
    'catalog_versions_effective_total',
    'Scheduled catalog versions that came into force (superseded: a later version came first)',
    ['outcome'],
  );

/** The reason a refusal is counted under. */
export function failureReason(error: unknown): string {
  const extensions = (error as { extensions?: { reason?: unknown; code?: unknown } }).extensions;
  return String(extensions?.reason ?? extensions?.code ?? 'INTERNAL_SERVER_ERROR');
}

/**
 * A publishing command's counting (its `onWritten` and `onError`): every version it creates
 * (an idempotent replay or an unchanged answer creates none), every refusal by reason, whichever
 * layer refused it — the field's guards, the arguments, the checks or the transaction.
 */
export const countedAs = (operation: CatalogOperation) => ({
  onWritten: (ctx: { metrics: Metrics }) => publishCounter(ctx.metrics).inc({ operation }),
  onError: (ctx: { metrics: Metrics }, error: unknown) =>
    publishFailureCounter(ctx.metrics).inc({ operation, reason: failureReason(error) }),
});

type RegisteredMetric = Parameters<Metrics['registry']['registerMetric']>[0];

export const LISTINGS_GAUGE = 'catalog_listings';

/**
 * `catalog_listings{channel}`: the entries of each channel's version in force, read from the
 * database when scraped, so every replica reports the same and scheduled versions count from
 * the moment they take effect. (A prom-client custom collector: the registry asks `get()`.)
 * Several workers' values are the same reading, so their aggregate is the first, not the sum.
 */
export function registerListingsGauge(metrics: Metrics, prisma: CatalogPrisma, logger: Logger) {
  if (metrics.registry.getSingleMetric(LISTINGS_GAUGE)) return;
  const help = "Offerings listed in each channel's catalog version in force";
  let last: { value: number; labels: { channel: string } }[] = [];
  const gauge = {
    name: LISTINGS_GAUGE,
    help,
    type: 'gauge',
    aggregator: 'first',
    labelNames: ['channel'],
    async get() {
      try {
        last = (await listingsInForce(prisma)).map((r) => ({
          value: r.listings,
          labels: { channel: r.channelId },
        }));
      } catch (err) {
        logger.warn(
          { err },
          'catalog_listings: the database did not answer; reporting the last values',
        );
      }
      return { name: LISTINGS_GAUGE, help, type: 'gauge', values: last, aggregator: 'first' };
    },
    reset() {},
  };
  metrics.registry.registerMetric(gauge as unknown as RegisteredMetric);
}
