import { randomBytes } from 'node:crypto';
import { startSupergraph, migrateAll, type RunningSupergraph } from '@trellis/gateway';
import { type FlagSettings, FLAG_KEYS, Metrics } from '@trellis/kit';
import { type Database, openDatabase, seedDemo } from '@trellis/prisma';
import { composeSupergraph } from '@trellis/gateway';
import { SignJWT } from 'jose';
import pg from 'pg';

export const AUTH_SECRET = 'test-auth-secret-0123456789abcdef0123456789';
export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef01234567';

/** Every flag on (the demo profile). */
export const ALL_ON: FlagSettings = Object.fromEntries(FLAG_KEYS.map((k) => [k, true]));

/** `pglite` by default; `postgres` when TEST_BACKEND=postgres (needs TEST_DATABASE_URL). */
export const BACKEND = process.env.TEST_BACKEND === 'postgres' ? 'postgres' : 'pglite';

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

/** A fresh database for one test file: in-memory PGlite, or a new PostgreSQL database. */
async function freshDatabase(): Promise<{ db: Database; drop(): Promise<void> }> {
  if (BACKEND === 'pglite') {
    const db = await openDatabase({ kind: 'pglite' });
    return { db, drop: async () => {} };
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_BACKEND=postgres needs TEST_DATABASE_URL');
  const name = `trellis_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 4 });
  return {
    db,
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
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
export function token(claims: { sub?: string; org?: string | null; scope?: string; expiresIn?: string } = {}) {
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
