import { Worker } from 'node:worker_threads';
import { ApolloServer } from '@apollo/server';
import { expect, it } from 'vitest';
import { listen } from './http.js';
import { createLogger } from './logger.js';
import { Metrics } from './metrics.js';

/** An HTTP GET from another thread, so it is sent while this thread's event loop is blocked. */
const getFromThread = (port: number, path: string, afterMs: number) =>
  new Promise<string>((resolve) => {
    const worker = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       const http = require('node:http');
       setTimeout(() => {
         http.get({ port: workerData.port, path: workerData.path, agent: false }, (res) => {
           let body = '';
           res.on('data', (c) => (body += c)).on('end', () => parentPort.postMessage(String(res.statusCode) + ' ' + body));
         }).on('error', (e) => parentPort.postMessage(e.code));
       }, workerData.afterMs);`,
      { eval: true, workerData: { port, path, afterMs } },
    );
    worker.once('message', (m: string) => {
      resolve(m);
      void worker.terminate();
    });
  });

it('a stop while the event loop is blocked still answers what clients sent before it', async () => {
  const service = await listen(
    {
      name: 'drain-test',
      apollo: new ApolloServer({ typeDefs: 'type Query { a: Int }' }),
      context: async () => ({}),
      ready: async () => true,
      metrics: new Metrics({ defaultMetrics: false }),
      logger: createLogger('drain-test', { level: 'silent' }),
      intercept: (req, res) => {
        // a long synchronous stretch, as a busy process has (the embedded database's queries)
        if (req.url === '/block') for (const end = Date.now() + 1_500; Date.now() < end; );
        res.end(req.url);
        return true;
      },
    },
    0,
  );
  // the stop begins; a request then blocks the loop for 1.5 s, and another is sent meanwhile:
  // it waits in the listen backlog until the loop is free, by when the stop's first half
  // second has long passed
  const closed = service.close();
  const blocking = getFromThread(service.port, '/block', 0);
  const waiting = getFromThread(service.port, '/after', 300);
  expect(await blocking).toBe('200 /block');
  expect(await waiting).toBe('200 /after');
  await closed;
});
