// Rewrites the generated section of docs/pricing.md from the examples table.
import { EXAMPLES_DOC, renderExamplesSection } from './docs.js';

const changed = EXAMPLES_DOC.write(renderExamplesSection());
console.log(changed ? `wrote ${EXAMPLES_DOC.path}` : `${EXAMPLES_DOC.path} is current`);
