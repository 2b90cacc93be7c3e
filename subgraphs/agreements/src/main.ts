import { runSubgraph } from '@trellis/kit';
import { createAgreements } from './index.js';

await runSubgraph('agreements', createAgreements);
