import type { Caller } from './caller.js';
import type { Flags } from './flags.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

/** What every subgraph resolver gets for one request. */
export interface RequestContext {
  caller: Caller;
  requestId: string;
  logger: Logger;
  flags: Flags;
  metrics: Metrics;
  /** `Idempotency-Key` header, applying to a single-mutation request */
  idempotencyKeyHeader?: string;
}
