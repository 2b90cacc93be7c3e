// Rewrites the generated section of docs/sla-dsl.md from the worked examples.
import { EXAMPLES_DOC, renderExamplesSection } from './docs.js';

const changed = EXAMPLES_DOC.write(renderExamplesSection());
console.log(changed ? `wrote ${EXAMPLES_DOC.path}` : `${EXAMPLES_DOC.path} is current`);
