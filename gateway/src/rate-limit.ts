import { createHash } from 'node:crypto';
import { type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import type { Logger, Metrics } from '@trellis/kit';
import { GraphQLError } from 'graphql';
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { GatewayContext } from './context.js';
import { costOf } from './limits.js';

/** A token bucket: `burst` cost at most, refilled at `ratePerSecond`. */
export interface BucketLimit {
  ratePerSecond: number;
  burst: number;
}

/** What one plan allows each of its organizations, and each token. */
export interface PlanLimits {
  organization: BucketLimit;
  token: BucketLimit;
}

export interface RateLimitOptions {
  /** plan name → limits; `default` applies to organizations without a plan */
  plans: Record<string, PlanLimits>;
  /** organization id → plan name */
  orgPlans: Record<string, string>;
  /** shared buckets for several gateways (Redis); in memory without it */
  redisUrl?: string;
  /** Redis key prefix (tests isolate their runs) */
  keyPrefix?: string;
}

/** Generous: the demo and the test suite never meet them. */
export const DEFAULT_PLANS: Record<string, PlanLimits> = {
  default: {
    organization: { ratePerSecond: 20_000, burst: 2_000_000 },
    token: { ratePerSecond: 10_000, burst: 1_000_000 },
  },
};

export interface BucketState {
  tokens: number;
  /** epoch ms of `tokens` */
  at: number;
}

export type Take = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * One withdrawal from a bucket (pure; Redis runs the same arithmetic in `TAKE_SCRIPT`). A cost
 * above the burst is charged as the burst, so it can pass once the bucket is full.
 */
export function takeFrom(
  state: BucketState | undefined,
  limit: BucketLimit,
  cost: number,
  now: number,
): { state: BucketState; take: Take } {
  const charge = Math.min(cost, limit.burst);
  const tokens = state
    ? Math.min(limit.burst, state.tokens + ((now - state.at) / 1000) * limit.ratePerSecond)
    : limit.burst;
  if (tokens >= charge) return { state: { tokens: tokens - charge, at: now }, take: { ok: true } };
  return {
    state: { tokens, at: now },
    take: { ok: false, retryAfterMs: Math.ceil(((charge - tokens) / limit.ratePerSecond) * 1000) },
  };
}

export interface Buckets {
  take(key: string, limit: BucketLimit, cost: number): Promise<Take>;
  close(): Promise<void>;
}

/**
 * The embedded mode's buckets: this process's memory, at most `maxBuckets` of them. Beyond that
 * the least recently used is forgotten: it starts full again (an absent bucket is a full one),
 * erring towards letting requests through rather than growing without end.
 */
export function memoryBuckets(maxBuckets = 100_000): Buckets {
  const states = new LRUCache<string, BucketState>({ max: maxBuckets });
  return {
    async take(key, limit, cost) {
      const { state, take } = takeFrom(states.get(key), limit, cost, Date.now());
      states.set(key, state);
      return take;
    },
    async close() {},
  };
}

// KEYS[1] bucket; ARGV rate, burst, cost. Redis's clock, so every gateway agrees on time.
const TAKE_SCRIPT = `
local rate = tonumber(ARGV[1]); local burst = tonumber(ARGV[2]); local cost = math.min(tonumber(ARGV[3]), burst)
local t = redis.call('TIME'); local now = t[1] * 1000 + math.floor(t[2] / 1000)
local s = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = burst
if s[1] then tokens = math.min(burst, tonumber(s[1]) + (now - tonumber(s[2])) / 1000 * rate) end
local wait = 0
if tokens >= cost then tokens = tokens - cost else wait = math.ceil((cost - tokens) / rate * 1000) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return wait`;

/** Buckets shared by every gateway on one Redis; a Redis that fails lets requests through. */
export function redisBuckets(url: string, logger: Logger, prefix = 'trellis:rate:'): Buckets {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  });
  redis.on('error', (err) => logger.warn({ err: err.message }, 'rate limit store unreachable'));
  redis.defineCommand('takeTokens', { numberOfKeys: 1, lua: TAKE_SCRIPT });
  const connected = redis.connect().catch(() => undefined);
  return {
    async take(key, limit, cost) {
      await connected;
      try {
        const wait = (await (
          redis as unknown as {
            takeTokens(k: string, r: number, b: number, c: number): Promise<number>;
          }
        ).takeTokens(prefix + key, limit.ratePerSecond, limit.burst, cost)) as number;
        return wait > 0 ? { ok: false, retryAfterMs: wait } : { ok: true };
      } catch (err) {
        // availability first: an unreachable store does not refuse clients
        logger.warn({ err: (err as Error).message }, 'rate limit not checked: store unreachable');
        return { ok: true };
      }
    },
    async close() {
      redis.disconnect();
    },
  };
}

/** The bearer credential, as a key: never the token itself. */
export const credentialKey = (authorization: string | undefined) =>
  authorization
    ? createHash('sha256').update(authorization).digest('base64url').slice(0, 22)
    : undefined;

/**
 * Charges each operation's cost (graphql-armor's estimate, `costOf`) to its organization's and
 * its token's buckets, by the organization's plan. Over either: HTTP 429, `Retry-After` in
 * seconds, `RATE_LIMITED` naming the bucket (`extensions.limit`), before any subgraph is called.
 */
export function rateLimitPlugin(
  options: RateLimitOptions,
  buckets: Buckets,
  metrics: Metrics,
): ApolloServerPlugin<GatewayContext> {
  const refused = metrics.counter(
    'gateway_rate_limited_total',
    'Requests refused by a rate limit, by bucket (organization or token)',
    ['limit'],
  );
  const plans = { ...DEFAULT_PLANS, ...options.plans };
  return {
    async serverWillStart() {
      return {
        async serverWillStop() {
          await buckets.close();
        },
      };
    },
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document }) {
          const { caller, credential } = contextValue;
          const plan =
            plans[(caller.orgId && options.orgPlans[caller.orgId]) || 'default'] ?? plans.default!;
          const cost = Math.max(1, costOf(document) ?? 1);
          const checks: [string, string | undefined, BucketLimit][] = [
            ['organization', caller.orgId ?? undefined, plan.organization],
            ['token', credential, plan.token],
          ];
          for (const [limit, id, bucket] of checks) {
            if (!id) continue;
            const take = await buckets.take(`${limit}:${id}`, bucket, cost);
            if (take.ok) continue;
            refused.inc({ limit });
            const seconds = String(Math.max(1, Math.ceil(take.retryAfterMs / 1000)));
            throw new GraphQLError('rate limit exceeded: retry later', {
              extensions: {
                code: 'RATE_LIMITED',
                limit,
                retryAfter: Number(seconds),
                // Apollo sets the status and headers of an error thrown before execution
                http: { status: 429, headers: new HeaderMap([['retry-after', seconds]]) as never },
              },
            });
          }
        },
      };
    },
  };
}
