import { describe, expect, it } from 'vitest';
import { documentIdOf } from '../trusted-documents.js';
import { contextOf, serverWith } from './testing.js';
import { trustedDocumentsPlugin } from './trusted-documents.js';

const HELLO = 'query Hello { hello }';
const documents = {
  [documentIdOf(HELLO)]: { operation: 'Hello', source: 'x.graphql', document: HELLO },
};

async function send(mode: 'accept' | 'only', body: Record<string, unknown>, method = 'POST') {
  const server = await serverWith(trustedDocumentsPlugin(documents, mode));
  const { HeaderMap } = await import('@apollo/server');
  const search = method === 'GET' ? `?${new URLSearchParams(body as Record<string, string>)}` : '';
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: {
      method,
      headers: new HeaderMap([
        ['content-type', 'application/json'],
        ['apollo-require-preflight', 'true'],
      ]),
      search,
      body: method === 'POST' ? body : undefined,
    },
    context: async () => contextOf(),
  });
  await server.stop();
  const text = response.body.kind === 'complete' ? response.body.string : '';
  return { status: response.status ?? 200, body: JSON.parse(text) };
}

describe('trustedDocumentsPlugin', () => {
  it('runs a trusted document by id, by POST and by GET', async () => {
    const id = documentIdOf(HELLO);
    expect(await send('only', { documentId: id })).toEqual({
      status: 200,
      body: { data: { hello: 'world' } },
    });
    expect((await send('only', { documentId: id }, 'GET')).body).toEqual({
      data: { hello: 'world' },
    });
  });

  it('refuses an unknown id with a stable code', async () => {
    const res = await send('accept', { documentId: documentIdOf('{ hello }') });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('TRUSTED_DOCUMENT_NOT_FOUND');
  });

  it('only: refuses an ad-hoc document, even one whose text is trusted', async () => {
    for (const body of [{ query: '{ hello }' }, { query: HELLO }]) {
      const res = await send('only', body);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
      expect(res.body.data).toBeUndefined();
    }
  });

  it('accept: ad-hoc documents still run; an id and a query together do not', async () => {
    expect((await send('accept', { query: '{ hello }' })).body).toEqual({
      data: { hello: 'world' },
    });
    const both = await send('accept', { documentId: documentIdOf(HELLO), query: '{ secret }' });
    expect(both.status).toBe(400);
    expect(both.body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });
});
