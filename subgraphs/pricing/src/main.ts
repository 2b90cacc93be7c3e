import { runSubgraph } from '@trellis/kit';
import { createPricing } from './index.js';

await runSubgraph('pricing', createPricing);
