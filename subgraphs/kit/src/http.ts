import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApolloServer, type BaseContext, HeaderMap } from '@apollo/server';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

export const MAX_BODY_BYTES = 512 * 1024;

export interface HttpServiceOptions<C extends BaseContext> {
  name: string;
  apollo: ApolloServer<C>;
  /** builds the GraphQL context; throw a GraphQLError to refuse the request */
  context: (req: IncomingMessage) => Promise<C>;
  ready: () => Promise<boolean>;
  metrics: Metrics;
  logger: Logger;
  /**
   * runs first on every request (the gateway's edge: request id, CORS, explorer); answers
   * true when it has sent the response itself
   */
  intercept?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
  /** runs each GraphQL request inside a scope (a subgraph's tenancy scope and deadline) */
  requestScope?: <T>(req: IncomingMessage, run: () => Promise<T>) => Promise<T>;
}

export interface RunningService {
  url: string;
  port: number;
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: string, type = 'application/json') {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

/** One HTTP listener: GraphQL at `/graphql` (and `/` for POST), `/health`, `/ready`, `/metrics`. */
export function httpHandler<C extends BaseContext>(options: HttpServiceOptions<C>) {
  const { apollo, metrics, logger } = options;
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (options.intercept && (await options.intercept(req, res))) return;
      if (req.method === 'GET' && url.pathname === '/health') {
        return send(res, 200, JSON.stringify({ status: 'ok', service: options.name }));
      }
      if (req.method === 'GET' && url.pathname === '/ready') {
        const ok = await options.ready().catch(() => false);
        return send(res, ok ? 200 : 503, JSON.stringify({ ready: ok, service: options.name }));
      }
      if (req.method === 'GET' && url.pathname === '/metrics') {
        return send(res, 200, await metrics.registry.metrics(), metrics.registry.contentType);
      }
      if (url.pathname !== '/graphql' && url.pathname !== '/')
        return send(res, 404, '{"error":"not found"}');

      const headers = new HeaderMap();
      for (const [k, v] of Object.entries(req.headers)) {
        if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
      }
      const raw = req.method === 'POST' ? await readBody(req) : '';
      let body: unknown = raw;
      if (raw && (headers.get('content-type') ?? '').includes('application/json')) {
        try {
          body = JSON.parse(raw);
        } catch {
          return send(
            res,
            400,
            JSON.stringify({
              errors: [{ message: 'body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }],
            }),
          );
        }
      }
      const execute = () =>
        apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
          context: () => options.context(req),
        });
      const response = await (options.requestScope
        ? options.requestScope(req, execute)
        : execute());
      for (const [k, v] of response.headers) res.setHeader(k, v);
      res.statusCode = response.status ?? 200;
      if (response.body.kind === 'complete') return res.end(response.body.string);
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        return send(
          res,
          413,
          JSON.stringify({
            errors: [{ message: 'request body too large', extensions: { code: 'BAD_REQUEST' } }],
          }),
        );
      }
      logger.error({ err: error }, 'http handler failed');
      if (!res.headersSent)
        send(
          res,
          500,
          JSON.stringify({
            errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
          }),
        );
    }
  };
}

export async function listen<C extends BaseContext>(
  options: HttpServiceOptions<C>,
  port: number,
  host = '127.0.0.1',
): Promise<RunningService> {
  await options.apollo.start();
  const server: Server = createServer(httpHandler(options));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    port: actual,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actual}/graphql`,
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await options.apollo.stop();
    },
  };
}
