import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { scalarResolvers } from './scalars.js';

type ResolverMap = Record<string, object>;

/** Builds a subgraph schema from its SDL and its features' resolver maps (merged per type). */
export function buildFeatureSchema(typeDefs: DocumentNode, features: object[]): GraphQLSchema {
  const merged: ResolverMap = { ...scalarResolvers };
  for (const feature of features as ResolverMap[]) {
    for (const [type, fields] of Object.entries(feature)) {
      merged[type] = { ...(merged[type] ?? {}), ...fields };
    }
  }
  // scalars the SDL does not declare are left out
  const declared = new Set(
    typeDefs.definitions.flatMap((d) => (d.kind === 'ScalarTypeDefinition' ? [d.name.value] : [])),
  );
  for (const name of Object.keys(scalarResolvers)) if (!declared.has(name)) delete merged[name];
  return buildSubgraphSchema({ typeDefs, resolvers: merged as GraphQLResolverMap<unknown> });
}
