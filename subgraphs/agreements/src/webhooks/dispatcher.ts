import { randomUUID } from 'node:crypto';
import { emitEvent, type Logger, type Metrics, type SubgraphDeps } from '@trellis/kit';
import { type Database, runAsSystem, SLICE_NAMES, SLICES } from '@trellis/prisma';
import type {
  OutboxEvent,
  WebhookSubscription,
} from '@trellis/prisma/agreements/generated/client.ts';
import { v7 as uuidv7 } from 'uuid';
import { type AgreementsPrisma, createPrisma } from '../prisma.js';
import { type Attempt, signedHeaders, systemLookup, WebhookSender } from './delivery.js';
import { dispatcherMetrics } from './metrics.js';
import { attemptOutcome, disableReason, type LookupAll, wantsEvent } from './rules.js';
import { decryptSecret, signingSecrets } from './secrets.js';
import { type WebhookSettings, webhookSettings } from './settings.js';

const JOB = 'webhook-dispatcher';

export interface DispatcherOptions extends WebhookSettings {
  /** outbox events fanned out, and deliveries claimed, per pass */
  batchSize: number;
  /** resolves target hosts (tests stub it) */
  lookup: LookupAll;
  /** time between retention purges */
  purgeEveryMs: number;
  /** jitter source (tests) */
  random?: () => number;
}

/** The options in force: the environment's settings (`webhookSettings`), then `overrides`. */
export const dispatcherOptions = (
  overrides: Partial<DispatcherOptions> = {},
): DispatcherOptions => ({
  ...webhookSettings(),
  batchSize: 100,
  lookup: systemLookup,
  purgeEveryMs: 60_000,
  ...overrides,
});

/** What one pass did. */
export interface PassResult {
  fannedOut: number;
  attempted: number;
}

interface ClaimedDelivery {
  id: string;
  eventId: string;
  subscriptionId: string;
  attempts: number;
}

type Claimed = ClaimedDelivery & { leaseId: string };

/**
 * The outbox dispatcher: fans events out to the matching active subscriptions as delivery
 * rows, claims due deliveries under a lease, sends them signed, records each attempt, and purges
 * what is past retention. Every step is a short transaction of its own (nothing is held open
 * while a receiver answers) and claims rows with FOR UPDATE SKIP LOCKED, so any number of
 * replicas share the work on PostgreSQL. A replica that dies mid-batch leaves leases that lapse
 * (`leaseMs`); the next claimer sends again, with the same `webhook-id`.
 */
export class Dispatcher {
  private readonly sender: WebhookSender;
  private readonly metrics: ReturnType<typeof dispatcherMetrics>;
  /** the first purge comes one period after the start */
  private lastPurge = Date.now();

  constructor(
    private readonly prisma: AgreementsPrisma,
    private readonly db: Database,
    metrics: Metrics,
    private readonly logger: Logger,
    readonly options: DispatcherOptions,
  ) {
    this.sender = new WebhookSender(options);
    this.metrics = dispatcherMetrics(metrics);
  }

  /** One pass: fan out, claim, deliver, record; purge when due. */
  async pass(): Promise<PassResult> {
    const fannedOut = await this.fanOut();
    const claimed = await this.claim();
    if (claimed.length) await this.deliverAll(claimed);
    if (Date.now() - this.lastPurge >= this.options.purgeEveryMs) {
      this.lastPurge = Date.now();
      await this.purge().catch((err: unknown) =>
        this.logger.warn({ err }, 'webhook retention purge failed; retrying at the next one'),
      );
      await this.observe();
    }
    return { fannedOut, attempted: claimed.length };
  }

  /** Events not yet fanned out become one delivery per matching active subscription. */
  async fanOut(): Promise<number> {
    return runAsSystem(JOB, () =>
      this.prisma.$transaction(async (tx) => {
        const events = await tx.$queryRawUnsafe<
          { id: string; type: string; orgId: string | null }[]
        >(
          `SELECT id::text AS id, type, org_id::text AS "orgId" FROM "agreements"."outbox_event"
            WHERE dispatched_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
          this.options.batchSize,
        );
        if (events.length === 0) return 0;
        const orgIds = [...new Set(events.flatMap((e) => (e.orgId ? [e.orgId] : [])))];
        const subscriptions = orgIds.length
          ? await tx.webhookSubscription.findMany({
              where: { orgId: { in: orgIds }, active: true },
              select: { id: true, orgId: true, eventTypes: true },
            })
          : [];
        const now = new Date();
        const deliveries = events.flatMap((e) =>
          subscriptions
            .filter((s) => s.orgId === e.orgId && wantsEvent(s.eventTypes, e.type))
            .map((s) => ({
              id: uuidv7(),
              subscriptionId: s.id,
              eventId: e.id,
              eventType: e.type,
              nextAttemptAt: now,
            })),
        );
        if (deliveries.length) {
          await tx.webhookDelivery.createMany({ data: deliveries, skipDuplicates: true });
        }
        await tx.outboxEvent.updateMany({
          where: { id: { in: events.map((e) => e.id) } },
          data: { dispatchedAt: now },
        });
        return events.length;
      }),
    );
  }

  /** Claims due deliveries of active subscriptions: a lease of `leaseMs` under a fresh token. */
  private async claim(): Promise<Claimed[]> {
    const leaseId = randomUUID();
    const rows = await runAsSystem(JOB, () =>
      this.prisma.$queryRawUnsafe<ClaimedDelivery[]>(
        `UPDATE "agreements"."webhook_delivery" d
            SET lease_id = $1::uuid, lease_until = now() + $2 * interval '1 millisecond', updated_at = now()
          WHERE d.id IN (
            SELECT w.id FROM "agreements"."webhook_delivery" w
              JOIN "agreements"."webhook_subscription" s ON s.id = w.subscription_id AND s.active
             WHERE w.status IN ('PENDING', 'FAILED') AND w.next_attempt_at <= now()
               AND (w.lease_until IS NULL OR w.lease_until < now())
             ORDER BY w.next_attempt_at LIMIT $3
             FOR UPDATE OF w SKIP LOCKED)
        RETURNING d.id::text AS id, d.event_id::text AS "eventId",
                  d.subscription_id::text AS "subscriptionId", d.attempts`,
        leaseId,
        this.options.leaseMs,
        this.options.batchSize,
      ),
    );
    return rows.map((r) => ({ ...r, leaseId }));
  }

  /**
   * Sends the claimed deliveries, `concurrency` at a time, then records the batch's attempts
   * at once. The batch's events and subscriptions are read once.
   */
  private async deliverAll(claimed: Claimed[]): Promise<void> {
    const [events, subscriptions] = await runAsSystem(JOB, () =>
      Promise.all([
        this.prisma.outboxEvent.findMany({
          where: { id: { in: [...new Set(claimed.map((c) => c.eventId))] } },
        }),
        this.prisma.webhookSubscription.findMany({
          where: { id: { in: [...new Set(claimed.map((c) => c.subscriptionId))] } },
        }),
      ]),
    );
    const eventById = new Map(events.map((e) => [e.id, e]));
    const subscriptionById = new Map(subscriptions.map((s) => [s.id, s]));
    const sent: { delivery: Claimed; attempt: Attempt }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < claimed.length) {
        const delivery = claimed[next++]!;
        const attempt = await this.send(
          eventById.get(delivery.eventId)!,
          subscriptionById.get(delivery.subscriptionId)!,
        );
        sent.push({ delivery, attempt });
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(this.options.concurrency, claimed.length) }, worker),
    );
    // if this fails (or the process dies first), the leases lapse and the batch is sent again
    await this.recordAll(sent);
  }

  /** One signed attempt of `event` to `subscription` (the message id is the event's). */
  private async send(event: OutboxEvent, subscription: WebhookSubscription): Promise<Attempt> {
    const body = JSON.stringify({
      id: event.id,
      type: event.type,
      v: 1,
      timestamp: event.occurredAt.toISOString(),
      aggregate: { type: event.aggregateType, id: event.aggregateId },
      orgId: event.orgId,
      data: event.payload,
    });
    let secrets: string[];
    try {
      secrets = signingSecrets(subscription, new Date()).map((s) =>
        decryptSecret(s, this.options.secretKey),
      );
    } catch (error) {
      return { startedAt: new Date(), latencyMs: 0, error: (error as Error).message };
    }
    // the same webhook-id on every attempt and redelivery, so receivers can deduplicate
    const headers = signedHeaders({ id: event.id, timestamp: new Date(), body }, secrets);
    return this.sender.send(subscription.url, headers, body);
  }

  /**
   * Records a batch of attempts in one transaction: every delivery's new state and its attempt
   * row in two statements (only where the lease is still ours: a lapsed lease means another
   * dispatcher took it over and records its own attempt), then the subscriptions' effects.
   */
  private async recordAll(sent: { delivery: Claimed; attempt: Attempt }[]): Promise<void> {
    const now = new Date();
    const rows = sent.map(({ delivery, attempt }) => {
      const number = delivery.attempts + 1;
      const outcome = attemptOutcome(
        attempt,
        number,
        this.options.retrySchedule,
        this.options.random,
      );
      const label = outcome.status.toLowerCase();
      this.metrics.deliveries.inc({ outcome: label });
      this.metrics.seconds.observe({ outcome: label }, attempt.latencyMs / 1000);
      return {
        delivery,
        outcome,
        row: {
          id: delivery.id,
          lease: delivery.leaseId,
          status: outcome.status,
          number,
          code: 'status' in attempt ? attempt.status : null,
          error: 'error' in attempt ? attempt.error : null,
          body: attempt.responseBody ?? null,
          latency: attempt.latencyMs,
          started: attempt.startedAt.toISOString(),
          next:
            outcome.status === 'FAILED'
              ? new Date(now.getTime() + outcome.retryInMs).toISOString()
              : null,
          delivered: outcome.status === 'DELIVERED' ? now.toISOString() : null,
        },
      };
    });
    await runAsSystem(JOB, () =>
      this.prisma.$transaction(async (tx) => {
        const recorded = await tx.$queryRawUnsafe<{ id: string }[]>(
          `WITH v AS (
             SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, lease uuid, status text,
               number int, code int, error text, body text, latency int, started timestamptz,
               next timestamptz, delivered timestamptz)),
           updated AS (
             UPDATE "agreements"."webhook_delivery" d
                SET status = v.status::"agreements"."DeliveryStatus", attempts = v.number,
                    last_response_code = v.code, last_error = v.error, next_attempt_at = v.next,
                    delivered_at = v.delivered, lease_id = NULL, lease_until = NULL, updated_at = now()
               FROM v WHERE d.id = v.id AND d.lease_id = v.lease
             RETURNING d.id)
           INSERT INTO "agreements"."webhook_attempt"
                  (id, delivery_id, number, started_at, response_code, latency_ms, response_body, error)
           SELECT gen_random_uuid(), v.id, v.number, v.started, v.code, v.latency, v.body, v.error
             FROM v JOIN updated u ON u.id = v.id
           RETURNING delivery_id::text AS id`,
          JSON.stringify(rows.map((r) => r.row)),
        );
        const ours = new Set(recorded.map((r) => r.id));
        const lost = rows.filter((r) => !ours.has(r.delivery.id));
        if (lost.length) {
          // the lease lapsed and another dispatcher claimed them: its attempts are the ones recorded
          this.logger.warn(
            { deliveryIds: lost.map((r) => r.delivery.id) },
            'webhook delivery leases lost; attempts not recorded',
          );
        }
        const mine = rows.filter((r) => ours.has(r.delivery.id));
        const deliveredTo = [
          ...new Set(
            mine
              .filter((r) => r.outcome.status === 'DELIVERED')
              .map((r) => r.delivery.subscriptionId),
          ),
        ];
        if (deliveredTo.length) {
          await tx.webhookSubscription.updateMany({
            where: { id: { in: deliveredTo }, consecutiveDead: { gt: 0 } },
            data: { consecutiveDead: 0 },
          });
        }
        for (const { delivery, outcome } of mine.filter((r) => r.outcome.status === 'DEAD')) {
          const s = await tx.webhookSubscription.update({
            where: { id: delivery.subscriptionId },
            data: { consecutiveDead: { increment: 1 } },
          });
          const reason = disableReason(outcome, s.consecutiveDead, this.options.disableAfterDead);
          if (!reason || !s.active) continue;
          await tx.webhookSubscription.update({
            where: { id: s.id },
            data: { active: false, disabledReason: reason },
          });
          await emitEvent(
            tx,
            { requestId: `${JOB}:${delivery.leaseId}` },
            {
              type: 'webhook_subscription.disabled',
              aggregateType: 'WebhookSubscription',
              aggregateId: s.id,
              orgId: s.orgId,
              payload: { v: 1, id: s.id, url: s.url, reason },
            },
          );
          this.logger.warn({ subscriptionId: s.id, reason }, 'webhook subscription disabled');
        }
      }),
    );
  }

  /**
   * Retention: attempts, delivered deliveries, fanned-out events without deliveries left, and
   * every slice's idempotency keys older than `retentionMs`, a batch of each per purge.
   */
  async purge(): Promise<void> {
    const cutoff = new Date(Date.now() - this.options.retentionMs);
    const batch = this.options.batchSize * 10;
    await runAsSystem(JOB, async () => {
      await this.prisma.$executeRawUnsafe(
        `DELETE FROM "agreements"."webhook_attempt" WHERE id IN (
           SELECT id FROM "agreements"."webhook_attempt" WHERE started_at < $1 LIMIT $2)`,
        cutoff,
        batch,
      );
      await this.prisma.$executeRawUnsafe(
        `DELETE FROM "agreements"."webhook_delivery" WHERE id IN (
           SELECT id FROM "agreements"."webhook_delivery"
            WHERE status = 'DELIVERED' AND delivered_at < $1 LIMIT $2)`,
        cutoff,
        batch,
      );
      await this.prisma.$executeRawUnsafe(
        `DELETE FROM "agreements"."outbox_event" WHERE id IN (
           SELECT e.id FROM "agreements"."outbox_event" e
            WHERE e.dispatched_at < $1
              AND NOT EXISTS (SELECT 1 FROM "agreements"."webhook_delivery" d WHERE d.event_id = e.id)
            LIMIT $2)`,
        cutoff,
        batch,
      );
      await purgeIdempotencyKeys(this.db, cutoff, batch);
    });
  }

  /** The gauges: outbox lag (age of the oldest event not fanned out) and dead letters. */
  async observe(): Promise<void> {
    const [row] = await runAsSystem(JOB, () =>
      this.prisma.$queryRawUnsafe<{ lag: number | null; dead: number }[]>(
        `SELECT EXTRACT(EPOCH FROM now() - (SELECT min(occurred_at) FROM "agreements"."outbox_event" WHERE dispatched_at IS NULL))::float8 AS lag,
                (SELECT count(*) FROM "agreements"."webhook_delivery" WHERE status = 'DEAD')::int AS dead`,
      ),
    );
    this.metrics.outboxLag.set(row?.lag ?? 0);
    this.metrics.deadLetters.set(row?.dead ?? 0);
  }

  async close(): Promise<void> {
    await this.sender.close();
    await this.prisma.$disconnect();
  }
}

/** A dispatcher on the process's database, with the environment's settings and `overrides`. */
export const createDispatcher = (
  deps: Pick<SubgraphDeps, 'db' | 'metrics' | 'logger'>,
  overrides: Partial<DispatcherOptions> = {},
) =>
  new Dispatcher(
    createPrisma(deps.db),
    deps.db,
    deps.metrics,
    deps.logger.child({ worker: JOB }),
    dispatcherOptions(overrides),
  );

/**
 * Every slice keeps its idempotency keys in its own `idempotency_record`; each is purged
 * through that slice's own runtime role (the system tenancy passes its admin policy).
 */
async function purgeIdempotencyKeys(db: Database, cutoff: Date, batch: number): Promise<void> {
  for (const slice of SLICE_NAMES) {
    const adapter = await db.adapter(slice).connect();
    try {
      const schema = SLICES[slice];
      await adapter.executeRaw({
        sql: `DELETE FROM "${schema}"."idempotency_record" WHERE ctid IN (
                SELECT ctid FROM "${schema}"."idempotency_record" WHERE created_at < $1::timestamptz LIMIT ${batch})`,
        args: [cutoff.toISOString()],
        argTypes: [{ scalarType: 'string', arity: 'scalar' }],
      });
    } finally {
      await adapter.dispose();
    }
  }
}

export interface RunningDispatcher {
  /** finishes the pass under way (its batch is delivered and recorded), then stops */
  stop(): Promise<void>;
}

/**
 * Runs the dispatcher while ENABLE_EVENT_DISPATCHER is on: a pass right after a pass that found
 * work, else after `pollMs`. Safe to start in any number of replicas.
 */
export function startDispatcher(
  deps: SubgraphDeps,
  overrides: Partial<DispatcherOptions> = {},
): RunningDispatcher {
  const dispatcher = createDispatcher(deps, overrides);
  const { options } = dispatcher;
  const logger = deps.logger.child({ worker: JOB });
  let stopped = false;
  let wake: () => void = () => {};
  const loop = async () => {
    while (!stopped) {
      let busy = false;
      try {
        if (await deps.flags.isEnabled('ENABLE_EVENT_DISPATCHER')) {
          const done = await dispatcher.pass();
          busy = done.fannedOut > 0 || done.attempted > 0;
        }
      } catch (err) {
        logger.warn({ err }, 'webhook dispatcher pass failed; retrying at the next one');
      }
      if (!busy && !stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  };
  const running = loop();
  logger.info({ pollMs: options.pollMs }, 'webhook dispatcher started');
  return {
    async stop() {
      stopped = true;
      wake();
      await running;
      await dispatcher.close();
    },
  };
}
