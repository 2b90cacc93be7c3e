import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edgeIntercept, requestIdOf } from './edge.js';

describe('requestIdOf', () => {
  it("keeps a client's plausible id", () => {
    expect(requestIdOf('abc-123_4.5')).toBe('abc-123_4.5');
  });

  it('replaces a missing, short, long or odd id with a fresh UUID', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const incoming of [
      undefined,
      '',
      'short',
      'x'.repeat(129),
      'has space id',
      'a\nb-c-d-e-f',
    ])
      expect(requestIdOf(incoming)).toMatch(uuid);
  });
});

const PAGE = '<html>explorer</html>';

describe('edgeIntercept', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const intercept = edgeIntercept({
      cors: { origins: ['http://localhost:*'] },
      explorer: () => ({ html: PAGE, gzipped: gzipSync(PAGE), etag: '"e1"' }),
    });
    server = createServer((req, res) => {
      if (!intercept(req, res)) res.end(`graphql ${req.headers['x-request-id']}`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('answers a preflight from an allowed origin with 204 and the allowed headers', async () => {
    const res = await fetch(`${base}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(res.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('gives a preflight from another origin no CORS header', async () => {
    const res = await fetch(`${base}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.test', 'access-control-request-method': 'POST' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('passes GraphQL requests on with the settled request id, answered too', async () => {
    const res = await fetch(`${base}/graphql`, { headers: { 'x-request-id': 'bad id' } });
    const id = res.headers.get('x-request-id');
    expect(await res.text()).toBe(`graphql ${id}`);
    const kept = await fetch(`${base}/graphql`, { headers: { 'x-request-id': 'client-id-1' } });
    expect(kept.headers.get('x-request-id')).toBe('client-id-1');
  });

  it('serves the explorer to browsers, gzipped, revalidated by ETag', async () => {
    const page = await fetch(`${base}/`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-encoding')).toBe('gzip');
    expect(await page.text()).toBe(PAGE);
    expect(page.headers.get('etag')).toBe('"e1"');
    const again = await fetch(`${base}/`, {
      headers: { accept: 'text/html', 'if-none-match': '"e1"' },
    });
    expect(again.status).toBe(304);
    const query = await fetch(`${base}/graphql?query=%7B__typename%7D`, {
      headers: { accept: 'text/html' },
    });
    expect(await query.text()).toMatch(/^graphql /);
  });
});
