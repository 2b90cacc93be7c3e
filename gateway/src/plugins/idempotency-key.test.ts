import { describe, expect, it } from 'vitest';
import { idempotencyKeyPlugin } from './idempotency-key.js';
import { contextOf, serverWith } from './testing.js';

describe('idempotencyKeyPlugin', () => {
  it('refuses a key on a request with several mutations (HTTP 400, nothing written)', async () => {
    const server = await serverWith(idempotencyKeyPlugin());
    const response = await server.executeOperation(
      { query: 'mutation { a b }' },
      { contextValue: contextOf({ idempotencyKey: 'key-1' }) },
    );
    expect(response.http.status).toBe(400);
    expect(response.body).toMatchObject({
      singleResult: {
        errors: [{ extensions: { code: 'BAD_USER_INPUT', field: 'Idempotency-Key' } }],
      },
    });
    await server.stop();
  });

  it('keeps the key for one mutation and drops it for a query', async () => {
    const server = await serverWith(idempotencyKeyPlugin());
    const contextValue = contextOf({ idempotencyKey: 'key-1' });
    const mutation = await server.executeOperation({ query: 'mutation { a }' }, { contextValue });
    expect(mutation.body).toMatchObject({ singleResult: { data: { a: 'key-1' } } });
    const query = await server.executeOperation({ query: '{ key }' }, { contextValue });
    expect(query.body).toMatchObject({ singleResult: { data: { key: null } } });
    await server.stop();
  });

  it('lets several mutations through without a key', async () => {
    const server = await serverWith(idempotencyKeyPlugin());
    const response = await server.executeOperation(
      { query: 'mutation { a b }' },
      { contextValue: contextOf() },
    );
    expect(response.body).toMatchObject({ singleResult: { data: { a: null, b: null } } });
    await server.stop();
  });
});
