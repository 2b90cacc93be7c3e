import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const GATEWAY_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The static supergraph the edge serves, composed at build time by `pnpm supergraph`. */
export const SUPERGRAPH_PATH = join(GATEWAY_DIR, 'supergraph.graphql');

export const committedSupergraph = () => readFileSync(SUPERGRAPH_PATH, 'utf8');
