// Issue 18: readiness that means something, starts that fail clearly, warm-up before ready.

import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayHttpOptions } from '@trellis/gateway';
import { createLogger, listen, Metrics, type RunningService } from '@trellis/kit';
import { composeSupergraph } from '@trellis/tools';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startTrellis } from './support/process.js';
import { AUTH_SECRET, SIGNING_SECRET, supergraphForFile } from './support/supergraph.js';

const sg = supergraphForFile({ warmUp: true });
const closing: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closing) await close();
});

const readyOf = async (graphqlUrl: string) =>
  (await fetch(graphqlUrl.replace(/graphql$/, 'ready'))).status;

describe('readiness', () => {
  it('every subgraph is ready when its database answers and its migrations are current', async () => {
    for (const url of Object.values(sg.subgraphs)) expect(await readyOf(url)).toBe(200);
  });

  it('the gateway warmed up before it said ready: the contract read operations ran once', async () => {
    expect(await readyOf(sg.url)).toBe(200);
    expect(sg.logs()).toMatch(/"operations":\d\d?,"msg":"warmed up/);
  });

  it('the gateway is ready only when its subgraphs are, and asks them once per cache period', async () => {
    let probes = 0;
    let answer = 200;
    const stub: Server = createServer((req, res) => {
      if (req.url === '/ready') probes++;
      res.writeHead(answer).end();
    });
    await new Promise<void>((r) => stub.listen(0, '127.0.0.1', r));
    closing.push(() => new Promise((r) => stub.close(r)));
    const stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}/graphql`;
    const gateway: RunningService = await listen(
      gatewayHttpOptions({
        supergraphSdl: composeSupergraph(),
        subgraphUrls: { ...sg.subgraphs, pricing: stubUrl },
        signingSecret: SIGNING_SECRET,
        auth: { jwtSecret: AUTH_SECRET, demoAdmin: false },
        development: false,
        warmUp: false,
        readyCacheMs: 300,
        logger: createLogger('health-test', { level: 'silent' }),
        metrics: new Metrics({ defaultMetrics: false }),
      }),
      0,
    );
    closing.push(() => gateway.close());
    expect(await readyOf(gateway.url)).toBe(200);
    answer = 503;
    // still the cached answer: one probe per period, however often it is asked
    expect(await readyOf(gateway.url)).toBe(200);
    expect(probes).toBe(1);
    await new Promise((r) => setTimeout(r, 350));
    expect(await readyOf(gateway.url)).toBe(503);
    expect(probes).toBe(2);
  });
});

describe('metrics', () => {
  it('one endpoint in the all-in-one mode: the gateway port, every series labelled by service', async () => {
    await sg.gql('query MadeUpName { __typename }');
    const res = await fetch(sg.url.replace(/graphql$/, 'metrics'));
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toMatch(
      /graphql_request_duration_seconds_count\{service="gateway",operation="other"\}/,
    );
    expect(text).not.toContain('MadeUpName');
    for (const url of Object.values(sg.subgraphs))
      expect((await fetch(url.replace(/graphql$/, 'metrics'))).status).toBe(404);
  });
});

describe('start', () => {
  it('fails fast and clearly when the database is unreachable (never "Trellis is up")', async () => {
    const trellis = startTrellis({
      DATABASE_URL: 'postgresql://trellis:secret-password@127.0.0.1:1/trellis',
      GATEWAY_SIGNING_SECRET: SIGNING_SECRET,
      AUTH_JWT_SECRET: AUTH_SECRET,
      PORT: String(await freePort()),
    });
    expect(await trellis.exited).toBe(1);
    expect(trellis.output()).toMatch(/the database at 127\.0\.0\.1:1 does not answer/);
    expect(trellis.output()).not.toMatch(/Trellis is up|secret-password/);
  });

  it('a second start on a used port names the port and migrates nothing', async () => {
    const port = await freePort();
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(port + 3, '127.0.0.1', r));
    closing.push(() => new Promise((r) => taken.close(r)));
    const dataDir = join(mkdtempSync(join(tmpdir(), 'trellis-port-')), 'data');
    const trellis = startTrellis({ PORT: String(port), DATA_DIR: dataDir });
    expect(await trellis.exited).toBe(1);
    expect(trellis.output()).toContain(`port ${port + 3} on 127.0.0.1 is already in use`);
    expect(trellis.output()).not.toMatch(/migrations applied|Trellis is up/);
    expect(existsSync(dataDir)).toBe(false);
  });
});
