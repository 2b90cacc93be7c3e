import { runSubgraph } from '@trellis/kit';
import { createCatalog } from './index.js';

await runSubgraph('catalog', createCatalog);
