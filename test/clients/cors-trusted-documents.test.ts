// What browser frontends and partners meet at the edge: CORS for listed origins (CSRF
// prevention still on for simple requests), and trusted documents only for partners.
import { committedTrustedDocuments, documentIdOf } from '@trellis/gateway';
import { demoOrgId } from '@trellis/prisma/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminToken,
  codes,
  startTestSupergraph,
  type TestSupergraph,
} from '../support/supergraph.js';

const FRONTEND = 'http://localhost:5173';
const documents = committedTrustedDocuments();
const idOf = (operation: string) => {
  const entry = Object.entries(documents).find(([, d]) => d.operation === operation);
  if (!entry) throw new Error(`no trusted document for ${operation}`);
  return entry[0];
};

let sg: TestSupergraph;
let bearer: string;
beforeAll(async () => {
  sg = await startTestSupergraph({
    edge: { cors: { origins: [FRONTEND] }, trustedDocuments: 'only' },
  });
  bearer = await adminToken();
});
afterAll(() => sg?.close());

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(sg.url, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('CORS', () => {
  it(`a preflight from ${FRONTEND} gets 204 with the methods and headers`, async () => {
    const res = await fetch(sg.url, {
      method: 'OPTIONS',
      headers: {
        origin: FRONTEND,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, idempotency-key',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(FRONTEND);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    for (const name of [
      'authorization',
      'content-type',
      'apollo-require-preflight',
      'idempotency-key',
      'x-request-id',
    ])
      expect(res.headers.get('access-control-allow-headers')).toContain(name);
  });

  it('an answer to that origin carries its CORS headers; another origin’s does not', async () => {
    const body = { documentId: idOf('Organizations'), variables: { first: 1 } };
    const allowed = await post(body, { origin: FRONTEND });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(FRONTEND);
    expect(allowed.headers.get('access-control-expose-headers')).toBe('x-request-id');
    const other = await post(body, { origin: 'https://evil.test' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('a simple text/plain POST from the allowed origin is still refused (CSRF)', async () => {
    const res = await post(JSON.stringify({ documentId: idOf('Organizations') }), {
      origin: FRONTEND,
      'content-type': 'text/plain',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/Cross-Site Request Forgery/);
  });
});

describe('TRUSTED_DOCUMENTS=only', () => {
  it('answers the contract’s operations by id: the flagship with prices', async () => {
    const res = await post({
      documentId: idOf('OrgCatalogWithPrices'),
      variables: { orgId: demoOrgId('acme'), first: 5 },
    });
    const body = (await res.json()) as any;
    expect(body.errors).toBeUndefined();
    const prices = body.data.organization.channels.flatMap((c: any) =>
      (c.catalog?.entries.edges ?? []).map((e: any) => e.node.price?.price?.amount),
    );
    expect(prices.filter(Boolean).length).toBeGreaterThan(0);
  });

  it('refuses any ad-hoc document, APQ included, with a stable code', async () => {
    const text = documents[idOf('Organizations')]!.document;
    for (const body of [
      { query: '{ organizations { totalCount } }' },
      { query: text }, // even the text of a trusted document
      { extensions: { persistedQuery: { version: 1, sha256Hash: documentIdOf(text).slice(7) } } },
    ]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      const parsed = (await res.json()) as any;
      expect(codes(parsed)).toEqual(['TRUSTED_DOCUMENT_REQUIRED']);
      expect(parsed.data).toBeUndefined();
    }
  });

  it('refuses an unknown id', async () => {
    const res = await post({ documentId: documentIdOf('{ organizations { totalCount } }') });
    expect(res.status).toBe(400);
    expect(codes((await res.json()) as any)).toEqual(['TRUSTED_DOCUMENT_NOT_FOUND']);
  });
});
