import { runSubgraph } from '@trellis/kit';
import { createWorkforce } from './index.js';

await runSubgraph('workforce', createWorkforce);
