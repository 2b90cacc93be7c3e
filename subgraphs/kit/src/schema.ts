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
import { type Caller, hasScope, isAdmin } from './caller.js';
import { commandOf } from './commands.js';
import { guardDatabaseErrors } from './errors.js';
import { enforceGuards } from './guards.js';
import { scalarResolvers } from './scalars.js';

type ResolverMap = Record<string, object>;

/**
 * The SDL directive that classifies a field as personal data (`directive @pii on
 * FIELD_DEFINITION`, declared by the subgraphs that use it). It is the single source of truth:
 * such a field answers null unless `canReadPii` allows it for the object it belongs to,
 * whatever its resolver returns. It stays in the subgraph's SDL (not composed into the
 * supergraph).
 */
export const PII_DIRECTIVE = 'pii';

/**
 * Whose personal data an object's `@pii` fields hold, per type name: the organizations the
 * object belongs to now (an engineer's memberships in force). Asked only for callers with
 * `pii:read` who are not administrators, once per object: load it through a per-request loader
 * so a list costs one statement, not one per object.
 */
export type PiiOwners = Record<
  string,
  // each type's own source and the subgraph's own context (`never`: any function fits)
  (source: never, context: never) => Promise<readonly string[]>
>;

/**
 * Whether a caller may read the `@pii` fields of an object whose personal data belongs to
 * `owners`: administrators always; `pii:read` only for the caller's own organization's (one
 * organization's scope never reveals another's people); nobody else.
 */
export const canReadPii = (caller: Caller, owners: readonly string[]): boolean =>
  isAdmin(caller) ||
  (caller.scopes.has('pii:read') && caller.orgId !== null && owners.includes(caller.orgId));

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

/**
 * Masks every `@pii` field unless `canReadPii` allows it: callers without `pii:read` get null
 * without any statement, administrators without asking whose the object is.
 */
function maskPiiFields(schema: GraphQLSchema, owners: PiiOwners): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isPii(field)) continue;
      if (isNonNull(field)) {
        throw new Error(
          `${type.name}.${field.name} is @pii, so it must be nullable (it is masked)`,
        );
      }
      const ownersOf = owners[type.name];
      if (!ownersOf) {
        throw new Error(
          `${type.name}.${field.name} is @pii, so the subgraph must say whose personal data a ${type.name} holds (piiOwners)`,
        );
      }
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = async (source, args, context: { caller?: Caller }, info) => {
        const caller = context.caller;
        if (!caller || !hasScope(caller, 'pii:read')) return null;
        // an administrator's answer does not depend on whose the object is: nothing to load
        const allowed =
          isAdmin(caller) || canReadPii(caller, await ownersOf(source as never, context as never));
        return allowed ? resolve(source, args, context, info) : null;
      };
    }
  }
  return schema;
}

/** The Mutation fields of an SDL whose resolver is missing or not a command. */
export function mutationsWithoutCommand(typeDefs: DocumentNode, resolvers: ResolverMap): string[] {
  const fields = typeDefs.definitions.flatMap((d) =>
    (d.kind === 'ObjectTypeDefinition' || d.kind === 'ObjectTypeExtension') &&
    d.name.value === 'Mutation'
      ? (d.fields ?? []).map((f) => f.name.value)
      : [],
  );
  const mutation = (resolvers.Mutation ?? {}) as Record<string, unknown>;
  return fields.filter((field) => !commandOf(mutation[field]));
}

/**
 * Builds a subgraph schema from its SDL and its features' resolver maps (merged per type),
 * enforcing its guard directives (`enforceGuards`) and masking its `@pii` fields.
 */
export function buildFeatureSchema(
  typeDefs: DocumentNode,
  features: object[],
  piiOwners: PiiOwners = {},
): GraphQLSchema {
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
  // every write goes through the command helper (validation, authorization, one transaction
  // with idempotency, audit and events): a mutation that does not is a build error
  const notCommands = mutationsWithoutCommand(typeDefs, merged);
  if (notCommands.length) {
    throw new Error(
      `every mutation is a command (commandsFor): ${notCommands.map((f) => `Mutation.${f}`).join(', ')} is not`,
    );
  }
  return guardDatabaseErrors(
    maskPiiFields(
      enforceGuards(
        buildSubgraphSchema({ typeDefs, resolvers: merged as GraphQLResolverMap<unknown> }),
      ),
      piiOwners,
    ),
  );
}
