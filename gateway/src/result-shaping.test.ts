import { createRequire } from 'node:module';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';

// The gateway's own copies: shaping as patched (gateway/patches), and the federation-internals
// it builds operations with.
const gatewayRequire = createRequire(createRequire(import.meta.url).resolve('@apollo/gateway'));
const { computeResponse } = gatewayRequire('./resultShaping.js') as {
  computeResponse(options: {
    operation: unknown;
    variables: Record<string, unknown>;
    input: unknown;
    introspectionHandling: () => unknown;
  }): { data: unknown; errors: { message: string; path?: unknown[] }[] };
};
const internals = gatewayRequire('@apollo/federation-internals') as {
  buildSchema(sdl: string): unknown;
  operationFromDocument(schema: unknown, document: unknown): unknown;
};

const schema = internals.buildSchema(`
  scalar Decimal
  enum Reason { RESOLVED NO_PRICE }
  type Price { amount: Decimal! reason: Reason! quantity: Int }
  type Entry { id: ID! name: String price: Price tags: [String!] }
  type Query { entries: [Entry!]! }
`);

const shape = (query: string, input: unknown) =>
  computeResponse({
    operation: internals.operationFromDocument(schema, parse(query)),
    variables: {},
    input,
    introspectionHandling: () => null,
  });

const QUERY = '{ entries { id label: name price { amount reason quantity } tags } }';

describe('result shaping (the patched computeResponse)', () => {
  it("copies valid leaves in the query's order, by response name, and drops what was not asked", () => {
    const { data, errors } = shape(QUERY, {
      entries: [
        {
          tags: ['a'],
          price: { quantity: 2, reason: 'RESOLVED', amount: '12.50', extra: 1 },
          name: 'one',
          label: 'one',
          id: 'e1',
          __typename: 'Entry',
        },
        { id: 'e2', label: null, price: null, tags: null },
      ],
    });
    expect(errors).toEqual([]);
    expect(JSON.stringify(data)).toBe(
      JSON.stringify({
        entries: [
          {
            id: 'e1',
            label: 'one',
            price: { amount: '12.50', reason: 'RESOLVED', quantity: 2 },
            tags: ['a'],
          },
          { id: 'e2', label: null, price: null, tags: null },
        ],
      }),
    );
  });

  it('answers an invalid leaf as null with an error at its path; a non-null one nulls its parent', () => {
    const entry = (price: unknown) => ({ id: 'e1', label: 'one', price, tags: null });
    const nullable = shape(QUERY, {
      entries: [entry({ amount: '1', reason: 'RESOLVED', quantity: 'many' })],
    });
    expect(nullable.errors.map((e) => [e.message, e.path])).toEqual([
      ['Invalid value found for field Price.quantity.', ['entries', 0, 'price', 'quantity']],
    ]);
    expect(nullable.data).toEqual({
      entries: [entry({ amount: '1', reason: 'RESOLVED', quantity: null })],
    });
    const nonNull = shape(QUERY, { entries: [entry({ amount: '1', reason: 'MAYBE' })] });
    expect(nonNull.errors.map((e) => [e.message, e.path])).toEqual([
      ['Invalid value found for field Price.reason.', ['entries', 0, 'price', 'reason']],
    ]);
    expect(nonNull.data).toEqual({ entries: [entry(null)] });
  });

  it('bubbles a missing non-null leaf up to the nearest nullable field, with an error', () => {
    const { data, errors } = shape(QUERY, {
      entries: [{ id: 'e1', label: 'one', price: { reason: 'RESOLVED' }, tags: ['a'] }],
    });
    expect(errors.map((e) => [e.message, e.path])).toEqual([
      [
        'Cannot return null for non-nullable field Price.amount.',
        ['entries', 0, 'price', 'amount'],
      ],
    ]);
    expect(data).toEqual({ entries: [{ id: 'e1', label: 'one', price: null, tags: ['a'] }] });
  });
});
