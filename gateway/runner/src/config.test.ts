import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { gatewayConfig } from './config.js';

const SECRETS = {
  GATEWAY_SIGNING_SECRET: 'signing-secret-0123456789abcdef0123456789',
  AUTH_JWT_SECRET: 'auth-secret-0123456789abcdef0123456789ab',
};
const parse = (env: Record<string, string>) => gatewayConfig.parse(env);

describe('gatewayConfig: production unless told otherwise, wherever a real database is', () => {
  it('with DATABASE_URL and no NODE_ENV: production, introspection and explorer off', () => {
    const c = parse({ DATABASE_URL: 'postgresql://db/trellis', ...SECRETS });
    expect(c).toMatchObject({
      environment: 'production',
      development: false,
      introspection: false,
      explorer: false,
      demoAdmin: false,
      corsOrigins: [],
    });
  });

  it('turns introspection and the explorer on only when asked', () => {
    const c = parse({
      DATABASE_URL: 'postgresql://db/trellis',
      EXPLORER: 'on',
      INTROSPECTION: 'on',
      ...SECRETS,
    });
    expect(c).toMatchObject({ environment: 'production', explorer: true, introspection: true });
  });

  it('the embedded demo: development, tokenless admin on loopback, local frontends allowed', () => {
    const c = parse({});
    expect(c).toMatchObject({ environment: 'development', demoAdmin: true, explorer: true });
    expect(c.corsOrigins).toEqual(['http://localhost:*', 'http://127.0.0.1:*']);
  });

  it('no tokenless admin in an embedded instance started as production, or off loopback', () => {
    expect(parse({ NODE_ENV: 'production', ...SECRETS }).demoAdmin).toBe(false);
    expect(parse({ HOST: '0.0.0.0' }).demoAdmin).toBe(false);
  });

  it('refuses "*" with credentials and origins that are not origins', () => {
    expect(() => parse({ CORS_ORIGINS: '*', CORS_CREDENTIALS: 'on' })).toThrow(/credentials/);
    expect(() => parse({ CORS_ORIGINS: 'https://app.test/' })).toThrow(/not an origin/);
    expect(parse({ CORS_ORIGINS: 'https://app.test, http://localhost:*' }).corsOrigins).toEqual([
      'https://app.test',
      'http://localhost:*',
      'http://127.0.0.1:*',
    ]);
  });

  it('resilience and rate limits: defaults, per-subgraph timeouts, plans as JSON', () => {
    const c = parse({
      SUBGRAPH_TIMEOUTS: 'pricing=2000',
      RATE_LIMIT_PLANS:
        '{"gold":{"organization":{"ratePerSecond":5,"burst":50},"token":{"ratePerSecond":1,"burst":10}}}',
      RATE_LIMIT_ORG_PLANS: 'org-1=gold',
    });
    expect(c.gateway.resilience.timeoutMs).toBe(5_000);
    expect(c.gateway.subgraphTimeouts).toEqual({ pricing: 2000 });
    expect(Object.keys(c.gateway.rateLimits.plans)).toEqual(['default', 'gold']);
    expect(c.gateway.rateLimits.orgPlans).toEqual({ 'org-1': 'gold' });
    expect(() => parse({ SUBGRAPH_TIMEOUTS: 'pricing=soon' })).toThrow(/name=milliseconds/);
    expect(() => parse({ RATE_LIMIT_PLANS: '{"gold":1}' })).toThrow(/plans/);
  });

  it('several workers only on PostgreSQL and with shared rate limits (Redis)', () => {
    const db = { DATABASE_URL: 'postgresql://db/trellis', ...SECRETS };
    expect(parse(db).WORKERS).toBe(1);
    expect(() => parse({ WORKERS: '2', REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(
      /DATABASE_URL: the embedded database/,
    );
    expect(() => parse({ ...db, WORKERS: '2' })).toThrow(/REDIS_URL/);
    expect(() => parse({ ...db, WORKERS: '0' })).toThrow(/number of processes/);
    expect(() => parse({ ...db, WORKERS: 'many' })).toThrow(/number of processes/);
    expect(parse({ ...db, WORKERS: 'auto', REDIS_URL: 'redis://127.0.0.1:6379' }).WORKERS).toBe(
      availableParallelism(),
    );
    expect(parse({ ...db, WORKERS: '2', REDIS_URL: 'redis://127.0.0.1:6379' }).WORKERS).toBe(2);
  });
});
