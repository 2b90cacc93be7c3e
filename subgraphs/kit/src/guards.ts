import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ConstDirectiveNode,
  defaultFieldResolver,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { type Caller, requireScope, SCOPES, type Scope } from './caller.js';
import { reportRefusal } from './commands.js';
import { featureDisabled } from './errors.js';
import { FLAG_KEYS, type FlagKey, type Flags } from './flags.js';

/**
 * The guard directives (`@feature(flag:)`, `@scope(name:)`), declared once in `guards.graphql`
 * beside this module and added to every subgraph's SDL. They stay in the subgraph's SDL: type
 * system directives are not composed into the supergraph unless `@composeDirective` says so.
 */
export const GUARDS_SDL_PATH = join(dirname(fileURLToPath(import.meta.url)), 'guards.graphql');
export const FEATURE_DIRECTIVE = 'feature';
export const SCOPE_DIRECTIVE = 'scope';

/** What a field or an entity's references need: flags first, then scopes. */
export interface Guard {
  flags: FlagKey[];
  /** every entry is needed; an entry is satisfied by any of its scopes (`@scope(name:, or:)`) */
  scopes: Scope[][];
}

interface Directed {
  astNode?: { directives?: readonly ConstDirectiveNode[] } | null;
  extensionASTNodes?: readonly { directives?: readonly ConstDirectiveNode[] }[];
}

const directivesOf = (node: Directed) =>
  [node.astNode, ...(node.extensionASTNodes ?? [])].flatMap((n) => n?.directives ?? []);

/**
 * The string arguments `argument` of every `@directive` on a node, each with the strings of its
 * list argument `or` (alternatives), checked against `allowed`.
 */
function namesIn<T extends string>(
  node: Directed,
  directive: string,
  argument: string,
  allowed: readonly T[],
  coordinate: string,
): T[][] {
  const check = (name: string | undefined, arg: string): T => {
    if (!name || !allowed.includes(name as T)) {
      throw new Error(
        `${coordinate}: @${directive}(${arg}: ${JSON.stringify(name)}) names none of ${allowed.join(', ')}`,
      );
    }
    return name as T;
  };
  return directivesOf(node)
    .filter((d) => d.name.value === directive)
    .map((d) => {
      const value = d.arguments?.find((a) => a.name.value === argument)?.value;
      const or = d.arguments?.find((a) => a.name.value === 'or')?.value;
      const alternatives = or?.kind === 'ListValue' ? or.values : or ? [or] : [];
      return [
        check(value?.kind === 'StringValue' ? value.value : undefined, argument),
        ...alternatives.map((v) => check(v.kind === 'StringValue' ? v.value : undefined, 'or')),
      ];
    });
}

const guardOf = (node: Directed, coordinate: string): Guard => ({
  flags: namesIn(node, FEATURE_DIRECTIVE, 'flag', FLAG_KEYS, coordinate).map(([flag]) => flag!),
  scopes: namesIn(node, SCOPE_DIRECTIVE, 'name', SCOPES, coordinate),
});

const isEmpty = (guard: Guard) => !guard.flags.length && !guard.scopes.length;

// duck-typed: under vitest the schema may come from another copy of graphql than this module's
const isObjectType = (type: GraphQLNamedType): type is GraphQLObjectType =>
  !type.name.startsWith('__') &&
  (type.astNode?.kind === 'ObjectTypeDefinition' ||
    (type.constructor?.name === 'GraphQLObjectType' && 'getFields' in type));

const isEntity = (type: GraphQLObjectType) =>
  directivesOf(type).some((d) => d.name.value === 'key');

/**
 * Every guard of a schema by coordinate: `Type.field` for fields, `Type` for an entity's
 * references. For the schema walk tests and the docs.
 */
export function guardsOf(schema: GraphQLSchema): Map<string, Guard> {
  const guards = new Map<string, Guard>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type)) continue;
    const own = guardOf(type, type.name);
    if (!isEmpty(own)) {
      if (!isEntity(type)) {
        throw new Error(`${type.name}: a guard on a type guards its references; it has no @key`);
      }
      guards.set(type.name, own);
    }
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const guard = guardOf(field, coordinate);
      if (!isEmpty(guard)) guards.set(coordinate, guard);
    }
  }
  return guards;
}

type GuardContext = { caller: Caller; flags: Flags };

/**
 * Refuses (throws) unless the guard allows the caller: FEATURE_DISABLED for the first flag that
 * is off for the caller's organization, then FORBIDDEN for the first scope (or alternatives) the
 * caller lacks (`requireScope`). The request's flags decide each flag once, however many fields
 * ask: once they have, the check is synchronous (undefined); before, it answers a promise of
 * the same check — a page of 142 guarded entities does not pay a promise chain per entity.
 */
function check(guard: Guard, context: GuardContext): Promise<void> | undefined {
  const org = context.caller.orgId;
  const enabled = guard.flags.map((flag) => context.flags.decided(flag, org));
  if (enabled.includes(undefined)) {
    return Promise.all(guard.flags.map((flag) => context.flags.isEnabled(flag, org))).then(
      (decisions) => allow(guard, context.caller, decisions),
    );
  }
  allow(guard, context.caller, enabled as boolean[]);
}

/** Throws for the first flag off (`enabled`: each of the guard's flags), then the first scope lacking. */
function allow(guard: Guard, caller: Caller, enabled: readonly boolean[]): void {
  guard.flags.forEach((flag, i) => {
    if (!enabled[i]) throw featureDisabled(flag);
  });
  for (const [scope, ...or] of guard.scopes) requireScope(caller, scope!, ...or);
}

type ResolveReference = (reference: object, context: never, info: unknown) => unknown;
interface SubgraphExtensions {
  apollo?: { subgraph?: { resolveReference?: ResolveReference } };
}

/**
 * Enforces every `@feature` and `@scope` of a schema built by `buildSubgraphSchema`: a
 * guarded field's resolver runs only once its guard allows the caller (a command hears of
 * the refusal: its `onError` sees every error of its field); a guarded entity's
 * `__resolveReference` (answering `_entities`) likewise. Unguarded fields keep their
 * resolvers as they are (answered without a promise where they were).
 */
export function enforceGuards(schema: GraphQLSchema): GraphQLSchema {
  const guards = guardsOf(schema);
  for (const [coordinate, guard] of guards) {
    const [typeName, fieldName] = coordinate.split('.') as [string, string | undefined];
    const type = schema.getType(typeName) as GraphQLObjectType;
    if (fieldName) {
      const field = type.getFields()[fieldName] as GraphQLField<unknown, never>;
      const resolve = field.resolve ?? defaultFieldResolver;
      const refused = (context: never, error: unknown) => {
        reportRefusal(resolve, context, error);
        throw error;
      };
      field.resolve = (source, args, context, info) => {
        let pending: Promise<void> | undefined;
        try {
          pending = check(guard, context);
        } catch (error) {
          return refused(context, error);
        }
        // decided already (the usual case once a request's flags are): no closure, no promise
        if (!pending) return resolve(source, args, context, info);
        return pending.then(
          () => resolve(source, args, context, info),
          (error: unknown) => refused(context, error),
        );
      };
      continue;
    }
    const extensions = type.extensions as SubgraphExtensions;
    const resolveReference: ResolveReference =
      extensions.apollo?.subgraph?.resolveReference ?? ((reference) => reference);
    (type as { extensions: SubgraphExtensions }).extensions = {
      ...extensions,
      apollo: {
        ...extensions.apollo,
        subgraph: {
          ...extensions.apollo?.subgraph,
          // a refusal answers a rejected promise: @apollo/subgraph then fails this entity
          // alone, where a throw would fail the whole `_entities` list
          resolveReference: (reference, context, info) => {
            let pending: Promise<void> | undefined;
            try {
              pending = check(guard, context);
            } catch (error) {
              return Promise.reject(error);
            }
            if (!pending) return resolveReference(reference, context, info);
            return pending.then(() => resolveReference(reference, context, info));
          },
        },
      },
    };
  }
  return schema;
}
