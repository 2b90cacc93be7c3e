// Tracing and the access log, through the gateway: an OTLP/HTTP collector stub on loopback
// receives the spans of one flagship request.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTracing, type Tracing } from '@trellis/kit';
import { demoOrgId } from '@trellis/prisma/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { op } from './support/contract.js';
import { BACKEND } from './support/database.js';
import { startTestSupergraph, type TestSupergraph, token } from './support/supergraph.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string; intValue?: number | string } }[];
}

/** An OTLP/HTTP (JSON) trace collector on 127.0.0.1 that keeps every span it is sent. */
async function startCollector() {
  const spans: OtlpSpan[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/v1/traces' && req.headers['content-type'] === 'application/json') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        for (const rs of body.resourceSpans ?? [])
          for (const ss of rs.scopeSpans ?? []) spans.push(...(ss.spans ?? []));
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const attr = (span: OtlpSpan, key: string) => {
  const v = span.attributes.find((a) => a.key === key)?.value;
  return v?.stringValue ?? (v?.intValue === undefined ? undefined : Number(v.intValue));
};

const KOELN = demoOrgId('koeln-klima');
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

let collector: Awaited<ReturnType<typeof startCollector>>;
let tracing: Tracing;
let sg: TestSupergraph;
beforeAll(async () => {
  collector = await startCollector();
  // the standard variables, as an operator sets them
  tracing = startTracing('trellis', { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url })!;
  sg = await startTestSupergraph();
});
afterAll(async () => {
  await sg?.close();
  await tracing?.shutdown();
  await collector?.close();
});

/** The spans of the requests sent in `send`, once exported. */
async function spansOf(send: () => Promise<unknown>): Promise<OtlpSpan[]> {
  await tracing.flush();
  collector.spans.length = 0;
  await send();
  await tracing.flush();
  return [...collector.spans];
}

const flagship = async (headers: Record<string, string> = {}) => {
  const res = await sg.gql(
    op('OrgCatalogWithPrices'),
    { orgId: KOELN, first: 100 },
    { token: await token({ sub: 'dealer-user', org: KOELN }), headers },
  );
  expect(res.errors).toBeUndefined();
  return res;
};

describe('OpenTelemetry tracing', () => {
  it('makes one flagship request one trace: plan, fetches, subgraph requests, batches, SQL', async () => {
    const spans = await spansOf(() => flagship());
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);

    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const roots = spans.filter((s) => !s.parentSpanId || !byId.has(s.parentSpanId));
    expect(roots.map((s) => [s.name, attr(s, 'trellis.service')])).toEqual([
      ['POST /graphql', 'gateway'],
    ]);
    const names = spans.map((s) => s.name);
    expect(names).toContain('gateway.plan');
    const fetches = spans.filter((s) => s.name === 'gateway.fetch');
    expect(fetches.length).toBeGreaterThanOrEqual(3);

    // each subgraph's request is a child of the gateway's fetch that called it
    const subgraphServers = spans.filter(
      (s) => s.name === 'POST /graphql' && attr(s, 'trellis.service') !== 'gateway',
    );
    expect(new Set(subgraphServers.map((s) => attr(s, 'trellis.service')))).toEqual(
      new Set(['org-graph', 'catalog', 'pricing']),
    );
    for (const s of subgraphServers) expect(byId.get(s.parentSpanId!)?.name).toBe('gateway.fetch');

    expect(names.some((n) => n.startsWith('batch '))).toBe(true);

    const sql = spans.filter((s) => attr(s, 'db.system.name') === 'postgresql');
    expect(new Set(sql.map((s) => attr(s, 'db.namespace')))).toEqual(
      new Set(['org-graph', 'catalog', 'pricing']),
    );
    // the transaction envelope is a span too where it is sent: PGlite's shared read transaction
    // (on PostgreSQL a read carries its settings in its own round trip, with no BEGIN)
    expect(sql.map((s) => s.name)).toEqual(
      expect.arrayContaining(BACKEND === 'pglite' ? ['BEGIN', 'SELECT'] : ['SELECT']),
    );
    if (BACKEND === 'postgres') expect(sql.map((s) => s.name)).not.toContain('BEGIN');
    for (const s of sql) {
      const text = String(attr(s, 'db.query.text'));
      // sanitised: no literal value (no quoted string, no id) reaches the collector
      expect(text).not.toMatch(/'/);
      expect(text).not.toMatch(UUID);
    }
  });

  it("continues the caller's W3C traceparent", async () => {
    const traceId = randomBytes(16).toString('hex');
    const parent = randomBytes(8).toString('hex');
    const spans = await spansOf(() => flagship({ traceparent: `00-${traceId}-${parent}-01` }));
    expect(spans.length).toBeGreaterThan(10);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([traceId]));
    const gateway = spans.find(
      (s) => s.name === 'POST /graphql' && attr(s, 'trellis.service') === 'gateway',
    );
    expect(gateway?.parentSpanId).toBe(parent);
  });
});

describe('logs', () => {
  const lines = () =>
    sg
      .logs()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  it('writes one access line per request at the gateway: operation, status, duration, organization, request id', async () => {
    const before = lines().length;
    const requestId = `access-${randomBytes(6).toString('hex')}`;
    const res = await flagship({ 'x-request-id': requestId });
    expect(res.headers.get('x-request-id')).toBe(requestId);
    const access = lines()
      .slice(before)
      .filter((l) => l.msg === 'request' && l.requestId === requestId);
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({
      operation: 'OrgCatalogWithPrices',
      status: 200,
      org: KOELN,
      errors: 0,
      method: 'POST',
      path: '/graphql',
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(access[0]?.durationMs).toEqual(expect.any(Number));
  });

  it('logs a refusal before GraphQL too, and carries request and trace ids on other lines', async () => {
    const before = lines().length;
    const requestId = `refused-${randomBytes(6).toString('hex')}`;
    const res = await fetch(sg.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: '{not json',
    });
    expect(res.status).toBe(400);
    await res.text();
    const mine = lines()
      .slice(before)
      .filter((l) => l.requestId === requestId);
    expect(mine.map((l) => [l.msg, l.status, l.operation])).toEqual([['request', 400, null]]);

    // a line written inside a request by a logger not bound to it (the refusal log)
    const refused = `forbidden-${randomBytes(6).toString('hex')}`;
    await sg.gql(
      op('OrgCatalogWithPrices'),
      { orgId: KOELN },
      { token: null, headers: { 'x-request-id': refused } },
    );
    const refusal = lines().find(
      (l) => l.requestId === refused && String(l.msg).startsWith('request refused'),
    );
    expect(refusal).toMatchObject({ traceId: expect.stringMatching(/^[0-9a-f]{32}$/) });
  });
});
