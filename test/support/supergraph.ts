import {
  composeSupergraph,
  migrateAll,
  type RunningSupergraph,
  startSupergraph,
} from '@trellis/gateway';
import { FLAG_KEYS, type FlagSettings, Metrics } from '@trellis/kit';
import { type Database, seedDemo } from '@trellis/prisma';
import { SignJWT } from 'jose';
import { BACKEND, freshDatabase } from './database.js';

export const AUTH_SECRET = 'test-auth-secret-0123456789abcdef0123456789';
export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef01234567';

/** Every flag on (the demo profile). */
export const ALL_ON: FlagSettings = Object.fromEntries(FLAG_KEYS.map((k) => [k, true]));

export { BACKEND };

export interface TestSupergraph extends RunningSupergraph {
  db: Database;
  /** POSTs a GraphQL request to the gateway */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { token?: string | null; headers?: Record<string, string>; url?: string },
  ): Promise<GraphQLResponse<T>>;
  statements(subgraph: string): Promise<number>;
}

export interface GraphQLResponse<T> {
  status: number;
  data: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  headers: Headers;
}

let supergraphSdl: string | undefined;

export async function startTestSupergraph(
  options: { seed?: boolean; flags?: FlagSettings } = {},
): Promise<TestSupergraph> {
  const { db, drop } = await freshDatabase();
  await migrateAll(db);
  if (options.seed !== false) await seedDemo(db);
  supergraphSdl ??= composeSupergraph();
  const metrics = new Metrics({ defaultMetrics: false });
  const running = await startSupergraph({
    db,
    supergraphSdl,
    flags: options.flags ?? ALL_ON,
    auth: { jwtSecret: AUTH_SECRET, demoAdmin: false },
    signingSecret: SIGNING_SECRET,
    port: 0,
    development: false,
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
    metrics,
  });
  return {
    ...running,
    db,
    async gql(query, variables, opts = {}) {
      const token = opts.token === undefined ? await adminToken() : opts.token;
      const res = await fetch(opts.url ?? running.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...opts.headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data: never; errors?: never };
      return { status: res.status, data: body.data, errors: body.errors, headers: res.headers };
    },
    statements: (subgraph) => metrics.statementCount(subgraph),
    async close() {
      await running.close();
      await db.close();
      await drop();
    },
  };
}

/** A bearer token as an identity provider would issue it. */
export function token(
  claims: { sub?: string; org?: string | null; scope?: string; expiresIn?: string } = {},
) {
  const { sub = 'user-1', org = null, scope = '', expiresIn = '5m' } = claims;
  return new SignJWT({ ...(org ? { org } : {}), scope })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(AUTH_SECRET));
}

export const adminToken = () => token({ sub: 'platform-admin', scope: 'admin' });

/** The `extensions.code` of every error. */
export const codes = (res: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  (res.errors ?? []).map((e) => e.extensions?.code);

/** The first error's `extensions` (which field, which flag…). */
export const firstErrorExtensions = (res: {
  errors?: { extensions?: Record<string, unknown> }[];
}) => res.errors?.[0]?.extensions ?? {};
