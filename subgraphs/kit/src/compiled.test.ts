import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { compiledExecution } from './compiled.js';

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query {
    items(first: Int = 2): [Item!]!
    required: Int!
    refused: Int
    broken: Int
    echo(text: String!): String
    flawed: [Item]!
  }
  interface Named { name: String! }
  type Item implements Named @key(fields: "id") {
    id: ID!
    name: String!
    price(quantity: Int!): String
  }
`);

const items = [
  { id: '1', name: 'one' },
  { id: '2', name: 'two' },
  { id: '3', name: 'three' },
];

const schema = () =>
  buildSubgraphSchema({
    typeDefs,
    resolvers: {
      Query: {
        items: (_: unknown, { first }: { first: number }) => items.slice(0, first),
        required: () => {
          throw new Error('the database is gone');
        },
        refused: () => {
          throw new GraphQLError('not yours', { extensions: { code: 'FORBIDDEN' } });
        },
        broken: async () => {
          throw new Error('a bug');
        },
        echo: (_: unknown, { text }: { text: string }) => text,
        // a leaf that is missing, and one that is an error, in the second and third item
        flawed: () => [items[0], { id: '2', name: null }, { id: new Error('no id'), name: 'x' }],
      },
      Named: { __resolveType: () => 'Item' },
      Item: {
        __resolveReference: (ref: { id: string }) => items.find((i) => i.id === ref.id) ?? null,
        price: (item: { id: string }, { quantity }: { quantity: number }) =>
          `${Number(item.id) * quantity}.00`,
      },
    } as never,
  });

/** The same request answered by graphql-js and by the compiled executor. */
async function both(query: string, variables?: Record<string, unknown>) {
  const answers = [];
  for (const server of [
    new ApolloServer({ schema: schema(), plugins: [ApolloServerPluginInlineTraceDisabled()] }),
    new ApolloServer({
      gateway: compiledExecution(schema()),
      plugins: [ApolloServerPluginInlineTraceDisabled()],
    }),
  ]) {
    await server.start();
    const res = await server.executeOperation({ query, variables });
    await server.stop();
    if (res.body.kind !== 'single') throw new Error('not a single result');
    answers.push(res.body.singleResult);
  }
  return answers as [(typeof answers)[0], (typeof answers)[0]];
}

describe('compiledExecution', () => {
  it('answers what graphql-js answers: arguments, defaults, aliases, fragments, entities', async () => {
    const [interpreted, compiled] = await both(
      `query Page($q: Int!, $r: [_Any!]!) {
        items { id ...N cost: price(quantity: $q) }
        three: items(first: 3) { id }
        _entities(representations: $r) { ... on Item { name price(quantity: 2) } }
        echo(text: "hi")
      }
      fragment N on Named { name }`,
      {
        q: 3,
        r: [
          { __typename: 'Item', id: '2' },
          { __typename: 'Item', id: '9' },
        ],
      },
    );
    expect(compiled).toEqual(interpreted);
    expect(compiled.data).toMatchObject({
      items: [
        { id: '1', name: 'one', cost: '3.00' },
        { id: '2', name: 'two', cost: '6.00' },
      ],
      _entities: [{ name: 'two', price: '4.00' }, null],
    });
  });

  it("keeps a resolver's error code and the path, and codes the rest INTERNAL_SERVER_ERROR", async () => {
    const [interpreted, compiled] = await both('{ refused broken echo(text: "still here") }');
    expect(compiled.data).toEqual({ refused: null, broken: null, echo: 'still here' });
    const shape = (errors: typeof compiled.errors) =>
      errors?.map((e) => ({ path: e.path, code: e.extensions?.code }));
    expect(shape(compiled.errors)).toEqual([
      { path: ['refused'], code: 'FORBIDDEN' },
      { path: ['broken'], code: 'INTERNAL_SERVER_ERROR' },
    ]);
    expect(shape(compiled.errors)).toEqual(shape(interpreted.errors));
  });

  it('a failing non-null field nulls its parent, with the error at its path', async () => {
    const [interpreted, compiled] = await both('{ required echo(text: "x") }');
    expect(compiled.data).toBeNull();
    expect(compiled.errors?.map((e) => e.path)).toEqual([['required']]);
    expect(compiled.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(compiled.data).toEqual(interpreted.data);
  });

  it('reports a failing leaf in a list at its path, with its location', async () => {
    const [interpreted, compiled] = await both('{ flawed { name id } }');
    expect(compiled.data).toEqual({ flawed: [{ name: 'one', id: '1' }, null, null] });
    const shape = (errors: typeof compiled.errors) =>
      errors?.map((e) => ({ message: e.message, path: e.path, locations: e.locations }));
    expect(shape(compiled.errors)).toEqual([
      {
        message: 'Cannot return null for non-nullable field Item.name.',
        path: ['flawed', 1, 'name'],
        locations: [{ line: 1, column: 12 }],
      },
      { message: 'no id', path: ['flawed', 2, 'id'], locations: [{ line: 1, column: 17 }] },
    ]);
    expect(shape(compiled.errors)).toEqual(shape(interpreted.errors));
  });

  it('compiles a hostile literal as data, never as code', async () => {
    // graphql-jit generates JavaScript from the operation: quotes, template and comment
    // syntax and line separators in a client's literal must stay inside the string
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder is the attack
    const evil = '"); globalThis.pwned = 1; ("`${globalThis.pwned = 2}` */ // \u2028 \\';
    const [interpreted, compiled] = await both(`{ echo(text: ${JSON.stringify(evil)}) }`);
    expect(compiled).toEqual(interpreted);
    expect(compiled.data).toEqual({ echo: evil });
    expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
  });

  it('refuses bad variables as graphql-js does, without running a resolver', async () => {
    const [interpreted, compiled] = await both('query ($t: String!) { echo(text: $t) }', {
      t: 42,
    });
    expect(compiled.data).toBeUndefined();
    expect(compiled.errors).toHaveLength(1);
    expect(interpreted.errors).toHaveLength(1);
  });
});
