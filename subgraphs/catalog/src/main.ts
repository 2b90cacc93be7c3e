import { runSubgraph } from '@trellis/kit';
import { createCatalog, startCatalogScheduler } from './index.js';

// CATALOG_SCHEDULER_INTERVAL_MS: how often this process looks for scheduled catalog versions
// that came into force (default 5000; 0 turns the scheduler off). Safe in every replica.
const interval = Number(process.env.CATALOG_SCHEDULER_INTERVAL_MS ?? 5_000);
if (!Number.isInteger(interval) || interval < 0) {
  console.error('Invalid configuration:\n  CATALOG_SCHEDULER_INTERVAL_MS: a whole number of ms');
  process.exit(1);
}

await runSubgraph('catalog', (deps) => {
  if (interval > 0) startCatalogScheduler(deps, { intervalMs: interval });
  return createCatalog(deps);
});
