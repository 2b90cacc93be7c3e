import { describe, expect, it } from 'vitest';
import { requestIdOf, requestIdPlugin } from './request-id.js';
import { contextOf, serverWith } from './testing.js';

describe('requestIdPlugin', () => {
  it('answers the request id in X-Request-Id', async () => {
    const server = await serverWith(requestIdPlugin());
    const response = await server.executeOperation(
      { query: '{ hello }' },
      { contextValue: contextOf({ requestId: 'client-chosen-id' }) },
    );
    expect(response.http.headers.get('x-request-id')).toBe('client-chosen-id');
    await server.stop();
  });
});

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
