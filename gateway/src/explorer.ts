import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { parse, print } from 'graphql';
import type { TrustedDocuments } from './trusted-documents.js';

export interface ExplorerOptions {
  /** a development token the header editor starts with (EXPLORER_TOKEN) */
  token?: string;
  /** variables every example tab starts with (the demo's organization id) */
  variables?: Record<string, unknown>;
}

export interface ExplorerPage {
  html: string;
  gzipped: Buffer;
  etag: string;
}

/** The example tabs: one per file of trusted documents, the flagship first. */
export function exampleTabs(documents: TrustedDocuments) {
  const bySource = new Map<string, Map<string, string>>();
  for (const { source, document } of Object.values(documents)) {
    const definitions = bySource.get(source) ?? new Map<string, string>();
    // a fragment used by several operations of a file appears once
    for (const def of parse(document).definitions)
      if ('name' in def && def.name) definitions.set(`${def.kind}:${def.name.value}`, print(def));
    bySource.set(source, definitions);
  }
  const rank = (source: string) => (source.endsWith('/flagship.graphql') ? 0 : 1);
  return [...bySource]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([source, definitions]) => ({
      source,
      query: `# ${source}\n${[...definitions.values()].join('\n\n')}\n`,
    }));
}

/**
 * GraphiQL, served from the npm package (its scripts, styles and workers are inlined: the page
 * requests nothing but the gateway's own /graphql). Rendered once, gzipped once.
 */
export function renderExplorer(
  documents: TrustedDocuments,
  options: ExplorerOptions,
): ExplorerPage {
  const headers = options.token
    ? JSON.stringify({ authorization: `Bearer ${options.token}` }, null, 2)
    : undefined;
  const variables = options.variables ? JSON.stringify(options.variables, null, 2) : undefined;
  const html = renderGraphiQL({
    title: 'Trellis explorer',
    endpoint: '/graphql',
    defaultEditorToolsVisibility: true,
    // the CSRF check accepts a request that names its operation or asks for a preflight
    additionalHeaders: { 'apollo-require-preflight': 'true' },
    // the editors' contents (GraphiQL reads these, not the tabs', for the first tab)
    headers,
    variables,
    defaultTabs: exampleTabs(documents).map(({ query }) => ({ query, variables, headers })),
  } as Parameters<typeof renderGraphiQL>[0]);
  return {
    html,
    gzipped: gzipSync(html),
    etag: `"${createHash('sha256').update(html).digest('base64url').slice(0, 32)}"`,
  };
}
