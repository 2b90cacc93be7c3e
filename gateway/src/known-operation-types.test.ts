import { ApolloServer } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import { knownOperationTypes } from './known-operation-types.js';

describe('knownOperationTypes', () => {
  it('refuses an operation kind the schema lacks as a validation failure (HTTP 400)', async () => {
    const server = new ApolloServer({
      typeDefs: 'type Query { hello: String }',
      resolvers: { Query: { hello: () => 'world' } },
      validationRules: [knownOperationTypes],
    });
    await server.start();
    for (const kind of ['subscription', 'mutation']) {
      const response = await server.executeOperation({ query: `${kind} { hello }` });
      expect(response.http.status).toBe(400);
      expect(response.body).toMatchObject({
        singleResult: {
          errors: [
            {
              message: `this API has no ${kind} operations`,
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
            },
          ],
        },
      });
    }
    const response = await server.executeOperation({ query: '{ hello }' });
    expect(response.body).toMatchObject({ singleResult: { data: { hello: 'world' } } });
    await server.stop();
  });
});
