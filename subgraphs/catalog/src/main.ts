import { parseConfig, runSubgraph } from '@trellis/kit';
import { z } from 'zod';
import { createCatalog, startCatalogScheduler } from './index.js';

// how often this process looks for scheduled catalog versions that came into force
// (0 turns the scheduler off); safe in every replica: each version is announced once
const { CATALOG_SCHEDULER_INTERVAL_MS: interval } = parseConfig(
  z.object({ CATALOG_SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(0).default(5_000) }),
);

await runSubgraph('catalog', (deps) => {
  if (interval > 0) startCatalogScheduler(deps, { intervalMs: interval });
  return createCatalog(deps);
});
