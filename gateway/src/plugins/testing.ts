import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { forbidden } from '@trellis/kit';
import type { GatewayContext } from '../context.js';

const typeDefs = `
  type Query { hello: String, secret: String, key: String }
  type Mutation { a: String, b: String }
`;
const resolvers = {
  Query: {
    hello: () => 'world',
    secret: () => {
      throw forbidden('not yours');
    },
    key: (_: unknown, __: unknown, ctx: GatewayContext) => ctx.idempotencyKey ?? null,
  },
  // the mutations answer the Idempotency-Key the subgraphs would be sent
  Mutation: {
    a: (_: unknown, __: unknown, ctx: GatewayContext) => ctx.idempotencyKey ?? null,
    b: (_: unknown, __: unknown, ctx: GatewayContext) => ctx.idempotencyKey ?? null,
  },
};

/** A small Apollo Server with one edge plugin, for the plugins' unit tests. */
export async function serverWith(plugin: ApolloServerPlugin<GatewayContext>) {
  const server = new ApolloServer<GatewayContext>({ typeDefs, resolvers, plugins: [plugin] });
  await server.start();
  return server;
}

export const contextOf = (overrides: Partial<GatewayContext> = {}): GatewayContext => ({
  caller: { subject: 'user-1', orgId: 'org-1', scopes: new Set() },
  requestId: 'request-0001',
  forwarded: Promise.resolve('signed'),
  deadline: Date.now() + 10_000,
  ...overrides,
});
