import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { GATEWAY_DIR } from '@trellis/gateway';
import { loadSdl, SUBGRAPH_PORT_OFFSET } from '@trellis/kit';
import { SLICE_NAMES, type SliceName } from '@trellis/prisma';
import { parse } from 'graphql';

/** This checkout. The registry's commands take another (`--root`) to check a copy. */
export const REPO_ROOT = join(GATEWAY_DIR, '..');

/** The default URL of a subgraph in the committed supergraph (operators override per deploy). */
export const defaultSubgraphUrl = (name: keyof typeof SUBGRAPH_PORT_OFFSET) =>
  `http://127.0.0.1:${4000 + SUBGRAPH_PORT_OFFSET[name]}/graphql`;

/** Each subgraph's SDL as the checkout at `root` has it (its SDL files, in port order). */
export function subgraphSdls(root = REPO_ROOT): Record<SliceName, string> {
  const guards = join(root, 'subgraphs', 'kit', 'src', 'guards.graphql');
  return Object.fromEntries(
    SLICE_NAMES.map((name) => [name, loadSdl(join(root, 'subgraphs', name, 'src'), guards)]),
  ) as Record<SliceName, string>;
}

/** Composes the six subgraphs' SDL into the supergraph SDL, or throws with every error. */
export function composeSupergraph(root = REPO_ROOT): string {
  const result = composeServices(
    Object.entries(subgraphSdls(root)).map(([name, sdl]) => ({
      name,
      typeDefs: parse(sdl),
      url: defaultSubgraphUrl(name as SliceName),
    })),
  );
  if (result.errors) {
    throw new Error(
      `composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`,
    );
  }
  return result.supergraphSdl;
}
