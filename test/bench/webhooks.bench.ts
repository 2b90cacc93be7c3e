import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { encryptSecret, newSigningSecret, startDispatcher } from '@trellis/agreements';
import { createLogger, Flags, Metrics } from '@trellis/kit';
import { type Database, migrateSlice, openDatabase } from '@trellis/prisma';
import { scratchDatabase } from '../support/database.js';

const EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 1000);
const RATE = Number(process.env.BENCH_WEBHOOK_RATE ?? 100);
const ORG = '0199b000-0000-7000-8000-00000000a001';
const base = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
// the bench runs as production, where the key is required
const KEY = 'bench-webhook-secret-key-0123456789abcdef';
process.env.WEBHOOK_SECRET_KEY = KEY;

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;

async function main() {
  if (!base) {
    console.log('webhooks: skipped (needs PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    return;
  }
  const scratch = await scratchDatabase(base);
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const port = (receiver.address() as AddressInfo).port;
  const open: Database[] = [];
  const database = async () => {
    const db = await openDatabase({ kind: 'postgres', url: scratch.url, poolSize: 10 });
    open.push(db);
    return db;
  };
  try {
    const db = await database();
    await migrateSlice(db, 'agreements');
    await db.query(
      `INSERT INTO agreements.webhook_subscription (id, org_id, url, event_types, secret, updated_at)
       VALUES (gen_random_uuid(), $1, $2, '{*}', $3, now())`,
      [ORG, `http://127.0.0.1:${port}/in`, encryptSecret(newSigningSecret(), KEY)],
    );
    const settings = { allowPrivateTargets: true, pollMs: 20, purgeEveryMs: 3_600_000 };
    const deps = async () => ({
      db: await database(),
      flags: Flags.fromSettings({ ENABLE_EVENT_DISPATCHER: true }),
      metrics: new Metrics({ defaultMetrics: false }),
      logger: createLogger('bench', 'warn'),
    });
    const insertEvents = (n: number) =>
      db.query(
        `INSERT INTO agreements.outbox_event (id, type, aggregate_type, aggregate_id, org_id, payload)
         SELECT gen_random_uuid(), 'bench.tick', 'Tick', i::text, $1, jsonb_build_object('i', i)
           FROM generate_series(1, ${n}) i`,
        [ORG],
      );
    const delivered = async () =>
      (
        await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM agreements.webhook_delivery WHERE status = 'DELIVERED'`,
        )
      )[0]!.n;

    console.log(`webhooks: ${EVENTS} events to one local receiver, PostgreSQL`);
    let done = 0;
    for (const replicas of [1, 4]) {
      await insertEvents(EVENTS);
      const workers = await Promise.all(
        Array.from({ length: replicas }, async () => startDispatcher(await deps(), settings)),
      );
      const t0 = performance.now();
      while ((await delivered()) < done + EVENTS) await new Promise((r) => setTimeout(r, 20));
      const seconds = (performance.now() - t0) / 1000;
      done += EVENTS;
      await Promise.all(workers.map((w) => w.stop()));
      console.log(
        `  ${replicas} replica${replicas > 1 ? 's' : ' '}: ${(EVENTS / seconds).toFixed(0)} events/s (${seconds.toFixed(1)} s)`,
      );
    }

    // steady load: RATE events/s for 10 s, in ticks of 100 ms, one dispatcher
    const worker = startDispatcher(await deps(), settings);
    const lags: number[] = [];
    const perTick = Math.max(1, Math.round(RATE / 10));
    for (let tick = 0; tick < 100; tick++) {
      const t = performance.now();
      await insertEvents(perTick);
      const [row] = await db.query<{ lag: number | null }>(
        `SELECT EXTRACT(EPOCH FROM now() - min(occurred_at))::float8 AS lag
           FROM agreements.outbox_event WHERE dispatched_at IS NULL`,
      );
      lags.push(row?.lag ?? 0);
      await new Promise((r) => setTimeout(r, Math.max(0, 100 - (performance.now() - t))));
    }
    await worker.stop();
    console.log(
      `  outbox lag at ${perTick * 10} events/s: p50 ${(percentile(lags, 50) * 1000).toFixed(0)} ms, p99 ${(percentile(lags, 99) * 1000).toFixed(0)} ms, max ${(Math.max(...lags) * 1000).toFixed(0)} ms`,
    );
  } finally {
    for (const db of open) await db.close();
    receiver.close();
    await scratch.drop();
  }
}

await main();
