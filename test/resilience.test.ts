// Issue 18: a slow or dead subgraph costs its own fields, not the request. A second gateway
// runs beside the test supergraph with pricing behind a switchable stub (passing through,
// hanging, answering 500) or on a port nobody listens on.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gatewayHttpOptions } from '@trellis/gateway';
import {
  CALLER_HEADER,
  createLogger,
  DEADLINE_HEADER,
  listen,
  Metrics,
  type RunningService,
  signCaller,
} from '@trellis/kit';
import { demoOrgId } from '@trellis/prisma/seed';
import { composeSupergraph } from '@trellis/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrgCatalogWithPricesDocument } from './__generated__/contract.js';
import { AUTH_SECRET, SIGNING_SECRET, supergraphForFile } from './support/supergraph.js';

const sg = supergraphForFile();
const ACME = demoOrgId('acme');
// short, yet long enough for a loaded machine's first flagship on PostgreSQL
const TIMEOUT_MS = 2_000;

type Mode = 'pass' | 'hang' | '500';
let mode: Mode = 'pass';
const seen: { deadline?: string }[] = [];
const hanging: ServerResponse[] = [];

/** pricing behind a switch: forwards, hangs or answers 500 */
function pricingStub(target: () => string): Server {
  return createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    seen.push({ deadline: req.headers[DEADLINE_HEADER] as string | undefined });
    if (mode === 'hang') return void hanging.push(res);
    if (mode === '500') {
      res.writeHead(500, { 'content-type': 'application/json' });
      return void res.end('{"errors":[{"message":"boom at pricing.internal:4003"}]}');
    }
    const { host: _h, 'content-length': _l, ...headers } = req.headers;
    const answer = await fetch(target(), {
      method: 'POST',
      headers: headers as Record<string, string>,
      body: Buffer.concat(chunks),
    });
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(await answer.text());
  });
}

const metrics = new Metrics({ defaultMetrics: false });
const lines: string[] = [];
let stub: Server;
let stubUrl: string;
let refusedUrl: string;
const gateways: RunningService[] = [];

async function gatewayWith(pricingUrl: string, extra: { breakerFailures?: number } = {}) {
  const gateway = await listen(
    gatewayHttpOptions({
      supergraphSdl: composeSupergraph(),
      subgraphUrls: { ...sg.subgraphs, pricing: pricingUrl },
      signingSecret: SIGNING_SECRET,
      auth: { jwtSecret: AUTH_SECRET, demoAdmin: false },
      development: false,
      // no warm-up: its requests would reach the stub at random moments and count as calls
      warmUp: false,
      subgraphTimeouts: { pricing: TIMEOUT_MS },
      resilience: { breakerFailures: extra.breakerFailures ?? 100, halfOpenAfterMs: 3_000 },
      logger: createLogger('resilience-test', {
        destination: { write: (l: string) => void lines.push(l) },
      }),
      metrics,
    }),
    0,
  );
  gateways.push(gateway);
  return gateway.url;
}

beforeAll(async () => {
  stub = pricingStub(() => sg.subgraphs.pricing!);
  await new Promise<void>((r) => stub.listen(0, '127.0.0.1', r));
  stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}/graphql`;
  // a port that was just free: connections to it are refused
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  refusedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/graphql`;
  await new Promise((r) => closed.close(r));
});
afterAll(async () => {
  for (const res of hanging) res.destroy();
  for (const g of gateways) await g.close();
  await new Promise((r) => stub.close(r));
});

const flagship = (url: string) =>
  sg.gql(OrgCatalogWithPricesDocument, { orgId: ACME, first: 20 }, { url });

type Answer = Awaited<ReturnType<typeof flagship>>;

/** every entry is there without its price; one pathed SUBGRAPH_UNAVAILABLE error per price */
function expectPricesMissing(res: Answer) {
  expect(res.status).toBe(200);
  const channels = res.data.organization?.channels ?? [];
  const entries = channels.flatMap((c, ci) =>
    (c.catalog?.entries.edges ?? []).map((e, ei) => ({ e, ci, ei })),
  );
  expect(entries.length).toBeGreaterThan(0);
  for (const { e } of entries) {
    expect(e.node.sku.code).toBeTruthy();
    expect(e.node.price).toBeNull();
  }
  expect(res.errors?.length).toBe(entries.length);
  expect(res.errors?.map((e) => e.path)).toEqual(
    entries.map(({ ci, ei }) => [
      'organization',
      'channels',
      ci,
      'catalog',
      'entries',
      'edges',
      ei,
      'node',
      'price',
    ]),
  );
  for (const error of res.errors ?? []) {
    expect(error.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE' });
    expect(error.message).not.toMatch(/pricing|127\.0\.0\.1|:\d{4}/);
  }
}

describe('the all-in-one runtime calls its subgraphs in-process', () => {
  it('and answers exactly what a gateway calling them over HTTP answers', async () => {
    const overHttp = await gatewayWith(sg.subgraphs.pricing!);
    const [local, remote] = await Promise.all([flagship(sg.url), flagship(overHttp)]);
    expect(local.errors).toBeUndefined();
    expect(local.data.organization?.channels?.length).toBeGreaterThan(0);
    expect({ data: remote.data, errors: remote.errors }).toEqual({
      data: local.data,
      errors: undefined,
    });
  });
});

describe('resilience: a subgraph that is slow or down costs its fields, not the request', () => {
  it('passes through when pricing answers, with the fetch deadline propagated', async () => {
    const url = await gatewayWith(stubUrl);
    mode = 'pass';
    const res = await flagship(url);
    expect(res.errors).toBeUndefined();
    const first = res.data.organization?.channels?.[0]?.catalog?.entries.edges[0];
    expect(first?.node.price).not.toBeNull();
    const deadline = Number(seen.at(-1)?.deadline);
    expect(deadline).toBeGreaterThan(0);
    expect(deadline).toBeLessThanOrEqual(TIMEOUT_MS);
  });

  it('a frozen pricing: answers within the timeout, with partial data and pathed errors', async () => {
    const url = await gatewayWith(stubUrl);
    mode = 'hang';
    const started = Date.now();
    const res = await flagship(url);
    const elapsed = Date.now() - started;
    expectPricesMissing(res);
    // the timeout is 2 s; the client default would hold the request 300 s, the gateway's 5 s
    expect(elapsed).toBeLessThan(5_000);
    expect(lines.join('')).toMatch(/"subgraph":"pricing","reason":"timeout"/);
  });

  it('a pricing answering 500: partial data, nothing of its body leaked', async () => {
    const url = await gatewayWith(stubUrl);
    mode = '500';
    const res = await flagship(url);
    expectPricesMissing(res);
    expect(JSON.stringify(res.errors)).not.toMatch(/boom|internal/);
  });

  it('a pricing refusing connections: partial data after a budgeted retry of the query', async () => {
    const url = await gatewayWith(refusedUrl);
    const retried = async () =>
      (await metrics.registry.getSingleMetric('gateway_subgraph_retries_total')!.get()).values
        .filter((v) => v.labels.subgraph === 'pricing')
        .reduce((s, v) => s + v.value, 0);
    const before = await retried();
    expectPricesMissing(await flagship(url));
    expect(await retried()).toBe(before + 1);
  });

  it('opens the circuit after consecutive failures, then a half-open probe closes it', async () => {
    const url = await gatewayWith(stubUrl, { breakerFailures: 2 });
    mode = '500';
    await flagship(url);
    await flagship(url);
    const sent = seen.length;
    // open: pricing is not called at all
    expectPricesMissing(await flagship(url));
    expect(seen.length).toBe(sent);
    mode = 'pass';
    await new Promise((r) => setTimeout(r, 3_100));
    const res = await flagship(url);
    expect(res.errors).toBeUndefined();
    expect(seen.length).toBeGreaterThan(sent);
    const state = (
      await metrics.registry.getSingleMetric('gateway_subgraph_circuit_state')!.get()
    ).values.find((v) => v.labels.subgraph === 'pricing');
    expect(state?.value).toBe(0);
  });
});

describe('deadline: a subgraph stops work its caller no longer waits for', () => {
  it('sends no SQL for a request whose deadline has passed', async () => {
    const caller = { subject: 'platform-admin', orgId: null, scopes: new Set(['admin'] as const) };
    // earlier tests' fetches that the gateway gave up on may still be finishing
    await new Promise((r) => setTimeout(r, 1_000));
    const before = await sg.statements('org-graph', 'query');
    const res = await fetch(sg.subgraphs['org-graph']!, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [CALLER_HEADER]: await signCaller(caller as never, SIGNING_SECRET, 'request-deadline-1'),
        [DEADLINE_HEADER]: '0',
      },
      body: JSON.stringify({ query: `{ organization(id: "${ACME}") { id name } }` }),
    });
    const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.[0]?.extensions?.code).toBe('DEADLINE_EXCEEDED');
    expect(await sg.statements('org-graph', 'query')).toBe(before);
  });
});
