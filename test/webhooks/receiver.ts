import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';

export interface ReceivedMessage {
  path: string;
  webhookId: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/**
 * A webhook receiver on 127.0.0.1: each path answers the statuses scripted for it in turn
 * (then 200), after `delayMs` when given, and every message is recorded.
 */
export async function startReceiver(options: { delayMs?: number } = {}) {
  const scripts = new Map<string, number[]>();
  const messages: ReceivedMessage[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      messages.push({
        path,
        webhookId: String(req.headers['webhook-id']),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      });
      const status = scripts.get(path)?.shift() ?? 200;
      const answer = () =>
        res.writeHead(status, { 'content-type': 'text/plain' }).end(`answer ${status}`);
      if (options.delayMs) setTimeout(answer, options.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    /** the statuses `path` answers next */
    script: (path: string, statuses: number[]) => scripts.set(path, [...statuses]),
    messages: (path?: string) => messages.filter((m) => path === undefined || m.path === path),
    /** the receiver's deduplicated log: each webhook-id once */
    uniqueIds: (path?: string) =>
      new Set(
        messages.filter((m) => path === undefined || m.path === path).map((m) => m.webhookId),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Falsy = false | 0 | '' | null | undefined;

/** Polls `check` until it answers truthy (a test's own deadline bounds it). */
export async function eventually<T>(
  check: () => Promise<T | Falsy> | T | Falsy,
  timeoutMs = 20_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as T;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The operator's switch that lets webhooks reach the receiver on loopback, on for the test
 * file (from now: the supergraph reads it per request) and put back after it.
 */
export function allowPrivateTargetsForFile(): void {
  const previous = process.env.WEBHOOKS_ALLOW_PRIVATE_TARGETS;
  process.env.WEBHOOKS_ALLOW_PRIVATE_TARGETS = 'true';
  afterAll(() => {
    if (previous === undefined) delete process.env.WEBHOOKS_ALLOW_PRIVATE_TARGETS;
    else process.env.WEBHOOKS_ALLOW_PRIVATE_TARGETS = previous;
  });
}
