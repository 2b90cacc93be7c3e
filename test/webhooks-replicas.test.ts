// The dispatcher as separate processes on PostgreSQL: killed mid-batch (SIGKILL) and restarted,
// and two replicas at once. PostgreSQL only: PGlite is one connection in one process.
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoOrgId } from '@trellis/prisma/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCanary } from './support/canaries.js';
import { op } from './support/contract.js';
import { BACKEND, supergraphForFile, token } from './support/supergraph.js';
import { allowPrivateTargetsForFile, eventually, startReceiver } from './webhooks/receiver.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TSX = createRequire(join(ROOT, 'subgraphs/agreements/package.json')).resolve('tsx');
const EVENTS = 200;

describe.skipIf(BACKEND !== 'postgres')('the dispatcher as separate processes (PostgreSQL)', () => {
  allowPrivateTargetsForFile();
  const sg = supergraphForFile({ poolSize: 2 });
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const children = new Set<ChildProcess>();
  beforeAll(async () => {
    receiver = await startReceiver({ delayMs: 5 });
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await receiver.close();
  });

  /** A dispatcher process on the test database. */
  function dispatcher(env: Record<string, string> = {}): ChildProcess {
    const child = spawn(
      process.execPath,
      ['--import', TSX, 'subgraphs/agreements/src/dispatcher-main.ts'],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'test',
          DATABASE_URL: sg.databaseUrl!,
          ENABLE_EVENT_DISPATCHER: 'true',
          WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true',
          WEBHOOK_POLL_MS: '50',
          WEBHOOK_RETRY_SCHEDULE: '200ms,400ms',
          LOG_LEVEL: 'warn',
          ...env,
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    children.add(child);
    child.once('exit', () => children.delete(child));
    return child;
  }

  const kill = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });

  /** A subscription of `org` to the receiver's `path`, and EVENTS events of `org` in the outbox. */
  async function subscriptionWithEvents(org: string, path: string) {
    const res = await sg.gql(
      op('CreateWebhookSubscription'),
      { input: { orgId: org, url: receiver.url(path), eventTypes: ['bench.tick'] } },
      { token: await token({ sub: `hooks@${org}`, org, scope: 'webhooks:manage' }) },
    );
    expect(res.errors).toBeUndefined();
    registerCanary(res.data.createWebhookSubscription.secret);
    const rows = await sg.db.query<{ id: string }>(
      `INSERT INTO agreements.outbox_event (id, type, aggregate_type, aggregate_id, org_id, payload)
       SELECT gen_random_uuid(), 'bench.tick', 'Tick', i::text, $1, jsonb_build_object('i', i)
         FROM generate_series(1, ${EVENTS}) i RETURNING id::text`,
      [org],
    );
    return {
      id: res.data.createWebhookSubscription.subscription.id,
      eventIds: rows.map((r) => r.id),
    };
  }

  const statuses = async (subscriptionId: string) =>
    sg.db.query<{ status: string; n: number }>(
      `SELECT status::text, count(*)::int AS n FROM agreements.webhook_delivery
        WHERE subscription_id = $1 GROUP BY status`,
      [subscriptionId],
    );

  it('killed mid-batch twice (SIGKILL) and restarted: every event received, every delivery DELIVERED', async () => {
    const path = '/hooks/kill';
    const { id, eventIds } = await subscriptionWithEvents(demoOrgId('acme'), path);
    const env = { WEBHOOK_LEASE_MS: '1500' };
    let child = dispatcher(env);
    await eventually(() => receiver.messages(path).length >= 40, 60_000);
    await kill(child);
    child = dispatcher(env);
    await eventually(() => receiver.messages(path).length >= 120, 60_000);
    await kill(child);
    const beforeRestart = receiver.uniqueIds(path).size;
    expect(beforeRestart).toBeLessThan(EVENTS);
    child = dispatcher(env);
    await eventually(async () => {
      const s = await statuses(id);
      return s.length === 1 && s[0]!.status === 'DELIVERED' && s[0]!.n === EVENTS;
    }, 90_000);
    child.kill('SIGTERM');
    expect(receiver.uniqueIds(path)).toEqual(new Set(eventIds));
    // duplicates are allowed (a lease lapsed), losses are not
    expect(receiver.messages(path).length).toBeGreaterThanOrEqual(EVENTS);
  }, 240_000);

  it('two replicas: every event delivered, none twice (no lease lapsed)', async () => {
    const path = '/hooks/replicas';
    const { id, eventIds } = await subscriptionWithEvents(demoOrgId('rheinland'), path);
    const replicas = [dispatcher(), dispatcher()];
    await eventually(async () => {
      const s = await statuses(id);
      return s.length === 1 && s[0]!.status === 'DELIVERED' && s[0]!.n === EVENTS;
    }, 90_000);
    for (const r of replicas) r.kill('SIGTERM');
    expect(receiver.uniqueIds(path)).toEqual(new Set(eventIds));
    expect(receiver.messages(path)).toHaveLength(EVENTS);
    // one attempt recorded per delivery: no delivery was sent by both replicas
    const [attempts] = await sg.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM agreements.webhook_attempt a
         JOIN agreements.webhook_delivery d ON d.id = a.delivery_id WHERE d.subscription_id = $1`,
      [id],
    );
    expect(attempts!.n).toBe(EVENTS);
  }, 180_000);
});
