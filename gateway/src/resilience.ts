import { type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { DEADLINE_HEADER, type Logger, type Metrics } from '@trellis/kit';
import { BrokenCircuitError, ConsecutiveBreaker, circuitBreaker, handleWhen } from 'cockatiel';
import {
  type DocumentNode,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import type { GatewayContext } from './context.js';
import { type LocalSubgraph, localFetch } from './fetcher.js';

type GatewayGraphQLResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;
type ProcessOptions = GraphQLDataSourceProcessOptions<GatewayContext>;
type GatewayGraphQLRequest = ProcessOptions['request'];

/** How the gateway treats one subgraph that is slow or down (docs/ops/resilience.md). */
export interface ResilienceOptions {
  /** the longest one fetch may take (default 5 s); the request's own deadline may cut it */
  timeoutMs: number;
  /** consecutive failures that open the circuit (default 5) */
  breakerFailures: number;
  /** how long an open circuit refuses before it lets one probe through (default 10 s) */
  halfOpenAfterMs: number;
  /** retries allowed per fetch sent, on top of `RetryBudget`'s floor (default 0.1) */
  retryRatio: number;
}

export const DEFAULT_RESILIENCE: ResilienceOptions = {
  timeoutMs: 5_000,
  breakerFailures: 5,
  halfOpenAfterMs: 10_000,
  retryRatio: 0.1,
};

/**
 * Retries are paid from a budget so that an outage does not multiply the load on a subgraph
 * that is already struggling: every fetch deposits `ratio` of a retry, a retry withdraws one;
 * the budget starts with (and never holds more than) `floor`/`cap` retries.
 */
export class RetryBudget {
  private tokens: number;
  constructor(
    private readonly ratio: number,
    readonly floor = 3,
    private readonly cap = 10,
  ) {
    this.tokens = floor;
  }
  deposit() {
    this.tokens = Math.min(this.cap, this.tokens + this.ratio);
  }
  withdraw(): boolean {
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The connection failed or broke before an answer: nothing says the subgraph did the work. */
export function isConnectionError(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as never) {
    if (typeof e.code === 'string' && CONNECTION_ERRORS.has(e.code)) return true;
    if (e.cause === e) break;
  }
  return false;
}

/** The subgraph answered an HTTP status ≥ 500 (Apollo's data source throws it with the status). */
const isServerError = (error: unknown): boolean => {
  const status = (error as { extensions?: { response?: { status?: number } } }).extensions?.response
    ?.status;
  return typeof status === 'number' && status >= 500;
};

/** A subgraph that is down or too slow, as opposed to a request it answered with an error. */
class Unavailable extends Error {
  constructor(
    readonly reason: 'timeout' | 'connection' | 'server_error',
    override readonly cause: unknown,
  ) {
    super(`subgraph unavailable: ${reason}`);
  }
}

export const UNAVAILABLE_MESSAGE = 'This part of the answer is unavailable right now';

const responseKeys = (selections: SelectionSetNode | undefined, typename?: string): string[] => {
  const keys: string[] = [];
  for (const s of selections?.selections ?? []) {
    if (s.kind === Kind.FIELD) {
      if (s.name.value !== '__typename') keys.push(s.alias?.value ?? s.name.value);
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      if (!typename || !s.typeCondition || s.typeCondition.name.value === typename)
        keys.push(...responseKeys(s.selectionSet, typename));
    }
  }
  return [...new Set(keys)];
};

/**
 * What the gateway merges in place of a subgraph's answer it could not get: no data, and one
 * SUBGRAPH_UNAVAILABLE error per field the fetch was to provide, with its path in the fetch
 * (`_entities`, index, field for entity fetches), which the gateway maps to the path in the
 * client's answer. Nothing names the subgraph or its host.
 */
export function unavailableResponse(
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
): GatewayGraphQLResponse {
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const error = (path: (string | number)[]) => ({
    message: UNAVAILABLE_MESSAGE,
    path,
    extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
  });
  const representations = variables?.representations;
  const root = operation?.selectionSet.selections[0];
  if (
    Array.isArray(representations) &&
    root?.kind === Kind.FIELD &&
    root.name.value === '_entities'
  ) {
    return {
      data: null,
      errors: representations.flatMap((r: { __typename?: string }, i) =>
        responseKeys(root.selectionSet, r.__typename).map((key) => error(['_entities', i, key])),
      ),
    };
  }
  return { data: null, errors: responseKeys(operation?.selectionSet).map((k) => error([k])) };
}

const OUTCOMES = ['ok', 'timeout', 'connection', 'server_error', 'open', 'error'] as const;
type Outcome = (typeof OUTCOMES)[number];

/** RED metrics of the gateway's subgraph fetches and the state of each circuit. */
export function fetchMetrics(metrics: Metrics) {
  return {
    duration: metrics.histogram(
      'gateway_subgraph_fetch_duration_seconds',
      'Subgraph fetches by the gateway: count, latency and outcome (ok, timeout, connection, server_error, open = refused by an open circuit, error = answered but not usable)',
      ['subgraph', 'outcome'],
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 2.5, 5, 10],
    ),
    retries: metrics.counter(
      'gateway_subgraph_retries_total',
      'Subgraph fetches retried after a connection error (idempotent queries, within the retry budget)',
      ['subgraph'],
    ),
    circuit: metrics.gauge(
      'gateway_subgraph_circuit_state',
      'Circuit breaker per subgraph: 0 closed, 1 half-open (probing), 2 open (refusing)',
      ['subgraph'],
      // several workers: the worst of their circuits
      'max',
    ),
  };
}

export interface ResilientDataSourceConfig {
  name: string;
  url: string;
  fetcher: RemoteGraphQLDataSource['fetcher'];
  willSendRequest(options: ProcessOptions): Promise<void>;
  /** the subgraph, when it runs in this process: called without HTTP (`localFetch`) */
  local?: LocalSubgraph;
  options: ResilienceOptions;
  metrics: ReturnType<typeof fetchMetrics>;
  logger: Logger;
}

/**
 * The documents of the operations the gateway sends, by text: a plan's fetches are the same
 * strings request after request, and parsing pricing's on every flagship request cost more than
 * the rest of a fetch's bookkeeping. Bounded: plans, and so their fetches, come from clients.
 */
const fetchDocuments = new LRUCache<string, DocumentNode>({ max: 2_000 });
const documentOf = (query: string): DocumentNode => {
  let document = fetchDocuments.get(query);
  if (!document) {
    document = parse(query);
    fetchDocuments.set(query, document);
  }
  return document;
};

/** The deadline of each fetch in flight, read when its headers are set (`willSendRequest`). */
const fetchDeadlines = new WeakMap<ProcessOptions, number>();

const CIRCUIT_STATE = { closed: 0, halfOpen: 1, open: 2 } as const;

/**
 * A subgraph behind a timeout, a circuit breaker and a retry budget. Whatever goes wrong with
 * the subgraph itself (timeout, refused or broken connection, HTTP 5xx, open circuit) becomes
 * a partial answer (`unavailableResponse`); the cause is logged once with the subgraph's name.
 * Only queries are retried, only after connection errors, and only within the budget and the
 * deadline: a mutation that may have reached the subgraph is never sent twice.
 */
export class ResilientDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly breaker;
  private readonly budget;
  private readonly subgraph: string;
  private readonly resilience: ResilienceOptions;
  private readonly fetches: ReturnType<typeof fetchMetrics>;
  private readonly log: Logger;

  constructor({
    name,
    local,
    options,
    metrics,
    logger,
    willSendRequest,
    ...config
  }: ResilientDataSourceConfig) {
    super({
      ...config,
      async willSendRequest(o) {
        await willSendRequest(o);
        const deadline = fetchDeadlines.get(o);
        if (deadline !== undefined)
          o.request.http?.headers.set(DEADLINE_HEADER, String(Math.max(0, deadline - Date.now())));
      },
    });
    this.subgraph = name;
    // `sendRequest` is private in Apollo's typings but called through `this`: a subgraph of this
    // process gets the request as an object and hands its answer back as one — no JSON printed
    // and parsed on either side (a flagship's pricing fetch carries 142 representations), and
    // none of the HTTP client's request objects
    if (local) Object.assign(this, { sendRequest: this.sendLocal.bind(this, local) });
    this.resilience = options;
    this.fetches = metrics;
    this.log = logger;
    this.budget = new RetryBudget(options.retryRatio);
    this.breaker = circuitBreaker(
      handleWhen((e) => e instanceof Unavailable),
      {
        halfOpenAfter: options.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(options.breakerFailures),
      },
    );
    const gauge = this.fetches.circuit.labels({ subgraph: name });
    gauge.set(CIRCUIT_STATE.closed);
    this.breaker.onBreak(() => {
      gauge.set(CIRCUIT_STATE.open);
      this.log.warn(
        { subgraph: name },
        'circuit opened: the subgraph is refused until a probe succeeds',
      );
    });
    this.breaker.onHalfOpen(() => gauge.set(CIRCUIT_STATE.halfOpen));
    this.breaker.onReset(() => {
      gauge.set(CIRCUIT_STATE.closed);
      this.log.info({ subgraph: name }, 'circuit closed: the subgraph answers again');
    });
  }

  /** This fetch's deadline: the subgraph's timeout, cut by the request's own deadline. */
  private deadlineOf(context: GatewayContext | undefined): number {
    const own = Date.now() + this.resilience.timeoutMs;
    return context?.deadline ? Math.min(own, context.deadline) : own;
  }

  override async process(options: ProcessOptions): Promise<GatewayGraphQLResponse> {
    const started = performance.now();
    const deadline = this.deadlineOf(options.context as GatewayContext | undefined);
    const document =
      ('document' in options ? options.document : undefined) ??
      documentOf(options.request.query ?? '{__typename}');
    const idempotent = document.definitions.every(
      (d: DocumentNode['definitions'][number]) =>
        d.kind !== Kind.OPERATION_DEFINITION || d.operation === 'query',
    );
    this.budget.deposit();
    let outcome: Outcome = 'ok';
    try {
      return await this.breaker.execute(() => this.attempt(options, deadline, idempotent));
    } catch (error) {
      if (error instanceof BrokenCircuitError) outcome = 'open';
      else if (error instanceof Unavailable) {
        outcome = error.reason;
        this.log.warn(
          { subgraph: this.subgraph, reason: error.reason, err: error.cause },
          'subgraph unavailable: answering without its fields',
        );
      } else {
        outcome = 'error';
        throw error;
      }
      return unavailableResponse(document, options.request.variables);
    } finally {
      this.fetches.duration.observe(
        { subgraph: this.subgraph, outcome },
        (performance.now() - started) / 1000,
      );
    }
  }

  private async sendLocal(
    local: LocalSubgraph,
    request: GatewayGraphQLRequest,
  ): Promise<GatewayGraphQLResponse> {
    const { http, ...fields } = request;
    // as JSON would carry it: a field left undefined is absent (Apollo refuses it otherwise)
    const body: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(fields)) if (value !== undefined) body[name] = value;
    const response = await localFetch(local, http ? Object.fromEntries(http.headers) : {}, body);
    if (!response.ok) throw await this.errorFromResponse(response);
    return { ...(response.result as object), http: response };
  }

  private async attempt(
    options: ProcessOptions,
    deadline: number,
    idempotent: boolean,
  ): Promise<GatewayGraphQLResponse> {
    fetchDeadlines.set(options, deadline);
    // one retry at most: a second connection error in a row is an outage, not a blip
    for (let retried = false; ; retried = true) {
      if (Date.now() >= deadline) throw new Unavailable('timeout', undefined);
      try {
        return await super.process(options);
      } catch (error) {
        if (Date.now() >= deadline) throw new Unavailable('timeout', error);
        if (isServerError(error)) throw new Unavailable('server_error', error);
        if (!isConnectionError(error)) throw error;
        if (!idempotent || retried || !this.budget.withdraw())
          throw new Unavailable('connection', error);
        this.fetches.retries.inc({ subgraph: this.subgraph });
      }
    }
  }
}
