// WORKERS=2: the all-in-one runtime as one process per core on PostgreSQL. Both workers serve
// the same port, a scrape of any of them counts every request once, they spend one rate limit, a worker that dies is
// started again while the other answers, and SIGTERM to the primary stops them all.
import { Agent, request } from 'node:http';
import { openDatabase } from '@trellis/prisma';
import { demoOrgId, seedDemo } from '@trellis/prisma/seed';
import { migrateAll } from '@trellis/runner';
import { SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { OrgCatalogWithPricesDocument } from './__generated__/contract.js';
import { BACKEND, freshDatabase } from './support/database.js';
import { freePort, startTrellis, type TrellisProcess } from './support/process.js';
import { REDIS_URL, redisUp } from './support/redis.js';

const AUTH_SECRET = 'workers-auth-secret-0123456789abcdef0123';
const closing: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closing.reverse()) await close();
});

const pidsOf = (output: string, msg: string) =>
  new Set(
    output
      .split('\n')
      .filter((line) => line.includes(`"msg":"${msg}"`))
      .map((line) => (JSON.parse(line) as { pid: number }).pid),
  );

describe.skipIf(BACKEND !== 'postgres')('WORKERS=2 on PostgreSQL', () => {
  it('two workers share the port and the metrics; a dead one comes back; SIGTERM stops all', async (ctx) => {
    if (!(await redisUp())) {
      console.warn(`skipped: no Redis at ${REDIS_URL} (WORKERS needs it for rate limits)`);
      ctx.skip();
    }
    const scratch = await freshDatabase();
    await migrateAll(scratch.db);
    await seedDemo(scratch.db);
    await scratch.db.close();
    closing.push(scratch.drop);
    const port = await freePort();
    const trellis: TrellisProcess = startTrellis({
      PORT: String(port),
      DATABASE_URL: scratch.url!,
      WORKERS: '2',
      REDIS_URL,
      GATEWAY_SIGNING_SECRET: 'workers-signing-secret-0123456789abcdef01',
      AUTH_JWT_SECRET: AUTH_SECRET,
      WEBHOOK_SECRET_KEY: 'workers-webhook-key-0123456789abcdef0123',
      // Köln Klima's tokens may spend 5 cost units, about none back during the test
      RATE_LIMIT_PLANS: JSON.stringify({
        tight: {
          organization: { ratePerSecond: 1000, burst: 100_000 },
          token: { ratePerSecond: 0.001, burst: 5 },
        },
      }),
      RATE_LIMIT_ORG_PLANS: `${demoOrgId('koeln-klima')}=tight`,
      // a loaded machine must not turn slow answers into partial ones
      SUBGRAPH_TIMEOUT_MS: '60000',
      REQUEST_TIMEOUT_MS: '120000',
    });
    closing.push(async () => {
      if (trellis.child.exitCode === null) trellis.child.kill('SIGKILL');
    });
    await trellis.waitFor(/Trellis is up/);
    const listening = trellis.output().split('Trellis is up')[0]!;
    expect(pidsOf(listening, 'worker listening').size).toBe(2);

    const token = await new SignJWT({ scope: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('workers-test')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(AUTH_SECRET));
    const body = JSON.stringify({
      query: String(OrgCatalogWithPricesDocument),
      variables: { orgId: demoOrgId('koeln-klima'), first: 20 },
    });
    const flagship = async () => {
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
      });
      const json = (await res.json()) as { data?: unknown; errors?: unknown };
      expect(res.status, JSON.stringify(json.errors)).toBe(200);
      expect(json.errors).toBeUndefined();
      return JSON.stringify(json.data);
    };
    // four connections at a time: the primary hands them to the workers in turn
    const answers: string[] = [];
    for (let round = 0; round < 5; round++)
      answers.push(...(await Promise.all([flagship(), flagship(), flagship(), flagship()])));
    expect(new Set(answers).size).toBe(1);
    expect(pidsOf(trellis.output(), 'request').size).toBe(2);

    // every scrape, whichever worker answers it, counts the 20 requests and both warm-ups once
    const flagshipCount = async () => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const line = text
        .split('\n')
        .find((l) =>
          l.startsWith(
            'graphql_request_duration_seconds_count{service="gateway",operation="OrgCatalogWithPrices"}',
          ),
        );
      return Number(line?.split(' ')[1]);
    };
    for (let i = 0; i < 4; i++) expect(await flagshipCount()).toBe(22);
    // a gauge every worker reads from the database is that reading, not one per worker
    const listings = async () => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return text
        .split('\n')
        .filter((l) => l.startsWith('catalog_listings{'))
        .reduce((sum, l) => sum + Number(l.split(' ')[1]), 0);
    };
    const check = await openDatabase({ kind: 'postgres', url: scratch.url!, poolSize: 1 });
    const [inForce] = await check.query<{ n: number }>(
      `SELECT COALESCE(sum(v.entry_count), 0)::int AS n FROM catalog.channel_catalog h
        JOIN LATERAL (SELECT c.entry_count FROM catalog.catalog_version c
          WHERE c.channel_id = h.channel_id AND c.effective_at <= now()
          ORDER BY c.version DESC LIMIT 1) v ON true`,
    );
    await check.close();
    expect(inForce!.n).toBeGreaterThan(0);
    expect(await listings()).toBe(inForce!.n);

    // one budget for both: spent on one connection (one worker), refused on fresh ones (both)
    const tight = await new SignJWT({ org: demoOrgId('koeln-klima'), scope: 'org:read' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(`workers-test-${Date.now()}`)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(AUTH_SECRET));
    const typename = (agent: Agent | false) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          `http://127.0.0.1:${port}/graphql`,
          {
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${tight}` },
          },
          (res) => res.resume().on('end', () => resolve(res.statusCode!)),
        );
        req.on('error', reject);
        req.end('{"query":"{ __typename }"}');
      });
    const kept = new Agent({ keepAlive: true, maxSockets: 1 });
    const spent: number[] = [];
    for (let i = 0; i < 6; i++) spent.push(await typename(kept));
    kept.destroy();
    expect(spent).toEqual([200, 200, 200, 200, 200, 429]);
    expect(await Promise.all([1, 2, 3, 4].map(() => typename(false)))).toEqual([
      429, 429, 429, 429,
    ]);

    // a worker killed outright is started again; the other answers meanwhile
    const [victim] = pidsOf(trellis.output(), 'worker listening');
    process.kill(victim!, 'SIGKILL');
    await trellis.waitFor(/worker exited; starting it again/);
    expect(await flagship()).toBe(answers[0]);
    await expect
      .poll(() => pidsOf(trellis.output(), 'worker listening').size, { timeout: 60_000 })
      .toBe(3);

    trellis.child.kill('SIGTERM');
    expect(await trellis.exited).toBe(0);
    // the primary and both workers
    expect(pidsOf(trellis.output(), 'stopped').size).toBe(3);
  }, 240_000);
});
