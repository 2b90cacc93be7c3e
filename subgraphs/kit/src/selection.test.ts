import { type FragmentDefinitionNode, Kind, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { selectedFields } from './selection.js';

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
