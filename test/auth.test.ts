import { CALLER_HEADER, signCaller } from '@trellis/kit';
import { demoOrgId } from '@trellis/prisma/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { op } from './support/contract.js';
import {
  codes,
  SIGNING_SECRET,
  startTestSupergraph,
  type TestSupergraph,
  token,
} from './support/supergraph.js';

let sg: TestSupergraph;
beforeAll(async () => {
  sg = await startTestSupergraph();
});
afterAll(() => sg?.close());

describe('authentication at the gateway', () => {
  it('refuses a request without a token outside the embedded demo', async () => {
    const res = await sg.gql(op('Organizations'), {}, { token: null });
    expect(res.status).toBe(401);
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses expired, forged and malformed tokens', async () => {
    const expired = await token({ expiresIn: '-1m', scope: 'admin' });
    expect(codes(await sg.gql(op('Organizations'), {}, { token: expired }))).toEqual([
      'UNAUTHENTICATED',
    ]);
    const forged = (await token({ scope: 'admin' })).replace(/.{4}$/, 'AAAA');
    expect(codes(await sg.gql(op('Organizations'), {}, { token: forged }))).toEqual([
      'UNAUTHENTICATED',
    ]);
    expect(codes(await sg.gql(op('Organizations'), {}, { token: 'not-a-jwt' }))).toEqual([
      'UNAUTHENTICATED',
    ]);
  });

  it('accepts a valid token and carries a request id back', async () => {
    const res = await sg.gql(
      op('Organizations'),
      { first: 1 },
      {
        token: await token({ org: demoOrgId('acme') }),
        headers: { 'x-request-id': 'req-test-00000001' },
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.headers.get('x-request-id')).toBe('req-test-00000001');
  });
});

describe('subgraphs refuse anyone but the gateway', () => {
  const post = (url: string, query: string, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
  const entities = `{ _entities(representations: [{ __typename: "Organization", id: "${demoOrgId('acme')}" }]) { ... on Organization { name } } }`;

  it.each([
    ['_service', '{ _service { sdl } }'],
    ['_entities', entities],
    ['a root field', '{ organizations { totalCount } }'],
  ])('refuses %s without the gateway signature or with a forged one', async (_, query) => {
    const url = sg.subgraphs['org-graph']!;
    const bare = await post(url, query);
    expect(bare.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(bare.body.data ?? null).toBeNull();
    const admin = { subject: 'x', orgId: null, scopes: new Set(['admin']) };
    const forged = await signCaller(admin, 'another-secret-0123456789abcdef0123456789', 'r-1');
    const refused = await post(url, query, { [CALLER_HEADER]: forged });
    expect(refused.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('answers the gateway’s signed requests', async () => {
    const signed = await signCaller(
      { subject: 'x', orgId: null, scopes: new Set(['admin']) },
      SIGNING_SECRET,
      'r-2',
    );
    const res = await post(sg.subgraphs['org-graph']!, entities, { [CALLER_HEADER]: signed });
    expect(res.body.data._entities).toEqual([{ name: 'Acme Climate Systems' }]);
  });
});
