import cluster, { type Worker } from 'node:cluster';
import type { Logger, Metrics } from '@trellis/kit';
import { AggregatorRegistry } from 'prom-client';

/**
 * One process per core for the all-in-one runtime on PostgreSQL (`WORKERS`). Node runs
 * JavaScript on one core per process; the primary forks the workers and they share its
 * listening ports (node:cluster hands connections out in turn). Each worker is a whole
 * supergraph: gateway and the six subgraphs, its own pool, plan cache and loaders. What must
 * be one across workers is kept so: rate-limit budgets in Redis (config requires REDIS_URL),
 * metrics aggregated on every scrape (below), background work in worker 0 only.
 */

/** The environment variable that tells a forked worker its index (0…WORKERS-1). */
const WORKER_INDEX = 'TRELLIS_WORKER_INDEX';
const TAG = 'trellis:workers';

type Message =
  | { [TAG]: 'up'; url: string }
  | { [TAG]: 'scrape'; id: number }
  | { [TAG]: 'scraped'; id: number; text?: string; error?: string };

const isMessage = (m: unknown): m is Message =>
  typeof m === 'object' && m !== null && TAG in (m as Record<string, unknown>);

/** This process's index when it is a worker of `runWorkers`, else undefined. */
export function workerIndex(): number | undefined {
  return cluster.isWorker ? Number(process.env[WORKER_INDEX] ?? 0) : undefined;
}

export interface Workers {
  /** the gateway's URL once every worker listens; rejects when one fails to start */
  up: Promise<string>;
  /** SIGTERM to every worker (each finishes its requests in flight), then waits for them */
  stop(): Promise<void>;
}

/**
 * How long a worker that exited unexpectedly waits before it is started again: a second, twice
 * as long for each restart of that worker within the last minute (a crash loop), at most 30 s.
 */
export function restartDelayMs(recentRestarts: number): number {
  return Math.min(30_000, 1_000 * 2 ** recentRestarts);
}
const RESTART_WINDOW_MS = 60_000;

/**
 * The primary's side: forks `count` workers (this same program), answers their scrapes with
 * every worker's metrics aggregated, and starts a worker again when it dies after the start.
 * A worker that dies before every worker is up fails the start (a worker cannot start where
 * the others could not either: the database, the configuration).
 */
export function runWorkers(count: number, logger: Logger, stopAfterMs: number): Workers {
  const aggregator = new AggregatorRegistry();
  const indexOf = new Map<Worker, number>();
  /** when each worker index was last restarted, within RESTART_WINDOW_MS */
  const restarts = new Map<number, number[]>();
  const listening = new Set<number>();
  let stopping = false;
  let started: (url: string) => void;
  let failed: (error: Error) => void;
  const up = new Promise<string>((resolve, reject) => {
    started = resolve;
    failed = reject;
  });
  up.catch(() => {}); // the caller awaits it; an early failure is not unhandled meanwhile
  let allUp = false;

  const fork = (index: number) => {
    const worker = cluster.fork({ [WORKER_INDEX]: String(index) });
    indexOf.set(worker, index);
    worker.on('message', async (message: unknown) => {
      if (!isMessage(message)) return;
      if (message[TAG] === 'up') {
        listening.add(index);
        if (!allUp && listening.size === count) {
          allUp = true;
          started(message.url);
        }
      } else if (message[TAG] === 'scrape') {
        const reply = await aggregator.clusterMetrics().then(
          (text) => ({ text }),
          (error: Error) => ({ error: error.message }),
        );
        if (worker.isConnected()) worker.send({ [TAG]: 'scraped', id: message.id, ...reply });
      }
    });
    worker.on('exit', (code, signal) => {
      indexOf.delete(worker);
      listening.delete(index);
      if (stopping) return;
      if (!allUp) {
        failed(new Error(`worker ${index} exited during the start (${signal ?? code})`));
        return;
      }
      const now = Date.now();
      const recent = (restarts.get(index) ?? []).filter((t) => now - t < RESTART_WINDOW_MS);
      restarts.set(index, [...recent, now]);
      const delayMs = restartDelayMs(recent.length);
      logger.error({ worker: index, code, signal, delayMs }, 'worker exited; starting it again');
      setTimeout(() => !stopping && fork(index), delayMs).unref();
    });
  };
  for (let i = 0; i < count; i++) fork(i);

  return {
    up,
    async stop() {
      stopping = true;
      const exits = [...indexOf.keys()].map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            worker.once('exit', () => resolve());
            // past its grace period (and a margin for closing pools) a worker is killed
            const kill = setTimeout(() => worker.process.kill('SIGKILL'), stopAfterMs);
            worker.once('exit', () => clearTimeout(kill));
            worker.process.kill('SIGTERM');
          }),
      );
      await Promise.all(exits);
    },
  };
}

/**
 * The worker's side: `/metrics` answers every worker's metrics, aggregated by the primary
 * (counters and histograms summed, gauges by their aggregator), so a scrape of any port
 * counts each request once whichever worker answers it; then tells the primary it is up.
 */
export function joinWorkers(metrics: Metrics, url: string): void {
  // answers the primary's requests for this worker's registry
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([metrics.registry]);
  const pending = new Map<number, (reply: { text?: string; error?: string }) => void>();
  let nextId = 0;
  process.on('message', (message: unknown) => {
    if (isMessage(message) && message[TAG] === 'scraped') {
      pending.get(message.id)?.(message);
      pending.delete(message.id);
    }
  });
  metrics.scrapeFrom(
    () =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, (reply) =>
          reply.text === undefined ? reject(new Error(reply.error)) : resolve(reply.text),
        );
        process.send!({ [TAG]: 'scrape', id } satisfies Message);
      }),
  );
  process.send!({ [TAG]: 'up', url } satisfies Message);
}
