import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type DocumentNode, parse } from 'graphql';
import { GUARDS_SDL_PATH } from './guards.js';

function graphqlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__generated__' ? [] : graphqlFiles(path);
    return entry.name.endsWith('.graphql') ? [path] : [];
  });
}

/**
 * A subgraph's SDL: `schema.graphql` first, then every feature folder's part, then the kit's
 * guard directives (`@feature`, `@scope`), which every subgraph may use (`guardsPath`: another
 * checkout's copy, for the registry).
 */
export function loadSdl(srcDir: string, guardsPath = GUARDS_SDL_PATH): string {
  const files = graphqlFiles(srcDir).sort((a, b) => {
    const rank = (f: string) => (relative(srcDir, f) === 'schema.graphql' ? 0 : 1);
    return rank(a) - rank(b) || a.localeCompare(b);
  });
  return [...files, guardsPath].map((f) => readFileSync(f, 'utf8')).join('\n');
}

export const loadTypeDefs = (srcDir: string): DocumentNode => parse(loadSdl(srcDir));
