// Rewrites the generated section of docs/service-policies.md from the examples table.
import { readFileSync, writeFileSync } from 'node:fs';
import { DOCS_PATH, renderExamplesSection, spliceExamples } from './docs.js';

const doc = readFileSync(DOCS_PATH, 'utf8');
const next = spliceExamples(doc, renderExamplesSection());
if (next === doc) console.log(`${DOCS_PATH} is current`);
else {
  writeFileSync(DOCS_PATH, next);
  console.log(`wrote ${DOCS_PATH}`);
}
