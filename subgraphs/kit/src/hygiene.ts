import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type {
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLError,
  GraphQLField,
  GraphQLInputField,
  GraphQLInputType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
  ValueNode,
} from 'graphql';
import { Kind } from 'graphql';
import { ErrorCode, userError } from './errors.js';
import { scalarResolvers } from './scalars.js';

/**
 * Control characters a string may not carry: C0 and C1 controls and DEL, except tab, line feed
 * and carriage return. PostgreSQL refuses NUL in text outright; the others are never meant.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

// HTTP 400: the request is refused as a whole, before anything runs
const refuse = (path: string, message: string) =>
  userError(ErrorCode.BAD_USER_INPUT, `${path}: ${message}`, {
    field: path,
    http: { status: 400 },
  });

const controlProblem = (path: string) =>
  refuse(
    path,
    'must not contain control characters (only tab, line feed and carriage return are allowed)',
  );

// duck-typed, as in schema.ts: the gateway's schema comes from graphql's CommonJS build (through
// @apollo/gateway), which graphql's `instanceof` predicates of the ESM build refuse
const kind = (type: unknown) =>
  (type as { constructor?: { name?: string } } | undefined)?.constructor?.name;
type Wrapper = { ofType: GraphQLInputType };
const isNonNullType = (type: unknown): type is Wrapper => kind(type) === 'GraphQLNonNull';
const isListType = (type: unknown): type is Wrapper => kind(type) === 'GraphQLList';
const isInputObjectType = (
  type: unknown,
): type is { getFields(): Record<string, GraphQLInputField> } =>
  kind(type) === 'GraphQLInputObjectType';
const hasFields = (
  type: unknown,
): type is { getFields(): Record<string, GraphQLField<unknown, unknown>> } =>
  kind(type) === 'GraphQLObjectType' || kind(type) === 'GraphQLInterfaceType';
const namedType = (type: unknown): unknown => {
  let t = type;
  while (t && typeof t === 'object' && 'ofType' in t) t = (t as Wrapper).ofType;
  return t;
};

// the kit's own scalar implementations, by name: the gateway's supergraph schema only knows
// these scalars' names, so their formats are checked here rather than by its schema
const SCALARS = scalarResolvers as Record<
  string,
  {
    parseValue(value: unknown): unknown;
    parseLiteral(node: ValueNode, variables?: Record<string, unknown> | null): unknown;
  }
>;

const scalarProblem = (path: string, error: unknown) =>
  refuse(path, error instanceof Error ? error.message : String(error));

/**
 * The first malformed value among an operation's arguments, literal or passed as a variable,
 * as BAD_USER_INPUT naming its path (`createPriceRule.input.amount`): a string with a control
 * character anywhere, or a value the kit's custom scalars (Decimal, DateTime, JSON…) refuse.
 * The rest (types, required fields, Int range) is GraphQL's own coercion.
 */
export function inputProblem(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): GraphQLError | undefined {
  // the path of the value being checked, joined only for a problem: a flagship's pricing fetch
  // carries 142 representations, walked without allocating on the way
  const segments: (string | number)[] = [];
  const path = () => segments.join('.');
  function inside<T>(segment: string | number, check: () => T): T {
    segments.push(segment);
    const problem = check();
    segments.pop();
    return problem;
  }

  function checkJs(value: unknown, type: GraphQLInputType): GraphQLError | undefined {
    if (value === null || value === undefined) return;
    if (isNonNullType(type)) return checkJs(value, type.ofType);
    if (isListType(type)) {
      const item = type.ofType;
      if (!Array.isArray(value)) return inside(0, () => checkJs(value, item));
      for (let i = 0; i < value.length; i++) {
        segments.push(i);
        const problem = checkJs(value[i], item);
        segments.pop();
        if (problem) return problem;
      }
      return;
    }
    if (isInputObjectType(type)) {
      if (typeof value !== 'object' || Array.isArray(value)) return;
      const fields = type.getFields();
      const object = value as Record<string, unknown>;
      for (const key in object) {
        const field = fields[key];
        if (!field || !Object.hasOwn(object, key)) continue;
        segments.push(key);
        const problem = checkJs(object[key], field.type);
        segments.pop();
        if (problem) return problem;
      }
      return;
    }
    const scalar = SCALARS[(type as { name: string }).name];
    if (scalar) {
      try {
        scalar.parseValue(value);
      } catch (error) {
        return scalarProblem(path(), error);
      }
    }
    return checkStrings(value);
  }

  // strings anywhere in a value (a JSON argument's nested strings included, and the
  // representations of an entity fetch)
  function checkStrings(value: unknown): GraphQLError | undefined {
    if (typeof value === 'string') return CONTROL.test(value) ? controlProblem(path()) : undefined;
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        segments.push(i);
        const problem = checkStrings(value[i]);
        segments.pop();
        if (problem) return problem;
      }
      return;
    }
    const object = value as Record<string, unknown>;
    for (const key in object) {
      if (!Object.hasOwn(object, key)) continue;
      if (CONTROL.test(key)) return controlProblem(path());
      segments.push(key);
      const problem = checkStrings(object[key]);
      segments.pop();
      if (problem) return problem;
    }
  }

  function checkLiteral(node: ValueNode, type: GraphQLInputType): GraphQLError | undefined {
    if (node.kind === Kind.VARIABLE) return checkJs(variables[node.name.value], type);
    if (node.kind === Kind.NULL) return;
    if (isNonNullType(type)) return checkLiteral(node, type.ofType);
    if (isListType(type)) {
      const items = node.kind === Kind.LIST ? node.values : [node];
      for (const [i, item] of items.entries()) {
        const problem = inside(i, () => checkLiteral(item, type.ofType));
        if (problem) return problem;
      }
      return;
    }
    if (isInputObjectType(type)) {
      if (node.kind !== Kind.OBJECT) return;
      const fields = type.getFields();
      for (const f of node.fields) {
        const field = fields[f.name.value];
        if (!field) continue;
        const problem = inside(f.name.value, () => checkLiteral(f.value, field.type));
        if (problem) return problem;
      }
      return;
    }
    const scalar = SCALARS[(type as { name: string }).name];
    if (scalar) {
      try {
        scalar.parseLiteral(node, variables);
      } catch (error) {
        return scalarProblem(path(), error);
      }
    }
    return checkLiteralStrings(node);
  }

  function checkLiteralStrings(node: ValueNode): GraphQLError | undefined {
    switch (node.kind) {
      case Kind.STRING:
        return CONTROL.test(node.value) ? controlProblem(path()) : undefined;
      case Kind.VARIABLE:
        return checkStrings(variables[node.name.value]);
      case Kind.LIST:
        for (const [i, item] of node.values.entries()) {
          const problem = inside(i, () => checkLiteralStrings(item));
          if (problem) return problem;
        }
        return;
      case Kind.OBJECT:
        for (const f of node.fields) {
          const problem = inside(f.name.value, () => checkLiteralStrings(f.value));
          if (problem) return problem;
        }
        return;
      default:
        return;
    }
  }

  for (const arg of argumentsOf(schema, document, operation)) {
    const problem = inside(arg.path, () =>
      arg.type ? checkLiteral(arg.value, arg.type) : checkLiteralStrings(arg.value),
    );
    if (problem) return problem;
  }
}

/** An argument of an operation, with its declared type (none when the schema lacks it). */
interface OperationArgument {
  value: ValueNode;
  type: GraphQLInputType | undefined;
  path: string;
}

/**
 * Every argument of an operation, its fragments' included, once per parsed operation: Apollo
 * keeps an operation's document across requests, so the walk is done on its first request only.
 */
const operationArguments = new WeakMap<
  OperationDefinitionNode,
  { schema: GraphQLSchema; args: OperationArgument[] }
>();

function argumentsOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): OperationArgument[] {
  const held = operationArguments.get(operation);
  if (held?.schema === schema) return held.args;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  }
  const seen = new Set<string>();
  const args: OperationArgument[] = [];

  function walk(selectionSet: SelectionSetNode, parent: unknown, prefix: string): void {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const fields = hasFields(parent) ? parent.getFields() : undefined;
        const field = fields?.[selection.name.value];
        const path = `${prefix}${selection.alias?.value ?? selection.name.value}`;
        for (const arg of selection.arguments ?? []) {
          const def = field?.args.find((a) => a.name === arg.name.value);
          args.push({ value: arg.value, type: def?.type, path: `${path}.${arg.name.value}` });
        }
        if (selection.selectionSet)
          walk(selection.selectionSet, field ? namedType(field.type) : undefined, `${path}.`);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : parent;
        walk(selection.selectionSet, type ?? undefined, prefix);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || seen.has(name)) continue;
        seen.add(name);
        const type = schema.getType(fragment.typeCondition.name.value);
        walk(fragment.selectionSet, type ?? undefined, prefix);
      }
    }
  }

  walk(operation.selectionSet, schema.getRootType(operation.operation) ?? undefined, '');
  operationArguments.set(operation, { schema, args });
  return args;
}

/**
 * Refuses a request whose arguments carry a malformed value (see `inputProblem`) before any
 * resolver runs: HTTP 400, BAD_USER_INPUT naming the argument path. The gateway runs it so
 * nothing of a refused request reaches a subgraph; every subgraph runs it at its own edge.
 */
export function inputHygienePlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const problem = inputProblem(schema, document, operation, request.variables ?? {});
          if (problem) throw problem;
        },
      };
    },
  };
}
