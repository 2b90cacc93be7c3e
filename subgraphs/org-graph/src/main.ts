import { runSubgraph } from '@trellis/kit';
import { createOrgGraph } from './index.js';

await runSubgraph('org-graph', createOrgGraph);
