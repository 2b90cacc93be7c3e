import { writeFileSync } from 'node:fs';
import { composeSupergraph, committedSupergraph, SUPERGRAPH_PATH } from './compose.js';

const [command] = process.argv.slice(2);
switch (command) {
  case 'write': {
    writeFileSync(SUPERGRAPH_PATH, composeSupergraph());
    console.log(`wrote ${SUPERGRAPH_PATH}`);
    break;
  }
  case 'check': {
    const fresh = composeSupergraph();
    if (fresh !== committedSupergraph()) {
      console.error('gateway/supergraph.graphql is stale: run `pnpm supergraph` and commit it');
      process.exitCode = 1;
    } else console.log('composition ok; the committed supergraph is current');
    break;
  }
  default:
    console.error('usage: compose-cli.ts write|check');
    process.exitCode = 2;
}
