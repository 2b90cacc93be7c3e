// Load test (`pnpm load`): the flagship read (OrgCatalogWithPrices) at a fixed rate for a fixed
// time, then p50/p99 latency, errors, throughput and memory. It stops by itself.
//
// Open loop: request i is due at start + i/rate whatever the answers before it, and its latency
// counts from when it was due, so a stalled server shows in p99 instead of slowing the sender
// (no coordinated omission). A request still in flight when LOAD_MAX_IN_FLIGHT are is not
// sent and counts as an error ("dropped").
//
// Target: LOAD_URL (a running gateway; LOAD_TOKEN its bearer token, LOAD_ORG the organization,
// default the demo dealer) or, without it, a supergraph started in this process on the
// embedded demo (in-memory PGlite; TEST_DATABASE_URL's server instead when set, in a scratch
// database that is dropped at the end), so RSS is the server's.
//
// Options (environment): LOAD_RATE requests/s (default 10), LOAD_DURATION seconds (default 10),
// LOAD_FIRST entries per catalog page (default 100), LOAD_MAX_IN_FLIGHT (default 64),
// LOAD_TIMEOUT_MS per request (default 10 000). Only loopback targets belong here.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { type Database, openDatabase } from '@trellis/prisma';
import { demoOrgId, seedDemo } from '@trellis/prisma/seed';
import { migrateAll, type RunningSupergraph, startSupergraph } from '@trellis/runner';
import { composeSupergraph } from '@trellis/tools';
import { SignJWT } from 'jose';
import pg from 'pg';
import { Pool } from 'undici';
import { op } from '../support/contract.js';

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
  return v;
};
const RATE = num('LOAD_RATE', 10);
const DURATION_S = num('LOAD_DURATION', 10);
const FIRST = num('LOAD_FIRST', 100);
const MAX_IN_FLIGHT = num('LOAD_MAX_IN_FLIGHT', 64);
const TIMEOUT_MS = num('LOAD_TIMEOUT_MS', 10_000);
const SECRET = randomBytes(32).toString('base64url');

interface Target {
  url: string;
  token?: string;
  orgId: string;
  close(): Promise<void>;
}

/** A scratch database: in-memory PGlite, or a new one on TEST_DATABASE_URL's server. */
async function scratchDatabase(): Promise<{ db: Database; drop(): Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return { db: await openDatabase({ kind: 'pglite' }), drop: async () => {} };
  const name = `trellis_load_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    db: await openDatabase({ kind: 'postgres', url: url.toString() }),
    drop: () => admin(`DROP DATABASE IF EXISTS ${name}`),
  };
}

async function inProcessTarget(): Promise<Target> {
  const { db, drop } = await scratchDatabase();
  await migrateAll(db);
  await seedDemo(db);
  const flags = Object.fromEntries((await import('@trellis/kit')).FLAG_KEYS.map((k) => [k, true]));
  const running: RunningSupergraph = await startSupergraph({
    db,
    supergraphSdl: composeSupergraph(),
    flags,
    auth: { jwtSecret: SECRET, demoAdmin: false },
    signingSecret: randomBytes(32).toString('base64url'),
    port: 0,
    development: false,
    // failures are counted from the answers; requests the client gave up on may still be
    // running when the supergraph closes, and their errors would only be noise here
    logLevel: 'fatal',
    catalogSchedulerIntervalMs: 0,
  });
  const orgId = demoOrgId('koeln-klima');
  const token = await new SignJWT({ org: orgId, scope: '' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('load-test')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(SECRET));
  return {
    url: running.url,
    token,
    orgId,
    async close() {
      await running.close();
      await db.close();
      await drop();
    },
  };
}

const quantile = (sorted: number[], q: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

async function main() {
  const target: Target = process.env.LOAD_URL
    ? {
        url: process.env.LOAD_URL,
        token: process.env.LOAD_TOKEN,
        orgId: process.env.LOAD_ORG ?? demoOrgId('koeln-klima'),
        close: async () => {},
      }
    : await inProcessTarget();
  const url = new URL(target.url);
  const pool = new Pool(url.origin, { connections: MAX_IN_FLIGHT });
  const body = JSON.stringify({
    query: op('OrgCatalogWithPrices'),
    variables: { orgId: target.orgId, first: FIRST },
  });
  const headers = {
    'content-type': 'application/json',
    ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
  };

  const send = async (): Promise<string | undefined> => {
    const res = await pool.request({
      method: 'POST',
      path: url.pathname,
      headers,
      body,
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) return `HTTP ${res.statusCode}`;
    const answer = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
    const code = answer.errors?.[0]?.extensions?.code;
    return answer.errors ? `GraphQL ${code ?? 'error'}` : undefined;
  };

  // one request first: the answer must be right before its speed means anything
  const first = await send();
  if (first) throw new Error(`the flagship does not answer cleanly: ${first}`);

  const total = Math.round(RATE * DURATION_S);
  const latencies: number[] = [];
  const errors = new Map<string, number>();
  const fail = (why: string) => {
    errors.set(why, (errors.get(why) ?? 0) + 1);
  };
  let inFlight = 0;
  let peakRss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 250);
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (inFlight >= MAX_IN_FLIGHT) {
      fail('dropped (too many in flight)');
      continue;
    }
    inFlight++;
    pending.push(
      send()
        .then((problem) => {
          if (problem) fail(problem);
          else latencies.push(performance.now() - due);
        })
        .catch((error: Error) => fail(error.name || 'network error'))
        .finally(() => {
          inFlight--;
        }),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(rssTimer);
  await pool.close();

  latencies.sort((a, b) => a - b);
  const failed = [...errors.values()].reduce((a, b) => a + b, 0);
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  console.log(
    `\nflagship OrgCatalogWithPrices (${FIRST} entries per catalog) at ${RATE} req/s for ${DURATION_S} s → ${target.url}`,
  );
  console.log(`  sent ${total}, ok ${latencies.length}, errors ${failed}`);
  for (const [why, n] of errors) console.log(`    ${n} × ${why}`);
  console.log(
    `  latency (from when due): p50 ${ms(quantile(latencies, 0.5))}, p90 ${ms(quantile(latencies, 0.9))}, p99 ${ms(quantile(latencies, 0.99))}, max ${ms(latencies.at(-1) ?? Number.NaN)}`,
  );
  console.log(
    `  throughput ${(latencies.length / elapsed).toFixed(1)} ok req/s over ${elapsed.toFixed(1)} s`,
  );
  console.log(
    `  this process: RSS ${mb(process.memoryUsage().rss)} at the end, peak ${mb(peakRss)}; CPU ${((cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length)).toFixed(1)} ms per ok request${process.env.LOAD_URL ? ' (the load generator only)' : ' (server and load generator)'}`,
  );
  await target.close();
  if (failed > 0) process.exitCode = 1;
}

await main();
