import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import {
  type DocumentNode,
  defaultFieldResolver,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { type Caller, hasScope } from './caller.js';
import { guardDatabaseErrors } from './errors.js';
import { scalarResolvers } from './scalars.js';

type ResolverMap = Record<string, object>;

/**
 * The SDL directive that classifies a field as personal data (`directive @pii on
 * FIELD_DEFINITION`, declared by the subgraphs that use it). It is the single source of truth:
 * such a field answers null unless the caller holds `pii:read` (or `admin`), whatever its
 * resolver returns. It stays in the subgraph's SDL (not composed into the supergraph).
 */
export const PII_DIRECTIVE = 'pii';

/** Whether a caller may read fields classified `@pii`. */
export const canReadPii = (caller: Caller) => hasScope(caller, 'pii:read');

/** The `Type.field` coordinates classified `@pii` in a schema. */
export function piiFields(schema: GraphQLSchema): string[] {
  const found: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (isPii(field)) found.push(`${type.name}.${field.name}`);
    }
  }
  return found.sort();
}

// duck-typed: under vitest the schema may come from another copy of graphql than this module's
const isObjectType = (type: GraphQLNamedType): type is GraphQLObjectType =>
  type.astNode?.kind === 'ObjectTypeDefinition' ||
  (type.constructor?.name === 'GraphQLObjectType' && 'getFields' in type);
const isNonNull = (field: GraphQLField<unknown, unknown>) => String(field.type).endsWith('!');

const isPii = (field: GraphQLField<unknown, unknown>) =>
  field.astNode?.directives?.some((d) => d.name.value === PII_DIRECTIVE) ?? false;

/** Masks every `@pii` field for callers without `pii:read`. */
function maskPiiFields(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isPii(field)) continue;
      if (isNonNull(field)) {
        throw new Error(
          `${type.name}.${field.name} is @pii, so it must be nullable (it is masked)`,
        );
      }
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: { caller?: Caller }, info) =>
        context.caller && canReadPii(context.caller) ? resolve(source, args, context, info) : null;
    }
  }
  return schema;
}

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
  return guardDatabaseErrors(
    maskPiiFields(
      buildSubgraphSchema({ typeDefs, resolvers: merged as GraphQLResolverMap<unknown> }),
    ),
  );
}
