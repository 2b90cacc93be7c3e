import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { guardDatabaseErrors, userErrorOfDatabase } from './errors.js';
import { inputProblem } from './hygiene.js';

const schema = buildSchema(`
  scalar Decimal
  scalar DateTime
  scalar Currency
  scalar JSON
  input Line { amount: Decimal!, note: String, at: [DateTime!] }
  input Order { currency: Currency, lines: [Line!]!, meta: JSON }
  type Thing { id: ID!, child(name: String): Thing }
  type Query { thing(id: ID!): Thing }
  type Mutation { order(input: Order!, tag: String): Thing }
`);

const problem = (query: string, variables: Record<string, unknown> = {}) => {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition')!;
  const error = inputProblem(schema, document, operation as never, variables);
  return error && { field: error.extensions.field, message: error.message };
};

describe('inputProblem: malformed arguments, literal or variable, by path', () => {
  it('checks the kit’s scalars deep inside input objects and lists', () => {
    expect(
      problem('mutation { order(input: { lines: [{ amount: "1.50" }, { amount: 1.5 }] }) { id } }'),
    ).toMatchObject({ field: 'order.input.lines.1.amount' });
    expect(
      problem('mutation($i: Order!) { order(input: $i) { id } }', {
        i: { lines: [{ amount: '1', at: ['2024-02-29T00:00:00Z', '2023-02-29T00:00:00Z'] }] },
      }),
    ).toMatchObject({ field: 'order.input.lines.0.at.1' });
    expect(
      problem('mutation { order(input: { currency: "EURO", lines: [] }) { id } }'),
    ).toMatchObject({
      field: 'order.input.currency',
    });
    expect(
      problem('mutation($a: Decimal!) { order(input: { lines: [{ amount: $a }] }) { id } }', {
        a: '1e5',
      }),
    ).toMatchObject({
      field: 'order.input.lines.0.amount',
      message: /^order\.input\.lines\.0\.amount: /,
    });
  });

  it('refuses control characters in any string, JSON keys and values included', () => {
    expect(
      problem('mutation { order(input: { lines: [] }, tag: "a\\u0000") { id } }'),
    ).toMatchObject({
      field: 'order.tag',
    });
    expect(
      problem('mutation($m: JSON) { order(input: { lines: [], meta: $m }) { id } }', {
        m: { list: [{ ok: 'fine' }, { bad: 'x\u001f' }] },
      }),
    ).toMatchObject({ field: 'order.input.meta.list.1.bad' });
    expect(
      problem('mutation { order(input: { lines: [], meta: { k: ["\\u007f"] } }) { id } }'),
    ).toMatchObject({ field: 'order.input.meta.k.0' });
    // nested selections, aliases and fragments are walked too
    expect(
      problem(
        'query { t: thing(id: "1") { ...F } } fragment F on Thing { child(name: "\\u0001") { id } }',
      ),
    ).toMatchObject({ field: 't.child.name' });
  });

  it('walks introspection fields (not in the type’s fields) without failing', () => {
    expect(problem('{ __type(name: "Run🏃Swim🏊") { name fields { name } } }')).toBeUndefined();
    expect(
      problem('{ __schema { types { name } } thing(id: "1") { __typename } }'),
    ).toBeUndefined();
    expect(problem('{ __type(name: "a\u0000") { name } }')).toMatchObject({ field: '__type.name' });
  });

  it('lets well-formed values through, tab and line breaks included', () => {
    expect(
      problem('mutation($i: Order!) { order(input: $i, tag: "a\\tb\\r\\nc") { id } }', {
        i: {
          currency: 'EUR',
          lines: [{ amount: '-12.50', note: 'x\ny', at: ['2024-02-29T00:00:00Z'] }],
          meta: [1, 'two'],
        },
      }),
    ).toBeUndefined();
  });
});

describe('database errors no feature handled', () => {
  const prisma = (code: string, originalCode?: string) =>
    Object.assign(new Error('Database error'), {
      code,
      meta: originalCode ? { driverAdapterError: { cause: { originalCode } } } : {},
    });

  it('races are CONFLICT, impossible values BAD_USER_INPUT, the rest internal', () => {
    expect(userErrorOfDatabase(prisma('P2002', '23505'))?.extensions.code).toBe('CONFLICT');
    expect(userErrorOfDatabase(prisma('P2034', '40001'))?.extensions.code).toBe('CONFLICT');
    expect(userErrorOfDatabase(prisma('P2039', '23P01'))?.extensions.code).toBe('CONFLICT');
    expect(userErrorOfDatabase({ code: '23505' })?.extensions.code).toBe('CONFLICT');
    expect(userErrorOfDatabase(prisma('P2020', '22003'))?.extensions.code).toBe('BAD_USER_INPUT');
    expect(userErrorOfDatabase(prisma('P2039', '22021'))?.extensions.code).toBe('BAD_USER_INPUT');
    expect(userErrorOfDatabase(prisma('P2039', '42501'))).toBeUndefined();
    expect(userErrorOfDatabase(new Error('boom'))).toBeUndefined();
  });

  it('guards every root field, and only maps what it knows', async () => {
    const schema = buildSchema('type Query { a: Int } type Mutation { c: Int }');
    const field = (name: 'a' | 'c') => {
      const root = name === 'a' ? schema.getQueryType() : schema.getMutationType();
      const found = root?.getFields()[name];
      if (!found) throw new Error(`no field ${name}`);
      return found;
    };
    field('a').resolve = () => {
      throw prisma('P2002', '23505');
    };
    field('c').resolve = () => {
      throw new Error('boom');
    };
    guardDatabaseErrors(schema);
    const info = {} as never;
    await expect(field('a').resolve?.(null, {}, {}, info)).rejects.toMatchObject({
      extensions: { code: 'CONFLICT' },
    });
    await expect(field('c').resolve?.(null, {}, {}, info)).rejects.toThrow('boom');
  });
});
