import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ApolloServer,
  type BaseContext,
  HeaderMap,
  type HTTPGraphQLResponse,
} from '@apollo/server';
import { handOverResult } from './apollo.js';
import { REQUEST_ID_HEADER } from './caller.js';
import { inRequestLog, type Logger, logRequestId } from './logger.js';
import type { Metrics } from './metrics.js';
import { inServerSpan } from './tracing.js';

export const MAX_BODY_BYTES = 512 * 1024;

export interface HttpServiceOptions<C extends BaseContext> {
  name: string;
  apollo: ApolloServer<C>;
  /** builds the GraphQL context; throw a GraphQLError to refuse the request */
  context: (req: IncomingMessage) => Promise<C>;
  ready: () => Promise<boolean>;
  metrics: Metrics;
  /**
   * `/metrics` here (default true). The all-in-one mode serves its one registry on the
   * gateway's port only, every series labelled by service: a scrape of every port would
   * count each series once per port.
   */
  serveMetrics?: boolean;
  logger: Logger;
  /**
   * runs first on every request (the gateway's edge: request id, CORS, explorer); answers
   * true when it has sent the response itself
   */
  intercept?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
  /**
   * runs once the listener is up (the gateway's warm-up); `/ready` answers 503 until it has
   * settled
   */
  warmUp?: () => Promise<void>;
  /**
   * runs each GraphQL request inside a scope (a subgraph's tenancy scope and deadline); the
   * answer is sent before the scope ends
   */
  requestScope?: <T>(req: IncomingMessage, run: () => Promise<T>) => Promise<T>;
}

export interface RunningService {
  url: string;
  port: number;
  /** settled when the warm-up has run (at once without one) */
  warmed: Promise<void>;
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

const INTERNAL_ERROR = {
  errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
};

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

/** What a GraphQL request is read from: an HTTP request, or a local call's stand-in. */
type RequestHead = Pick<IncomingMessage, 'method' | 'url' | 'headers'>;

/**
 * One HTTP listener: GraphQL at `/graphql` (and `/` for POST), `/health`, `/ready`, `/metrics`.
 * Each request runs in its own log scope (its request id on every line) and, while tracing, in
 * its SERVER span.
 */
export function httpHandler<C extends BaseContext>(options: HttpServiceOptions<C>) {
  const handle = requestHandler(options);
  return (req: IncomingMessage, res: ServerResponse) =>
    inRequestLog(() =>
      inServerSpan(
        options.name,
        req,
        () => handle(req, res),
        () => res.statusCode,
      ),
    );
}

/**
 * Runs one GraphQL request (its body already read) through Apollo inside the service's request
 * scope, and hands the answer to `respond` inside that scope: what the scope ends (a read-only
 * transaction's COMMIT) happens after the caller has the answer, not before.
 */
function graphqlRunner<C extends BaseContext>(options: HttpServiceOptions<C>) {
  const { apollo } = options;
  return (
    req: RequestHead,
    headers: HeaderMap,
    search: string,
    body: unknown,
    respond: (response: HTTPGraphQLResponse) => Promise<void> | void,
  ) => {
    // the edge has settled the request id by now (a subgraph gets the gateway's)
    const requestId = req.headers[REQUEST_ID_HEADER];
    logRequestId(Array.isArray(requestId) ? requestId[0] : requestId);
    const answer = async () =>
      respond(
        await apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: req.method ?? 'GET', headers, search, body },
          context: () => options.context(req as IncomingMessage),
        }),
      );
    return options.requestScope ? options.requestScope(req as IncomingMessage, answer) : answer();
  };
}

function requestHandler<C extends BaseContext>(options: HttpServiceOptions<C>) {
  const { metrics, logger } = options;
  const run = graphqlRunner(options);
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
        if (options.serveMetrics === false)
          return send(res, 404, '{"error":"metrics are served on the gateway port"}');
        return send(res, 200, await metrics.scrape(), metrics.registry.contentType);
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
      await run(req, headers, url.search, body, async (response) => {
        for (const [k, v] of response.headers) res.setHeader(k, v);
        res.statusCode = response.status ?? 200;
        if (response.body.kind === 'complete') return void res.end(response.body.string);
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      });
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
      if (!res.headersSent) send(res, 500, JSON.stringify(INTERNAL_ERROR));
    }
  };
}

/** A GraphQL request handed to a service in the same process (no HTTP, no JSON text). */
export interface LocalRequest {
  /** lower-case names, as an HTTP request's */
  headers: Record<string, string>;
  /** the parsed JSON body */
  body: unknown;
}

export interface LocalResponse {
  status: number;
  headers: HeaderMap;
  /** the answer as Apollo formatted it, not printed (see `handOverResult`) */
  result: unknown;
}

/**
 * A service called in-process, as the all-in-one runtime's gateway calls its subgraphs: the same
 * request scope, context, plugins and answer as over HTTP (`httpHandler`), without a socket, and
 * with the answer handed over as an object instead of printed and parsed again. Only GraphQL
 * requests come this way; health and metrics stay on the listener.
 */
export function localHandler<C extends BaseContext>(
  options: HttpServiceOptions<C>,
): (request: LocalRequest) => Promise<LocalResponse> {
  const run = graphqlRunner(options);
  return async (request) => {
    // a hop yields to the event loop, as one over a socket does: on the embedded database no
    // statement does, and a request's hops alone would otherwise keep new connections,
    // timers and other clients waiting until it is answered
    await new Promise((r) => setImmediate(r));
    return new Promise<LocalResponse>((resolve) => {
      const req: RequestHead = { method: 'POST', url: '/graphql', headers: request.headers };
      const headers = new HeaderMap();
      for (const [k, v] of Object.entries(request.headers)) headers.set(k, v);
      let status = 200;
      // answered as soon as Apollo has the answer; the request scope ends after (its COMMIT)
      const respond = async (response: HTTPGraphQLResponse, handed: () => unknown) => {
        status = response.status ?? 200;
        let text = response.body.kind === 'complete' ? response.body.string : '';
        if (response.body.kind === 'chunked')
          for await (const chunk of response.body.asyncIterator) text += chunk;
        resolve({
          status,
          headers: response.headers,
          // an answer Apollo printed itself (a refusal before execution) is read back
          result: text === '' ? handed() : JSON.parse(text),
        });
      };
      inRequestLog(() =>
        inServerSpan(
          options.name,
          req,
          () =>
            handOverResult((handed) =>
              run(req, headers, '', request.body, (response) => respond(response, handed)),
            ),
          () => status,
        ),
      ).catch((error: unknown) => {
        options.logger.error({ err: error }, 'local request failed');
        status = 500;
        resolve({
          status,
          headers: new HeaderMap([['content-type', 'application/json']]),
          result: INTERNAL_ERROR,
        });
      });
    });
  };
}

/** A listener refused because its port is taken, named so the operator knows which. */
export class PortInUse extends Error {
  constructor(
    readonly port: number,
    readonly host: string,
  ) {
    super(`port ${port} on ${host} is already in use (is Trellis already running?)`);
  }
}

const bind = (server: Server, port: number, host: string) =>
  new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUse(port, host) : error),
    );
    server.listen(port, host, resolve);
  });

/**
 * Throws `PortInUse` naming the first of `ports` that is taken: checked before a start
 * migrates anything, so a second start on a used port changes nothing.
 */
export async function assertPortsFree(ports: readonly number[], host = '127.0.0.1') {
  for (const port of ports) {
    if (port === 0) continue;
    const probe = createServer();
    await bind(probe, port, host);
    await new Promise((r) => probe.close(r));
  }
}

/** How long `close()` lets requests in flight finish before it cuts their connections. */
export const DEFAULT_GRACE_MS = 10_000;

/** How long a closing listener still accepts (and reads what was sent before the stop). */
const DRAIN_MS = 500;
/** How often a closing listener closes the connections that went idle. */
const IDLE_SWEEP_MS = 250;

export async function listen<C extends BaseContext>(
  options: HttpServiceOptions<C>,
  port: number,
  host = '127.0.0.1',
  graceMs = DEFAULT_GRACE_MS,
): Promise<RunningService> {
  await options.apollo.start();
  const state = { warm: !options.warmUp, closing: false };
  const handle = httpHandler({
    ...options,
    // not ready before the warm-up, nor once stopping (a load balancer drains this instance)
    ready: async () => state.warm && !state.closing && (await options.ready()),
  });
  const server: Server = createServer((req, res) => {
    // keep-alive clients open a new connection elsewhere for their next request
    if (state.closing) res.setHeader('connection', 'close');
    return handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  let accepted = 0;
  server.on('connection', () => {
    accepted++;
  });
  await bind(server, port, host);
  const actual = (server.address() as AddressInfo).port;
  const warmed = (options.warmUp?.() ?? Promise.resolve())
    .catch((err) => options.logger.warn({ err }, 'warm-up failed'))
    .finally(() => {
      state.warm = true;
    });
  return {
    port: actual,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actual}/graphql`,
    warmed,
    /**
     * Stops accepting connections, lets the requests in flight finish (up to `graceMs`), then
     * cuts what is left and stops Apollo.
     */
    async close() {
      state.closing = true;
      // Node's `server.close()` also closes the connections it counts as idle, and a connection
      // whose request has arrived but not been read yet (on a busy event loop, a while) counts
      // as idle. So the listener keeps accepting for a moment, answering with `connection:
      // close`, until what clients sent before the stop has been read.
      await new Promise((r) => setTimeout(r, DRAIN_MS));
      // A blocked event loop runs that timer before it accepts what waits in the listen
      // backlog, and closing then would reset those connections: the listener stays open until
      // a turn of the loop (its poll phase accepts and reads) brings no new connection.
      const until = Date.now() + DRAIN_MS;
      for (let seen = -1; seen !== accepted && Date.now() < until; ) {
        seen = accepted;
        await new Promise((r) => setImmediate(r));
      }
      const closed = new Promise<void>((r) => server.close(() => r()));
      // a keep-alive connection whose answer was under way at the stop goes idle later: those
      // are closed as they do, and only busy connections are waited for
      const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise((r) => {
        timer = setTimeout(r, graceMs);
      });
      await Promise.race([closed, grace]);
      clearInterval(sweep);
      clearTimeout(timer);
      server.closeAllConnections();
      await options.apollo.stop();
    },
  };
}
