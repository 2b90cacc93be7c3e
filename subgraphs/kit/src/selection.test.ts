import { createRequire } from 'node:module';
import {
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { selectedField, selectedFields } from './selection.js';

/** The resolve info of the operation's first field, as graphql-js hands it to a resolver. */
function infoOf(query: string) {
  const doc = parse(query);
  const operation = doc.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = Object.fromEntries(
    doc.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const field = operation.selectionSet.selections[0]!;
  if (field.kind !== Kind.FIELD) throw new Error('a field first');
  return { fieldNodes: [field], fragments };
}

describe('selectedFields', () => {
  it('names the fields at a path, through inline fragments and fragment spreads', () => {
    const info =
      infoOf(`{ entries { totalCount edges { node { id ...N ... on CatalogEntry { sku { code } } } } } }
      fragment N on CatalogEntry { offeringVersion { name } }`);
    expect([...selectedFields(info, ['edges', 'node'])].sort()).toEqual([
      'id',
      'offeringVersion',
      'sku',
    ]);
    expect([...selectedFields(info, [])].sort()).toEqual(['edges', 'totalCount']);
  });

  it('is empty for a path the query does not select', () => {
    expect(selectedFields(infoOf('{ entries { totalCount } }'), ['edges', 'node']).size).toBe(0);
  });
});

describe('selectedField', () => {
  // built as the subgraphs build theirs: with graphql's CommonJS build
  const { buildSchema } = createRequire(import.meta.url)('graphql') as typeof import('graphql');
  const schema = buildSchema(`
    type Query { catalog: Version }
    type Version { entries(first: Int = 50, after: String): Connection! }
    type Connection { totalCount: Int! edges: [Edge!]! }
    type Edge { node: Entry! }
    type Entry { id: ID! sku: ID }
  `);
  const ahead = (query: string, variableValues: Record<string, unknown> = {}) =>
    selectedField(
      {
        ...infoOf(query),
        returnType: schema.getType('Version') as GraphQLObjectType,
        variableValues,
      },
      'entries',
    );

  it('reads a child field’s arguments, variables applied, and what it selects', () => {
    const entries = ahead(
      'query ($n: Int) { catalog { entries(first: $n) { edges { node { id sku } } } } }',
      {
        n: 7,
      },
    );
    expect(entries?.args).toEqual({ first: 7 });
    expect([...selectedFields(entries!.info, ['edges', 'node'])].sort()).toEqual(['id', 'sku']);
  });

  it('fills defaults and reads through fragments', () => {
    expect(ahead('{ catalog { entries { totalCount } } }')?.args).toEqual({ first: 50 });
    expect(
      ahead(
        '{ catalog { ...V } } fragment V on Version { entries(first: 3, after: "x") { totalCount } }',
      )?.args,
    ).toEqual({ first: 3, after: 'x' });
  });

  it('reads each request’s variables, though what is selected is kept per field node', () => {
    const info = {
      ...infoOf('query ($n: Int) { catalog { entries(first: $n) { totalCount } } }'),
      returnType: schema.getType('Version') as GraphQLObjectType,
    };
    expect(selectedField({ ...info, variableValues: { n: 1 } }, 'entries')?.args).toEqual({
      first: 1,
    });
    expect(selectedField({ ...info, variableValues: { n: 2 } }, 'entries')?.args).toEqual({
      first: 2,
    });
    expect(selectedFields(info, [])).toBe(selectedFields(info, []));
  });

  it('is null when the field is not selected, or selected under two names', () => {
    expect(ahead('{ catalog { __typename } }')).toBeNull();
    expect(
      ahead(
        '{ catalog { a: entries(first: 1) { totalCount } b: entries(first: 2) { totalCount } } }',
      ),
    ).toBeNull();
  });
});
