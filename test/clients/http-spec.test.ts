// The GraphQL-over-HTTP specification, as graphql-http's server audit checks it: every MUST,
// and the status-code SHOULDs for application/graphql-response+json; no 5xx for any client
// mistake; X-Request-Id on every answer, refusals included.
import { MAX_BODY_BYTES } from '@trellis/kit';
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, startTestSupergraph, type TestSupergraph } from '../support/supergraph.js';

let sg: TestSupergraph;
let bearer: string;
beforeAll(async () => {
  // the audit's documents ask `__type`: introspection on, as in development (production
  // refuses introspection by policy, a validation failure the audit would count against it)
  sg = await startTestSupergraph({ seed: false, edge: { introspection: true } });
  bearer = await adminToken();
});
afterAll(() => sg?.close());

describe('graphql-http server audit', () => {
  it('passes every MUST and the status-code SHOULDs, with no 5xx', async () => {
    const statuses: number[] = [];
    const audits = serverAudits({
      url: sg.url,
      fetchFn: async (input: RequestInfo | URL, init?: RequestInit) => {
        const headers = new Headers(init?.headers);
        headers.set('authorization', `Bearer ${bearer}`);
        const res = await fetch(input, { ...init, headers });
        statuses.push(res.status);
        return res;
      },
    });
    const failures: string[] = [];
    for (const audit of audits) {
      const result = await audit.fn();
      const required =
        audit.name.startsWith('MUST') ||
        (audit.name.startsWith('SHOULD') &&
          /status code|4xx/i.test(audit.name) &&
          audit.name.includes('application/graphql-response+json'));
      if (result.status !== 'ok' && required) failures.push(`${audit.name}: ${result.reason}`);
    }
    expect(failures).toEqual([]);
    expect(audits.length).toBeGreaterThan(20);
    expect(audits.filter((a) => a.name.includes('graphql-response+json')).length).toBeGreaterThan(
      5,
    );
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
  });
});

describe('X-Request-Id on every answer', () => {
  const post = (body: string, headers: Record<string, string>) =>
    fetch(sg.url, {
      method: 'POST',
      headers: { 'x-request-id': 'client-req-0001', ...headers },
      body,
    });

  it('on a 401, a CSRF refusal and a 413', async () => {
    const unauthenticated = await post('{"query":"{ __typename }"}', {
      'content-type': 'application/json',
    });
    expect(unauthenticated.status).toBe(401);
    const csrf = await post('{"query":"{ __typename }"}', { 'content-type': 'text/plain' });
    expect(csrf.status).toBe(400);
    const tooLarge = await post(`{"query":"${'x'.repeat(MAX_BODY_BYTES + 1)}"}`, {
      'content-type': 'application/json',
    });
    expect(tooLarge.status).toBe(413);
    for (const res of [unauthenticated, csrf, tooLarge])
      expect(res.headers.get('x-request-id'), String(res.status)).toBe('client-req-0001');
  });
});

describe('client mistakes are 4xx with a clear message', () => {
  it('a syntax error and a subscription: 400, saying what is wrong', async () => {
    const broken = await sg.gql('{ featureFlags { key } ');
    expect(broken.status).toBe(400);
    expect(broken.errors?.[0]?.message).toMatch(/^Syntax Error: Expected Name, found <EOF>/);
    const subscription = await sg.gql('subscription { featureFlags { key } }');
    expect(subscription.status).toBe(400);
    expect(subscription.errors?.[0]?.message).toBe('this API has no subscription operations');
  });
});
