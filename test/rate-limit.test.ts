// Issue 18: per-organization and per-token budgets on request cost, 429 with Retry-After;
// in memory, or shared by several gateways through Redis (REDIS_URL, default 127.0.0.1:6379).
import { randomUUID } from 'node:crypto';
import { gatewayHttpOptions, type RateLimitOptions } from '@trellis/gateway';
import { createLogger, listen, Metrics, type RunningService } from '@trellis/kit';
import { demoOrgId } from '@trellis/prisma/seed';
import { composeSupergraph } from '@trellis/tools';
import { afterAll, describe, expect, it } from 'vitest';
import { REDIS_URL, redisUp } from './support/redis.js';
import { AUTH_SECRET, SIGNING_SECRET, supergraphForFile, token } from './support/supergraph.js';

const sg = supergraphForFile();
const ACME = demoOrgId('acme');
const QUERY = `query Organization($id: ID!) { organization(id: $id) { id name } }`;
const gateways: RunningService[] = [];
afterAll(async () => {
  for (const g of gateways) await g.close();
});

// a small plan: a handful of requests, then one cost unit back per second
const TINY: RateLimitOptions['plans'] = {
  default: {
    organization: { ratePerSecond: 1, burst: 12 },
    token: { ratePerSecond: 1, burst: 1_000 },
  },
  partner: {
    organization: { ratePerSecond: 1, burst: 1_000 },
    token: { ratePerSecond: 1, burst: 12 },
  },
};

async function gatewayWith(rateLimits: RateLimitOptions) {
  const gateway = await listen(
    gatewayHttpOptions({
      supergraphSdl: composeSupergraph(),
      subgraphUrls: sg.subgraphs,
      signingSecret: SIGNING_SECRET,
      auth: { jwtSecret: AUTH_SECRET, demoAdmin: false },
      development: false,
      warmUp: false,
      rateLimits,
      logger: createLogger('rate-limit-test', { level: 'silent' }),
      metrics: new Metrics({ defaultMetrics: false }),
    }),
    0,
  );
  gateways.push(gateway);
  return gateway.url;
}

const ask = async (url: string, bearer: string) =>
  sg.gql(QUERY, { id: ACME }, { url, token: bearer });

/** requests until the first refusal (at most `max`) */
async function spendUntilRefused(urls: string[], bearer: string, max = 40) {
  for (let i = 0; i < max; i++) {
    const res = await ask(urls[i % urls.length]!, bearer);
    if (res.status === 429) return { res, served: i };
  }
  throw new Error('never refused');
}

describe('rate limits', () => {
  it('per organization: 429 with Retry-After and RATE_LIMITED, another organization unaffected', async () => {
    const url = await gatewayWith({ plans: TINY, orgPlans: {} });
    const acme = await token({ org: ACME, scope: 'org:read' });
    const { res, served } = await spendUntilRefused([url], acme);
    expect(served).toBeGreaterThan(0);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      limit: 'organization',
    });
    expect(res.data).toBeUndefined();
    // a second token of the same organization shares its budget
    const again = await ask(url, await token({ org: ACME, sub: 'user-2', scope: 'org:read' }));
    expect(again.status).toBe(429);
    const other = await ask(url, await token({ org: demoOrgId('koeln-klima'), scope: 'org:read' }));
    expect(other.status).toBe(200);
  });

  it('per token, by the plan of its organization', async () => {
    const url = await gatewayWith({ plans: TINY, orgPlans: { [ACME]: 'partner' } });
    const first = await token({ org: ACME, sub: 'user-3', scope: 'org:read' });
    const { res } = await spendUntilRefused([url], first);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'token' });
    expect(
      (await ask(url, await token({ org: ACME, sub: 'user-4', scope: 'org:read' }))).status,
    ).toBe(200);
  });

  it('two gateways on one Redis share the budget', async (ctx) => {
    if (!(await redisUp())) {
      console.warn(`skipped: no Redis at ${REDIS_URL} (docs/ops/rate-limits.md)`);
      return ctx.skip();
    }
    const shared = {
      plans: TINY,
      orgPlans: {},
      redisUrl: REDIS_URL,
      keyPrefix: `test:${randomUUID()}:`,
    };
    const urls = [await gatewayWith(shared), await gatewayWith(shared)];
    const acme = await token({ org: ACME, scope: 'org:read' });
    const alone = await spendUntilRefused([urls[0]!], acme);
    const other = await token({ org: demoOrgId('koeln-klima'), scope: 'org:read' });
    const together = await spendUntilRefused(urls, other);
    // the same budget, whichever gateway each request reached
    expect(Math.abs(together.served - alone.served)).toBeLessThanOrEqual(1);
    expect(together.res.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });
});
