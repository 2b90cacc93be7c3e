import { ApolloServer } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import { hideTokenLimit, LIMITS, operationLimits } from './limits.js';

async function limitedServer() {
  const limits = operationLimits(false);
  const server = new ApolloServer({
    typeDefs: 'type Node { name: String, child: Node } type Query { node: Node }',
    resolvers: { Query: { node: () => ({ name: 'root' }) } },
    formatError: hideTokenLimit,
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    plugins: limits.plugins,
  });
  await server.start();
  return server;
}

const errorsOf = (body: unknown) =>
  (body as { singleResult: { errors?: { message: string; extensions?: unknown }[] } }).singleResult
    .errors;

describe('operationLimits', () => {
  it('refuses an operation over a limit by the limit’s name, never its value (HTTP 400)', async () => {
    const server = await limitedServer();
    const deep = `{ node { ${'child { '.repeat(LIMITS.maxDepth)}name${' }'.repeat(LIMITS.maxDepth)} } }`;
    const aliases = `{ ${Array.from({ length: LIMITS.maxAliases + 1 }, (_, i) => `a${i}: node { name }`).join(' ')} }`;
    for (const [query, limit] of [
      [deep, 'maxDepth'],
      [aliases, 'maxAliases'],
    ] as const) {
      const response = await server.executeOperation({ query });
      expect(response.http.status).toBe(400);
      const errors = errorsOf(response.body);
      expect(errors).toContainEqual(
        expect.objectContaining({
          message: `the operation exceeds the ${limit} limit`,
          extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED', limit }),
        }),
      );
      expect(JSON.stringify(errors)).not.toContain(String(LIMITS[limit]));
    }
    await server.stop();
  });

  it('answers the parser’s token limit as a maxTokens refusal without its value', async () => {
    const server = await limitedServer();
    const query = `{ ${'node { name } '.repeat(LIMITS.maxTokens / 4)} }`;
    const response = await server.executeOperation({ query });
    expect(response.http.status).toBe(400);
    expect(errorsOf(response.body)).toEqual([
      {
        message: 'the operation exceeds the maxTokens limit',
        extensions: { code: 'GRAPHQL_PARSE_FAILED', limit: 'maxTokens' },
      },
    ]);
    await server.stop();
  });

  it('lets an operation within the limits through', async () => {
    const server = await limitedServer();
    const response = await server.executeOperation({ query: '{ node { child { name } } }' });
    expect(response.body).toMatchObject({ singleResult: { data: { node: { child: null } } } });
    await server.stop();
  });
});
