import { baseConfig, booleanString, environmentOf } from '@trellis/kit';
import { z } from 'zod';
import { parseSchedule } from './rules.js';

/** Used outside production when WEBHOOK_SECRET_KEY is unset (the embedded demo, tests). */
const DEVELOPMENT_KEY = 'trellis-development-webhook-secret-key (not for production)';

const positiveMs = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** The webhook settings of the environment (docs/webhooks.md), parsed with zod. */
export const webhookSettingsSchema = baseConfig
  .pick({ NODE_ENV: true, DATABASE_URL: true })
  .extend({
    /** encrypts the signing secrets at rest (any string of 32+ characters; SHA-256 makes the key) */
    WEBHOOK_SECRET_KEY: z.string().min(32, 'WEBHOOK_SECRET_KEY needs 32+ characters').optional(),
    /** private, loopback and link-local targets (default: only in the embedded demo) */
    WEBHOOKS_ALLOW_PRIVATE_TARGETS: booleanString.optional(),
    /** the delays between attempts (default: the Standard Webhooks schedule) */
    WEBHOOK_RETRY_SCHEDULE: z
      .string()
      .default('5s,5m,30m,2h,5h,10h,10h')
      .transform((v, ctx) => {
        const schedule = parseSchedule(v);
        if (!schedule) ctx.addIssue({ code: 'custom', message: 'e.g. "5s,5m,30m,2h"' });
        return schedule ?? [];
      }),
    /** how long one attempt may take */
    WEBHOOK_TIMEOUT_MS: positiveMs(10_000),
    /** dead deliveries in a row that disable a subscription */
    WEBHOOK_DISABLE_AFTER_DEAD: z.coerce.number().int().positive().default(5),
    /** how old delivered outbox events, attempts and idempotency keys get before the purge */
    WEBHOOK_RETENTION_DAYS: z.coerce.number().positive().default(30),
    /** how long a claimed delivery is the claimer's (a crashed dispatcher's lapses) */
    WEBHOOK_LEASE_MS: positiveMs(60_000),
    /** deliveries a dispatcher sends at once (each replica) */
    WEBHOOK_CONCURRENCY: z.coerce.number().int().positive().default(8),
    /** time between dispatcher passes when there was nothing to do */
    WEBHOOK_POLL_MS: positiveMs(1_000),
  })
  .superRefine((c, ctx) => {
    if (!c.WEBHOOK_SECRET_KEY && environmentOf(c) === 'production') {
      ctx.addIssue({
        code: 'custom',
        path: ['WEBHOOK_SECRET_KEY'],
        message: 'required in production (it encrypts the webhook signing secrets)',
      });
    }
  })
  .transform((c) => ({
    secretKey: c.WEBHOOK_SECRET_KEY ?? DEVELOPMENT_KEY,
    environment: environmentOf(c),
    allowPrivateTargets:
      c.WEBHOOKS_ALLOW_PRIVATE_TARGETS ?? (!c.DATABASE_URL && environmentOf(c) === 'development'),
    retrySchedule: c.WEBHOOK_RETRY_SCHEDULE,
    timeoutMs: c.WEBHOOK_TIMEOUT_MS,
    disableAfterDead: c.WEBHOOK_DISABLE_AFTER_DEAD,
    retentionMs: c.WEBHOOK_RETENTION_DAYS * 86_400_000,
    leaseMs: c.WEBHOOK_LEASE_MS,
    pollMs: c.WEBHOOK_POLL_MS,
    concurrency: c.WEBHOOK_CONCURRENCY,
  }));

export type WebhookSettings = z.infer<typeof webhookSettingsSchema>;

/**
 * The settings in force, read from the environment on each use (cheap) so an operator's
 * change and a test's take effect without a restart. Throws the configuration problem.
 */
export function webhookSettings(env: Record<string, string | undefined> = process.env) {
  const parsed = webhookSettingsSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `webhook configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}
