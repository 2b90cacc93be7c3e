import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { SUBGRAPH_PORT_OFFSET } from '@trellis/kit';
import { SUBGRAPHS } from './subgraphs.js';

export const GATEWAY_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SUPERGRAPH_PATH = join(GATEWAY_DIR, 'supergraph.graphql');

/** The default URL of a subgraph in the committed supergraph (operators override per deploy). */
export const defaultSubgraphUrl = (name: keyof typeof SUBGRAPH_PORT_OFFSET) =>
  `http://127.0.0.1:${4000 + SUBGRAPH_PORT_OFFSET[name]}/graphql`;

/** Composes the six subgraphs' SDL into the supergraph SDL, or throws with every error. */
export function composeSupergraph(): string {
  const result = composeServices(
    SUBGRAPHS.map((s) => ({ name: s.name, typeDefs: s.typeDefs, url: defaultSubgraphUrl(s.name) })),
  );
  if (result.errors) {
    throw new Error(
      `composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`,
    );
  }
  return result.supergraphSdl;
}

export const committedSupergraph = () => readFileSync(SUPERGRAPH_PATH, 'utf8');
