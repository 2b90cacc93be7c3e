import { availableParallelism } from 'node:os';
import { corsProblem, DEFAULT_PLANS, DEMO_CORS_ORIGINS } from '@trellis/gateway';
import { baseConfig, booleanString, environmentOf, port } from '@trellis/kit';
import { z } from 'zod';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
const bucket = z.object({
  ratePerSecond: z.number().positive(),
  burst: z.number().positive(),
});
const planSchema = z.record(z.string(), z.object({ organization: bucket, token: bucket }));
const pairs = z
  .string()
  .optional()
  .transform((v) =>
    Object.fromEntries(
      (v ?? '')
        .split(',')
        .filter(Boolean)
        .map((pair) => pair.split('=').map((s) => s.trim()) as [string, string]),
    ),
  );
const ms = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const list = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

export const gatewayConfig = baseConfig
  .extend({
    PORT: port(4000),
    HOST: z.string().default('127.0.0.1'),
    AUTH_JWT_SECRET: z
      .string()
      .min(32, 'AUTH_JWT_SECRET must be at least 32 characters')
      .optional(),
    AUTH_JWKS_URL: z.url().optional(),
    AUTH_ISSUER: z.string().optional(),
    AUTH_AUDIENCE: z.string().optional(),
    /** `all` runs the six subgraphs in this process; `gateway` only routes to SUBGRAPH_URLS */
    GATEWAY_MODE: z.enum(['all', 'gateway']).default('all'),
    /** all-in-one mode: the gateway calls its subgraphs in-process (`local`) or over HTTP */
    SUBGRAPH_CALLS: z.enum(['local', 'http']).default('local'),
    /** how often scheduled catalog versions are announced (all-in-one mode; 0: off) */
    CATALOG_SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(0).default(5_000),
    SLA_SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(0).default(30_000),
    /** GraphiQL at `/` (default: on in development, off in production) */
    EXPLORER: booleanString.optional(),
    /** a development token the explorer's header editor starts with (`pnpm token`) */
    EXPLORER_TOKEN: z.string().optional(),
    /** introspection (default: on in development, off in production) */
    INTROSPECTION: booleanString.optional(),
    /** origins browser frontends may call from, comma-separated (`http://localhost:*` allowed) */
    CORS_ORIGINS: list,
    /** browsers may send cookies to the gateway (then CORS_ORIGINS cannot be `*`) */
    CORS_CREDENTIALS: booleanString.default(false),
    /** `only`: nothing but the manifest's documents by id (partner-facing mode) */
    TRUSTED_DOCUMENTS: z.enum(['accept', 'only']).default('accept'),
    /** "org-graph=http://host:4001/graphql,catalog=…" (gateway mode) */
    SUBGRAPH_URLS: pairs,
    /** the longest one subgraph fetch may take, in ms (docs/ops/resilience.md) */
    SUBGRAPH_TIMEOUT_MS: ms(5_000),
    /** per-subgraph overrides: "pricing=2000,catalog=8000" */
    SUBGRAPH_TIMEOUTS: z
      .string()
      .optional()
      .transform((v, ctx) => {
        const timeouts: Record<string, number> = {};
        for (const pair of (v ?? '').split(',').filter(Boolean)) {
          const [name, value] = pair.split('=').map((s) => s.trim());
          const n = Number(value);
          if (!name || !Number.isInteger(n) || n < 1)
            ctx.addIssue({ code: 'custom', message: `"${pair}" is not name=milliseconds` });
          else timeouts[name] = n;
        }
        return timeouts;
      }),
    /** the longest the gateway waits for subgraphs on one request, in ms */
    REQUEST_TIMEOUT_MS: ms(10_000),
    /** consecutive failures of a subgraph that open its circuit */
    CIRCUIT_BREAKER_FAILURES: z.coerce.number().int().min(1).default(5),
    /** how long an open circuit refuses before one probe goes through, in ms */
    CIRCUIT_BREAKER_HALF_OPEN_MS: ms(10_000),
    /** retries earned per subgraph fetch (connection errors of queries only) */
    RETRY_BUDGET_RATIO: z.coerce.number().min(0).max(1).default(0.1),
    /** how long the gateway's `/ready` reuses the subgraphs' readiness, in ms */
    READY_CACHE_MS: ms(2_000),
    /** run the contract's read operations once before `/ready` says ready */
    WARM_UP: booleanString.default(true),
    /** at SIGTERM, how long requests in flight may take to finish, in ms */
    SHUTDOWN_GRACE_MS: ms(10_000),
    /** rate-limit plans as JSON: {"plan":{"organization":{"ratePerSecond":…,"burst":…},"token":{…}}} */
    RATE_LIMIT_PLANS: z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (!v) return {};
        const parsed = planSchema.safeParse(
          (() => {
            try {
              return JSON.parse(v);
            } catch {
              return undefined;
            }
          })(),
        );
        if (!parsed.success)
          ctx.addIssue({
            code: 'custom',
            message: 'not a JSON object of plans (docs/ops/rate-limits.md)',
          });
        return parsed.data ?? {};
      }),
    /** which organization is on which plan: "<org id>=<plan>,…" (others: `default`) */
    RATE_LIMIT_ORG_PLANS: pairs,
    /** shared rate-limit buckets for several gateways; in memory without it */
    REDIS_URL: z.url().optional(),
    /** processes serving the same ports, one per core (docs/ops/capacity.md); `auto`: the cores */
    WORKERS: z
      .string()
      .default('1')
      .transform((v, ctx) => {
        if (v === 'auto') return availableParallelism();
        const n = Number(v);
        if (Number.isInteger(n) && n >= 1 && n <= 64) return n;
        ctx.addIssue({
          code: 'custom',
          message: `"${v}" is not a number of processes (1-64) or auto`,
        });
        return z.NEVER;
      }),
  })
  .superRefine((c, ctx) => {
    const embedded = !c.DATABASE_URL;
    if (!embedded && !c.GATEWAY_SIGNING_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['GATEWAY_SIGNING_SECRET'],
        message: 'required with DATABASE_URL (32+ characters, shared with the subgraphs)',
      });
    }
    if (!embedded && !c.AUTH_JWT_SECRET && !c.AUTH_JWKS_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_JWT_SECRET'],
        message:
          'set AUTH_JWT_SECRET or AUTH_JWKS_URL: outside the embedded demo every request needs a token',
      });
    }
    const cors = corsProblem({ origins: c.CORS_ORIGINS, credentials: c.CORS_CREDENTIALS });
    if (cors) ctx.addIssue({ code: 'custom', path: ['CORS_ORIGINS'], message: cors });
    if (c.WORKERS > 1 && c.GATEWAY_MODE === 'all' && embedded) {
      ctx.addIssue({
        code: 'custom',
        path: ['WORKERS'],
        message: 'more than one worker needs DATABASE_URL: the embedded database is one process’s',
      });
    }
    if (c.WORKERS > 1 && !c.REDIS_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['WORKERS'],
        message:
          'more than one worker needs REDIS_URL: each would otherwise hold its own rate limits',
      });
    }
    if (c.GATEWAY_MODE === 'gateway' && Object.keys(c.SUBGRAPH_URLS).length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['SUBGRAPH_URLS'],
        message: 'required in gateway mode',
      });
    }
  })
  .transform((c) => {
    const embedded = !c.DATABASE_URL;
    const environment = environmentOf(c);
    const development = environment === 'development';
    return {
      ...c,
      embedded,
      environment,
      development,
      /**
       * tokenless requests act as the demo administrator only in the embedded demo, on
       * loopback, outside production
       */
      demoAdmin: embedded && environment !== 'production' && LOOPBACK.has(c.HOST),
      explorer: c.EXPLORER ?? development,
      introspection: c.INTROSPECTION ?? development,
      corsOrigins: [
        ...new Set([...c.CORS_ORIGINS, ...(embedded && development ? DEMO_CORS_ORIGINS : [])]),
      ],
      flagsProfile: c.FLAGS_PROFILE ?? (embedded ? 'demo' : 'production'),
      gateway: {
        resilience: {
          timeoutMs: c.SUBGRAPH_TIMEOUT_MS,
          breakerFailures: c.CIRCUIT_BREAKER_FAILURES,
          halfOpenAfterMs: c.CIRCUIT_BREAKER_HALF_OPEN_MS,
          retryRatio: c.RETRY_BUDGET_RATIO,
        },
        subgraphTimeouts: c.SUBGRAPH_TIMEOUTS,
        requestTimeoutMs: c.REQUEST_TIMEOUT_MS,
        readyCacheMs: c.READY_CACHE_MS,
        warmUp: c.WARM_UP,
        rateLimits: {
          plans: { ...DEFAULT_PLANS, ...c.RATE_LIMIT_PLANS },
          orgPlans: c.RATE_LIMIT_ORG_PLANS,
          redisUrl: c.REDIS_URL,
        },
      },
    };
  });

export type GatewayConfig = z.infer<typeof gatewayConfig>;
