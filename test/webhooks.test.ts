import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { createDispatcher } from '@trellis/agreements';
import { createLogger, Metrics } from '@trellis/kit';
import { demoOrgId } from '@trellis/prisma/seed';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCanary } from './support/canaries.js';
import { op } from './support/contract.js';
import { graphql } from './support/documents.js';
import {
  ALL_ON,
  codes,
  firstErrorExtensions,
  supergraphForFile,
  token,
} from './support/supergraph.js';
import { allowPrivateTargetsForFile, eventually, startReceiver } from './webhooks/receiver.js';

allowPrivateTargetsForFile();

const sg = supergraphForFile({
  // fast retries; the highest jitter, so each delay is its step exactly (the jitter is unit-tested)
  webhookDispatcher: {
    pollMs: 50,
    retrySchedule: [300, 600, 1200],
    random: () => 1,
    leaseMs: 10_000,
  },
});
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
});

const DELIVERY = graphql(`
  query WebhookDeliveryLog($subscriptionId: ID!) {
    webhookDeliveries(subscriptionId: $subscriptionId, first: 50) {
      totalCount
      edges {
        node {
          id eventId eventType status attempts lastResponseCode lastError deliveredAt nextAttemptAt
          attemptLog { number responseCode latencyMs responseBody error }
        }
      }
    }
  }
`);
const SUBSCRIPTION = graphql(`
  query WebhookSubscriptionState($id: ID!) {
    webhookSubscription(id: $id) { id active disabledReason previousSecretUntil }
  }
`);
const UPDATE = graphql(`
  mutation ResumeWebhookSubscription($id: ID!, $input: UpdateWebhookSubscriptionInput!) {
    updateWebhookSubscription(id: $id, input: $input) { id active disabledReason url }
  }
`);
const ROTATE = graphql(`
  mutation RotateSecret($id: ID!) {
    rotateWebhookSecret(id: $id) { secret subscription { id previousSecretUntil } }
  }
`);
const REPLAY = graphql(`
  mutation Replay($subscriptionId: ID!, $from: DateTime!, $to: DateTime!, $status: DeliveryStatus) {
    replayWebhooks(subscriptionId: $subscriptionId, from: $from, to: $to, status: $status) { queued }
  }
`);

const manager = (org: string) =>
  token({ sub: `hooks@${org}`, org, scope: 'webhooks:manage org:write' });

let channelSeq = 0;
/** A domain change of `org` through the gateway: a new channel (event channel.created). */
async function emitChannelCreated(org: string): Promise<string> {
  const res = await sg.gql(
    op('CreateChannel'),
    {
      input: { ownerOrgId: org, code: `WH-${++channelSeq}`, name: 'Webhook test', currency: 'EUR' },
    },
    { token: await manager(org) },
  );
  expect(res.errors).toBeUndefined();
  const [event] = await sg.db.query<{ id: string }>(
    `SELECT id::text FROM agreements.outbox_event WHERE type = 'channel.created' AND aggregate_id = $1`,
    [res.data.createChannel.id],
  );
  return event!.id;
}

async function subscribe(org: string, path: string, eventTypes = ['channel.created']) {
  const res = await sg.gql(
    op('CreateWebhookSubscription'),
    { input: { orgId: org, url: receiver.url(path), eventTypes, description: `test ${path}` } },
    { token: await manager(org) },
  );
  expect(res.errors).toBeUndefined();
  const { secret, subscription } = res.data.createWebhookSubscription;
  registerCanary(secret);
  return { secret, id: subscription.id, subscription };
}

async function deliveries(org: string, subscriptionId: string) {
  const res = await sg.gql(DELIVERY, { subscriptionId }, { token: await manager(org) });
  expect(res.errors).toBeUndefined();
  return res.data.webhookDeliveries.edges.map((e) => e.node);
}

describe('webhook subscriptions and signed deliveries', () => {
  const ORG = demoOrgId('acme');

  it('creates a subscription whose secret is answered once and stored encrypted; deliveries verify with it', async () => {
    const { secret, id, subscription } = await subscribe(ORG, '/hooks/verify');
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    expect(subscription).toEqual({
      id,
      url: receiver.url('/hooks/verify'),
      eventTypes: ['channel.created'],
      active: true,
    });
    const [row] = await sg.db.query<{ secret: string }>(
      'SELECT secret FROM agreements.webhook_subscription WHERE id = $1',
      [id],
    );
    expect(row!.secret).toMatch(/^v1\./);
    expect(row!.secret).not.toContain(secret.slice(6));

    const eventId = await emitChannelCreated(ORG);
    const [message] = await eventually(
      () => receiver.messages('/hooks/verify').length > 0 && receiver.messages('/hooks/verify'),
    );
    expect(message!.webhookId).toBe(eventId);
    const webhook = new Webhook(secret);
    const payload = webhook.verify(message!.body, message!.headers as Record<string, string>);
    expect(payload).toMatchObject({
      id: eventId,
      type: 'channel.created',
      v: 1,
      orgId: ORG,
      aggregate: { type: 'Channel' },
      data: { code: expect.stringMatching(/^WH-/) },
    });
    // a tampered body and a stale timestamp fail verification
    expect(() =>
      webhook.verify(
        message!.body.replace('"v":1', '"v":2'),
        message!.headers as Record<string, string>,
      ),
    ).toThrow();
    const stale = new Date(Date.now() - 6 * 60_000);
    expect(() =>
      webhook.verify(message!.body, {
        'webhook-id': eventId,
        'webhook-timestamp': String(Math.floor(stale.getTime() / 1000)),
        'webhook-signature': webhook.sign(eventId, stale, message!.body),
      }),
    ).toThrow(/timestamp/i);
    // another secret does not verify it
    expect(() =>
      new Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').verify(
        message!.body,
        message!.headers as Record<string, string>,
      ),
    ).toThrow();

    const [delivery] = await eventually(async () => {
      const list = await deliveries(ORG, id);
      return list[0]?.status === 'DELIVERED' && list;
    });
    expect(delivery).toMatchObject({
      eventId,
      eventType: 'channel.created',
      status: 'DELIVERED',
      attempts: 1,
      lastResponseCode: 200,
      lastError: null,
      nextAttemptAt: null,
      attemptLog: [{ number: 1, responseCode: 200, responseBody: 'answer 200', error: null }],
    });
    expect(delivery!.deliveredAt).toEqual(expect.any(String));

    // the events API shows the event to its organization
    const events = await sg.gql(
      op('Events'),
      { type: 'channel.created', first: 100 },
      { token: await manager(ORG) },
    );
    expect(events.data.events.edges.map((e) => e.node.id)).toContain(eventId);
    const foreign = await sg.gql(
      op('Events'),
      { type: 'channel.created', first: 100 },
      { token: await manager(demoOrgId('borealis')) },
    );
    expect(foreign.data.events.edges.map((e) => e.node.id)).not.toContain(eventId);
  });

  it('retries 500, 500 with growing delays, then 200: three attempts, DELIVERED, one event received', async () => {
    const org = demoOrgId('rheinland');
    const { id } = await subscribe(org, '/hooks/flaky');
    receiver.script('/hooks/flaky', [500, 500, 200]);
    const eventId = await emitChannelCreated(org);
    const [delivery] = await eventually(async () => {
      const list = await deliveries(org, id);
      return list[0]?.status === 'DELIVERED' && list;
    });
    expect(delivery).toMatchObject({
      eventId,
      status: 'DELIVERED',
      attempts: 3,
      lastResponseCode: 200,
    });
    expect(delivery!.attemptLog.map((a) => a.responseCode)).toEqual([500, 500, 200]);
    const times = receiver.messages('/hooks/flaky').map((m) => m.at);
    expect(times).toHaveLength(3);
    const [first, second] = [times[1]! - times[0]!, times[2]! - times[1]!];
    expect(first).toBeGreaterThanOrEqual(290);
    expect(second).toBeGreaterThan(first);
    // the receiver's deduplicated log: one event, under the same webhook-id each time
    expect(receiver.uniqueIds('/hooks/flaky')).toEqual(new Set([eventId]));
  });

  it('a 410 Gone disables the subscription (an event says so); redelivery after resuming delivers with the same webhook-id', async () => {
    const org = demoOrgId('nordic');
    const asOrg = { token: await manager(org) };
    const { id } = await subscribe(org, '/hooks/gone');
    receiver.script('/hooks/gone', [410]);
    const eventId = await emitChannelCreated(org);
    const state = await eventually(async () => {
      const res = await sg.gql(SUBSCRIPTION, { id }, asOrg);
      return res.data.webhookSubscription?.active === false && res.data.webhookSubscription;
    });
    expect(state.disabledReason).toMatch(/410 Gone/);
    const [dead] = await deliveries(org, id);
    expect(dead).toMatchObject({ status: 'DEAD', attempts: 1, lastResponseCode: 410 });
    const disabled = await sg.gql(
      op('Events'),
      { type: 'webhook_subscription.disabled', first: 10 },
      asOrg,
    );
    expect(disabled.data.events.edges.map((e) => e.node.payload)).toContainEqual(
      expect.objectContaining({ id, reason: 'the endpoint answered 410 Gone' }),
    );

    // resumed by its owner; the dead letter is redelivered
    const resumed = await sg.gql(UPDATE, { id, input: { active: true } }, asOrg);
    expect(resumed.data.updateWebhookSubscription).toMatchObject({
      active: true,
      disabledReason: null,
    });
    const redelivered = await sg.gql(op('RedeliverWebhook'), { deliveryId: dead!.id }, asOrg);
    expect(redelivered.errors).toBeUndefined();
    expect(redelivered.data.redeliverWebhook).toMatchObject({ id: dead!.id, attempts: 1 });
    await eventually(async () => (await deliveries(org, id))[0]?.status === 'DELIVERED');
    const ids = receiver.messages('/hooks/gone').map((m) => m.webhookId);
    expect(ids).toEqual([eventId, eventId]);
    const [audit] = await sg.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM agreements.audit_log WHERE action = 'webhook_delivery.redeliver' AND object_id = $1`,
      [dead!.id],
    );
    expect(audit!.n).toBe(1);
  });

  it('redelivery of a delivery already waiting changes nothing; replay re-queues a range, audited', async () => {
    const org = demoOrgId('pacific');
    const asOrg = { token: await manager(org) };
    const { id } = await subscribe(org, '/hooks/replay');
    const from = new Date(Date.now() - 1000).toISOString();
    const events = [await emitChannelCreated(org), await emitChannelCreated(org)];
    await eventually(async () => {
      const list = await deliveries(org, id);
      return list.length === 2 && list.every((d) => d.status === 'DELIVERED');
    });
    const to = new Date(Date.now() + 1000).toISOString();
    // stop the dispatcher so the re-queued deliveries stay PENDING while we look
    sg.setFlags({ ...ALL_ON, ENABLE_EVENT_DISPATCHER: false });
    try {
      const replay = await sg.gql(
        REPLAY,
        { subscriptionId: id, from, to, status: 'DELIVERED' },
        asOrg,
      );
      expect(replay.errors).toBeUndefined();
      expect(replay.data.replayWebhooks.queued).toBe(2);
      const again = await sg.gql(REPLAY, { subscriptionId: id, from, to }, asOrg);
      expect(again.data.replayWebhooks.queued).toBe(0);
      const [one] = await deliveries(org, id);
      expect(one!.status).toBe('PENDING');
      const first = await sg.gql(op('RedeliverWebhook'), { deliveryId: one!.id }, asOrg);
      const second = await sg.gql(op('RedeliverWebhook'), { deliveryId: one!.id }, asOrg);
      expect(second.data.redeliverWebhook).toEqual(first.data.redeliverWebhook);
      const badRange = await sg.gql(REPLAY, { subscriptionId: id, from: to, to: from }, asOrg);
      expect(codes(badRange)).toEqual(['BAD_USER_INPUT']);
      expect(firstErrorExtensions(badRange).field).toBe('to');
    } finally {
      sg.setFlags(ALL_ON);
    }
    await eventually(() => receiver.messages('/hooks/replay').length === 4);
    expect(receiver.uniqueIds('/hooks/replay')).toEqual(new Set(events));
    const [audit] = await sg.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM agreements.audit_log WHERE action = 'webhook_delivery.replay' AND object_id = $1`,
      [id],
    );
    expect(audit!.n).toBe(1);
  });

  it('rotates the secret: both secrets sign for 24 hours', async () => {
    const org = demoOrgId('atlantic');
    const asOrg = { token: await manager(org) };
    const { id, secret: old } = await subscribe(org, '/hooks/rotate');
    const rotated = await sg.gql(ROTATE, { id }, asOrg);
    expect(rotated.errors).toBeUndefined();
    const fresh = rotated.data.rotateWebhookSecret.secret;
    registerCanary(fresh);
    expect(fresh).not.toBe(old);
    const until = Date.parse(rotated.data.rotateWebhookSecret.subscription.previousSecretUntil!);
    expect(until - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    await emitChannelCreated(org);
    const [message] = await eventually(
      () => receiver.messages('/hooks/rotate').length > 0 && receiver.messages('/hooks/rotate'),
    );
    expect(String(message!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [old, fresh]) {
      expect(() =>
        new Webhook(secret).verify(message!.body, message!.headers as Record<string, string>),
      ).not.toThrow();
    }
  });

  it('keeps management to the owner organization with webhooks:manage', async () => {
    const org = demoOrgId('acme');
    const { id } = await subscribe(org, '/hooks/owned');
    const other = demoOrgId('borealis');
    const before = await sg.db.query('SELECT id FROM agreements.webhook_subscription');
    const foreign = await sg.gql(
      op('CreateWebhookSubscription'),
      { input: { orgId: org, url: receiver.url('/x'), eventTypes: ['*'] } },
      { token: await manager(other) },
    );
    expect(codes(foreign)).toEqual(['FORBIDDEN']);
    const noScope = await sg.gql(
      op('CreateWebhookSubscription'),
      { input: { orgId: org, url: receiver.url('/x'), eventTypes: ['*'] } },
      { token: await token({ sub: 'reader@acme', org, scope: 'org:write' }) },
    );
    expect(codes(noScope)).toEqual(['FORBIDDEN']);
    const rotate = await sg.gql(ROTATE, { id }, { token: await manager(other) });
    expect(codes(rotate)).toEqual(['NOT_FOUND']);
    const list = await sg.gql(
      op('WebhookDeliveries'),
      { subscriptionId: id },
      { token: await manager(other) },
    );
    expect(codes(list)).toEqual(['NOT_FOUND']);
    const badTypes = await sg.gql(
      op('CreateWebhookSubscription'),
      { input: { orgId: org, url: receiver.url('/x'), eventTypes: ['Ticket'] } },
      { token: await manager(org) },
    );
    expect(codes(badTypes)).toEqual(['BAD_USER_INPUT']);
    expect(firstErrorExtensions(badTypes).field).toBe('input.eventTypes.0');
    expect(await sg.db.query('SELECT id FROM agreements.webhook_subscription')).toHaveLength(
      before.length,
    );
  });
});

describe('SSRF: private targets refused unless the operator allows them', () => {
  const ORG = demoOrgId('acme');
  const PRIVATE_URLS = [
    'http://127.0.0.1:9/hook',
    'http://10.0.0.1/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]:9/hook',
  ];

  it('at creation: loopback, private, link-local and a host name resolving to loopback; nothing written', async () => {
    process.env.WEBHOOKS_ALLOW_PRIVATE_TARGETS = 'false';
    try {
      const before = await sg.db.query('SELECT id FROM agreements.webhook_subscription');
      // this machine's own name resolves to loopback (/etc/hosts)
      const own = await lookup(hostname(), { all: true });
      const urls = [
        ...PRIVATE_URLS,
        ...(own.every((a) => a.address.startsWith('127.') || a.address === '::1')
          ? [`http://${hostname()}:9/hook`]
          : []),
      ];
      expect(urls.length).toBeGreaterThanOrEqual(5);
      for (const url of urls) {
        const res = await sg.gql(
          op('CreateWebhookSubscription'),
          { input: { orgId: ORG, url, eventTypes: ['*'] } },
          { token: await manager(ORG) },
        );
        expect(codes(res), url).toEqual(['BAD_USER_INPUT']);
        expect(firstErrorExtensions(res).field).toBe('input.url');
        expect(res.errors?.[0]?.message).toMatch(/private, loopback or link-local/);
      }
      expect(await sg.db.query('SELECT id FROM agreements.webhook_subscription')).toHaveLength(
        before.length,
      );
    } finally {
      process.env.WEBHOOKS_ALLOW_PRIVATE_TARGETS = 'true';
    }
  });

  it('at delivery: a host that now resolves to loopback (stubbed DNS) and a private literal are refused before any request', async () => {
    const org = demoOrgId('koeln-klima');
    const asOrg = { token: await manager(org) };
    sg.setFlags({ ...ALL_ON, ENABLE_EVENT_DISPATCHER: false });
    const lookups: string[] = [];
    const dispatcher = createDispatcher(
      {
        db: sg.db,
        metrics: new Metrics({ defaultMetrics: false }),
        logger: createLogger('test', 'silent'),
      },
      {
        allowPrivateTargets: false,
        retrySchedule: [60_000],
        // DNS rebinding: the name resolved to a public address at creation, loopback now
        lookup: async (host) => {
          lookups.push(host);
          return [{ address: '127.0.0.1', family: 4 }];
        },
      },
    );
    try {
      const rebinding = await sg.gql(
        op('CreateWebhookSubscription'),
        {
          input: {
            orgId: org,
            url: `http://rebind.trellis.test:${receiver.port}/hooks/ssrf`,
            eventTypes: ['channel.created'],
          },
        },
        asOrg,
      );
      expect(rebinding.errors).toBeUndefined();
      const literal = await sg.gql(
        op('CreateWebhookSubscription'),
        {
          input: { orgId: org, url: 'http://10.0.0.1/hooks/ssrf', eventTypes: ['channel.created'] },
        },
        asOrg,
      );
      expect(literal.errors).toBeUndefined();
      await emitChannelCreated(org);
      await dispatcher.pass();
      const ids = [rebinding, literal].map((r) => r.data.createWebhookSubscription.subscription.id);
      for (const id of ids) {
        const [d] = await deliveries(org, id);
        expect(d).toMatchObject({ status: 'FAILED', attempts: 1, lastResponseCode: null });
        expect(d!.lastError).toMatch(/^refused: .*private, loopback or link-local/);
      }
      expect(lookups).toEqual(['rebind.trellis.test']);
      expect(receiver.messages('/hooks/ssrf')).toEqual([]);
    } finally {
      await dispatcher.close();
      sg.setFlags(ALL_ON);
    }
  });
});

describe('dispatcher bookkeeping', () => {
  it('counts deliveries by outcome and reports outbox lag and dead letters', async () => {
    const metrics = await sg.metrics.registry.getMetricsAsJSON();
    const deliveriesTotal = metrics.find((m) => m.name === 'webhook_deliveries_total')!;
    const outcomes = new Set(deliveriesTotal.values.map((v) => v.labels.outcome));
    expect(outcomes).toEqual(new Set(['delivered', 'failed', 'dead']));
    expect(metrics.map((m) => m.name)).toEqual(
      expect.arrayContaining([
        'webhook_delivery_seconds',
        'outbox_lag_seconds',
        'webhook_dead_letters',
      ]),
    );
  });

  it('delivers events committed while it was down once it is back', async () => {
    const org = demoOrgId('stockholm-klimat');
    const { id } = await subscribe(org, '/hooks/down');
    sg.setFlags({ ...ALL_ON, ENABLE_EVENT_DISPATCHER: false });
    const eventId = await emitChannelCreated(org);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.messages('/hooks/down')).toEqual([]);
    sg.setFlags(ALL_ON);
    await eventually(() => receiver.messages('/hooks/down').length === 1);
    expect(receiver.messages('/hooks/down')[0]!.webhookId).toBe(eventId);
    await eventually(async () => (await deliveries(org, id))[0]?.status === 'DELIVERED');
  });

  it('purges delivered deliveries, their attempts and events, and idempotency keys past retention', async () => {
    sg.setFlags({ ...ALL_ON, ENABLE_EVENT_DISPATCHER: false });
    const dispatcher = createDispatcher(
      {
        db: sg.db,
        metrics: new Metrics({ defaultMetrics: false }),
        logger: createLogger('test', 'silent'),
      },
      { retentionMs: 1 },
    );
    const count = async (sql: string) => (await sg.db.query<{ n: number }>(sql))[0]!.n;
    try {
      expect(
        await count(
          `SELECT count(*)::int AS n FROM agreements.webhook_delivery WHERE status = 'DELIVERED'`,
        ),
      ).toBeGreaterThan(0);
      await sg.db.query(
        `INSERT INTO catalog.idempotency_record (org_id, key, operation, request_hash, response, created_at)
         VALUES ('x', 'old-key', 'op', 'h', '{}', now() - interval '400 days')`,
      );
      await new Promise((r) => setTimeout(r, 10));
      await dispatcher.purge();
      expect(
        await count(
          `SELECT count(*)::int AS n FROM agreements.webhook_delivery WHERE status = 'DELIVERED'`,
        ),
      ).toBe(0);
      expect(
        await count(
          `SELECT count(*)::int AS n FROM agreements.webhook_attempt a JOIN agreements.webhook_delivery d ON d.id = a.delivery_id WHERE d.status = 'DELIVERED'`,
        ),
      ).toBe(0);
      expect(
        await count(
          `SELECT count(*)::int AS n FROM catalog.idempotency_record WHERE key = 'old-key'`,
        ),
      ).toBe(0);
      // events still owed to a subscription stay
      expect(
        await count(
          `SELECT count(*)::int AS n FROM agreements.webhook_delivery d LEFT JOIN agreements.outbox_event e ON e.id = d.event_id WHERE e.id IS NULL`,
        ),
      ).toBe(0);
    } finally {
      await dispatcher.close();
      sg.setFlags(ALL_ON);
    }
  });
});
