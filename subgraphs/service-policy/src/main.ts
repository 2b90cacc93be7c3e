import { runSubgraph } from '@trellis/kit';
import { createServicePolicy } from './index.js';

await runSubgraph('service-policy', createServicePolicy);
