import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { REQUEST_ID_HEADER } from '@trellis/kit';
import { type CorsOptions, corsHeaders } from './cors.js';
import type { ExplorerPage } from './explorer.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * The client's X-Request-Id when it looks like an id (it reaches the logs and every
 * subgraph), else a fresh one.
 */
export const requestIdOf = (incoming: string | undefined): string =>
  incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();

const header = (req: IncomingMessage, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export interface EdgeOptions {
  cors: CorsOptions;
  /** the explorer page, built on first use; undefined: no explorer */
  explorer?: () => ExplorerPage;
  /** runs once the request id is settled, before anything is answered (the access log) */
  begin?: (req: IncomingMessage, res: ServerResponse) => void;
}

/** A browser asking for a page (not a GraphQL GET, which names a query or a document). */
function wantsPage(req: IncomingMessage, url: URL) {
  return (
    req.method === 'GET' &&
    (url.pathname === '/' || url.pathname === '/graphql') &&
    !url.searchParams.has('query') &&
    !url.searchParams.has('documentId') &&
    (header(req, 'accept') ?? '').includes('text/html')
  );
}

/**
 * What the edge does before GraphQL, for every request: settles the request id (answered in
 * X-Request-Id on every response, refusals included), answers CORS preflights and adds CORS
 * headers for allowed origins, and serves the explorer.
 */
export function edgeIntercept(options: EdgeOptions) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const requestId = requestIdOf(header(req, REQUEST_ID_HEADER));
    // the GraphQL context reads the same id from the request
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    options.begin?.(req, res);

    const origin = header(req, 'origin');
    const preflight = req.method === 'OPTIONS' && !!header(req, 'access-control-request-method');
    for (const [k, v] of Object.entries(corsHeaders(options.cors, origin, preflight)))
      res.setHeader(k, v);
    if (origin) res.setHeader('vary', 'origin');
    if (preflight) {
      // an origin not allowed gets no CORS header: the browser refuses to send the request
      res.writeHead(204).end();
      return true;
    }

    const url = new URL(req.url ?? '/', 'http://localhost');
    if (options.explorer && wantsPage(req, url)) {
      const page = options.explorer();
      res.setHeader('etag', page.etag);
      // may hold a development token: kept by this browser only, revalidated on every load
      res.setHeader('cache-control', 'private, no-cache');
      if (header(req, 'if-none-match') === page.etag) {
        res.writeHead(304).end();
        return true;
      }
      const gzip = /\bgzip\b/.test(header(req, 'accept-encoding') ?? '');
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        ...(gzip ? { 'content-encoding': 'gzip' } : {}),
        vary: 'accept-encoding',
      });
      res.end(gzip ? page.gzipped : page.html);
      return true;
    }
    return false;
  };
}
