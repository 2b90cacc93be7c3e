import { composeServices } from '@apollo/composition';
import { SUBGRAPH_PORT_OFFSET } from '@trellis/kit';
import { SUBGRAPHS } from '@trellis/runner';

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
