import { parseConfig, runSubgraph } from '@trellis/kit';
import { z } from 'zod';
import { createAgreements, startSlaScheduler } from './index.js';

// how often this process clocks open tickets for SLA warnings and breaches (0 turns the
// scheduler off); safe in every replica: each notice is announced once
const { SLA_SCHEDULER_INTERVAL_MS: interval } = parseConfig(
  z.object({ SLA_SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(0).default(30_000) }),
);

await runSubgraph('agreements', (deps) => {
  if (interval > 0) startSlaScheduler(deps, { intervalMs: interval });
  return createAgreements(deps);
});
