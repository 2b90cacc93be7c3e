import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { FLAG_KEYS, type FlagSettings, Metrics } from '@trellis/kit';
import type { Database } from '@trellis/prisma';
import { seedDemo } from '@trellis/prisma/seed';
import {
  type EdgeSettings,
  migrateAll,
  type RunningSupergraph,
  type SupergraphOptions,
  startSupergraph,
} from '@trellis/runner';
import { composeSupergraph } from '@trellis/tools';
import { SignJWT } from 'jose';
import { afterAll, beforeAll } from 'vitest';
import { assertNoCanary, CANARY, canaryValues, registerCanary, seedCanaries } from './canaries.js';
import { BACKEND, freshDatabase } from './database.js';

const UNBOUNDED = { ratePerSecond: 1e12, burst: 1e15 };
const UNLIMITED = {
  plans: { default: { organization: UNBOUNDED, token: UNBOUNDED } },
  orgPlans: {},
};

export const AUTH_SECRET = 'test-auth-secret-0123456789abcdef0123456789';
export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef01234567';

/** Every flag on (the demo profile). */
export const ALL_ON: FlagSettings = Object.fromEntries(FLAG_KEYS.map((k) => [k, true]));

export { BACKEND };

export interface TestSupergraph extends RunningSupergraph {
  db: Database;
  /** the database's connection string (PostgreSQL), for child processes */
  databaseUrl?: string;
  /**
   * POSTs a GraphQL request to the gateway: a typed document (op, graphql) answers its type and
   * takes its variables. One signature, not an overload for plain strings: TypeScript would
   * pick that one for typed documents too whenever the variables are not a strict subtype
   * (a variable holding the input, without its optional fields) and type nothing.
   */
  gql<R = Record<string, unknown>, V = Record<string, unknown>>(
    query: string | DocumentTypeDecoration<R, V>,
    variables?: NoInfer<V>,
    options?: RequestOptions,
  ): Promise<GraphQLResponse<R>>;
  /** SQL statements a subgraph sent so far: `query` (its code's) by default, or `all` */
  statements(subgraph: string, kind?: 'query' | 'control' | 'all'): Promise<number>;
  /** every log line written so far (JSON lines) */
  logs(): string;
}

export interface RequestOptions {
  token?: string | null;
  headers?: Record<string, string>;
  url?: string;
}

export interface GraphQLResponse<T> {
  status: number;
  data: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  headers: Headers;
}

let supergraphSdl: string | undefined;

export interface TestSupergraphOptions {
  /** the demo seed (default true) */
  seed?: boolean;
  flags?: FlagSettings;
  /** connections per slice pool on PostgreSQL (default 4) */
  poolSize?: number;
  /** rows holding canary values (an engineer's e-mail and phone, a webhook secret) */
  canaries?: boolean;
  /** development mode (introspection, suggestions); default false, as in production */
  development?: boolean;
  /** what the edge offers clients (explorer, CORS, trusted documents) */
  edge?: EdgeSettings;
  /** the webhook dispatcher in the test process (default: none) */
  webhookDispatcher?: SupergraphOptions['webhookDispatcher'];
  /** the gateway's warm-up at start (default false) */
  warmUp?: boolean;
}

/**
 * A fresh database, migrated (which ensures the roles), seeded, and the whole supergraph on
 * it. Every log line is captured (`logs()`); at `close()`, and in every error body `gql`
 * answers, no canary value (seeded secrets and PII, every token this process issued, the
 * database's connection string) may appear.
 */
export async function startTestSupergraph(
  options: TestSupergraphOptions = {},
): Promise<TestSupergraph> {
  const { db, drop, url } = await freshDatabase({ poolSize: options.poolSize });
  if (url) registerCanary(url);
  registerCanary(CANARY.connectionString);
  const metrics = new Metrics({ defaultMetrics: false });
  const lines: string[] = [];
  const echo = process.env.TEST_LOG_LEVEL !== undefined;
  let running: Awaited<ReturnType<typeof startSupergraph>>;
  try {
    await migrateAll(db);
    if (options.seed !== false) await seedDemo(db);
    if (options.canaries) await seedCanaries(db);
    supergraphSdl ??= composeSupergraph();
    running = await startSupergraph({
      db,
      supergraphSdl,
      flags: options.flags ?? ALL_ON,
      auth: { jwtSecret: AUTH_SECRET, demoAdmin: false },
      signingSecret: SIGNING_SECRET,
      port: 0,
      development: options.development ?? false,
      edge: options.edge,
      // each file's statement counts and logs start clean; test/health.test.ts warms up. No
      // rate limit: a file sends thousands of requests with one token within seconds (the
      // limits have their own gateways in test/rate-limit.test.ts)
      gateway: { warmUp: options.warmUp ?? false, rateLimits: UNLIMITED },
      logLevel: process.env.TEST_LOG_LEVEL ?? 'info',
      logDestination: {
        write(line: string) {
          lines.push(line);
          if (echo) process.stdout.write(line);
        },
      },
      metrics,
      // tests announce scheduled catalog versions themselves (emitDueCatalogEvents): a timer
      // would send SQL at random moments and blur every statement count
      catalogSchedulerIntervalMs: 0,
      webhookDispatcher: options.webhookDispatcher ?? false,
      slaSchedulerIntervalMs: 0,
    });
  } catch (error) {
    // a failed start leaves no database behind
    await db.close();
    await drop();
    throw error;
  }
  return {
    ...running,
    db,
    databaseUrl: url,
    async gql(
      query: string | DocumentTypeDecoration<unknown, never>,
      variables?: unknown,
      opts: RequestOptions = {},
    ) {
      const token = opts.token === undefined ? await adminToken() : opts.token;
      const res = await fetch(opts.url ?? running.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...opts.headers,
        },
        body: JSON.stringify({ query: String(query), variables }),
      });
      const body = (await res.json()) as { data: never; errors?: never };
      if (body.errors) assertNoCanary(JSON.stringify(body.errors), 'an error body');
      return { status: res.status, data: body.data, errors: body.errors, headers: res.headers };
    },
    statements: (subgraph, kind) => metrics.statementCount(subgraph, kind),
    logs: () => lines.join(''),
    async close() {
      await running.close();
      await db.close();
      await drop();
      assertNoCanary(lines.join(''), 'the logs');
    },
  };
}

/**
 * The supergraph of a test file: started before its tests (`beforeAll`) and closed after them
 * (`afterAll`). Its members are the running supergraph's, there from the first test on.
 */
export function supergraphForFile(options: TestSupergraphOptions = {}): TestSupergraph {
  let running: TestSupergraph | undefined;
  beforeAll(async () => {
    running = await startTestSupergraph(options);
  });
  afterAll(() => running?.close());
  return new Proxy({} as TestSupergraph, {
    get(_, member) {
      if (!running) throw new Error('the supergraph starts before the tests: use it inside one');
      return Reflect.get(running, member);
    },
  });
}

export { canaryValues };

/** A bearer token as an identity provider would issue it. */
export async function token(
  claims: { sub?: string; org?: string | null; scope?: string; expiresIn?: string } = {},
) {
  const { sub = 'user-1', org = null, scope = '', expiresIn = '5m' } = claims;
  const jwt = await new SignJWT({ ...(org ? { org } : {}), scope })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(AUTH_SECRET));
  // a bearer token must never be written to a log or an error
  registerCanary(jwt);
  return jwt;
}

export const adminToken = () => token({ sub: 'platform-admin', scope: 'admin' });

/** The `extensions.code` of every error. */
export const codes = (res: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  (res.errors ?? []).map((e) => e.extensions?.code);

/** The first error's `extensions` (which field, which flag…). */
export const firstErrorExtensions = (res: {
  errors?: { extensions?: Record<string, unknown> }[];
}) => res.errors?.[0]?.extensions ?? {};
