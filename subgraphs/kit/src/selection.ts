import { createRequire } from 'node:module';
import {
  type FieldNode,
  type GraphQLField,
  type GraphQLResolveInfo,
  Kind,
  type SelectionSetNode,
} from 'graphql';

/**
 * graphql's CommonJS build, the one the subgraphs' schemas are built with (through
 * @apollo/subgraph): its functions refuse the types of the ES module build, and the other way
 * round, so arguments are read with the build the schema's types come from.
 */
const { getArgumentValues } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

type Fragments = GraphQLResolveInfo['fragments'];

/** The fields of `sets`, through inline fragments and fragment spreads. */
function fieldsOf(sets: readonly SelectionSetNode[], fragments: Fragments): FieldNode[] {
  const fields: FieldNode[] = [];
  const walk = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) fields.push(s);
      else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet);
      else {
        const fragment = fragments[s.name.value];
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  for (const set of sets) walk(set);
  return fields;
}

/**
 * What a resolver's field selects, kept per field node: the document a node belongs to is kept
 * while its text is asked for (Apollo Server's document store), and a node names one place in
 * it, so what is selected below it is the same on every request. Only the arguments' values
 * (variables) differ.
 */
interface Selections {
  fieldNodes: readonly FieldNode[];
  paths: Map<string, ReadonlySet<string>>;
  /** by name, for the return type they were read from */
  children: Map<string, { returnType: unknown; child: ChildField | null }>;
}
const selections = new WeakMap<FieldNode, Selections>();

function selectionsOf(info: Pick<GraphQLResolveInfo, 'fieldNodes'>): Selections {
  const first = info.fieldNodes[0];
  const held = first && selections.get(first);
  if (
    held &&
    held.fieldNodes.length === info.fieldNodes.length &&
    held.fieldNodes.every((n, i) => n === info.fieldNodes[i])
  )
    return held;
  const made: Selections = { fieldNodes: info.fieldNodes, paths: new Map(), children: new Map() };
  if (first) selections.set(first, made);
  return made;
}

/**
 * The names of the fields the query selects at `path` below the resolver's field (e.g.
 * `['edges', 'node']` of a connection), so a resolver can leave out what nobody asked for.
 * `@skip`/`@include` are not evaluated: a field under them counts as selected.
 */
export function selectedFields(
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>,
  path: readonly string[],
): ReadonlySet<string> {
  const { paths } = selectionsOf(info);
  const key = path.join('.');
  let names = paths.get(key);
  if (!names) {
    let sets = info.fieldNodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
    for (const name of path) {
      sets = fieldsOf(sets, info.fragments)
        .filter((f) => f.name.value === name)
        .flatMap((f) => (f.selectionSet ? [f.selectionSet] : []));
    }
    names = new Set(fieldsOf(sets, info.fragments).map((f) => f.name.value));
    paths.set(key, names);
  }
  return names;
}

/** What `selectedField` answers: a child field's arguments, and a view of it `selectedFields` reads. */
export interface SelectedField {
  args: Record<string, unknown>;
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>;
}

/**
 * The field `name` the query selects directly below the resolver's field, with its arguments
 * (variables applied, defaults filled), so a resolver can read in its own statement what that
 * field will ask for. Null when it is not selected, is selected under several response names
 * (aliases with their own arguments: each is read when resolved), or its arguments do not
 * resolve. `@skip`/`@include` are not evaluated: reading ahead for a skipped field only costs
 * work, never changes an answer.
 */
export function selectedField(
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments' | 'returnType' | 'variableValues'>,
  name: string,
): SelectedField | null {
  const { children } = selectionsOf(info);
  let held = children.get(name);
  if (held?.returnType !== info.returnType) {
    held = { returnType: info.returnType, child: childField(info, name) };
    children.set(name, held);
  }
  const { child } = held;
  if (!child) return null;
  try {
    return {
      args: getArgumentValues(child.field, child.nodes[0]!, info.variableValues),
      info: { fieldNodes: child.nodes, fragments: info.fragments },
    };
  } catch {
    return null;
  }
}

/** The nodes of a child field under one response name, and its definition. */
interface ChildField {
  nodes: FieldNode[];
  field: GraphQLField<unknown, unknown>;
}

function childField(
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments' | 'returnType'>,
  name: string,
): ChildField | null {
  const sets = info.fieldNodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
  const nodes = fieldsOf(sets, info.fragments).filter((f) => f.name.value === name);
  const responseName = (f: FieldNode) => (f.alias ?? f.name).value;
  if (!nodes.length || nodes.some((f) => responseName(f) !== responseName(nodes[0]!))) return null;
  // duck-typed (see above): the named type below lists and non-nulls, if it has fields
  let type: unknown = info.returnType;
  while (type && typeof type === 'object' && 'ofType' in type) type = type.ofType;
  const fields = (
    type as { getFields?: () => Record<string, GraphQLField<unknown, unknown>> }
  ).getFields?.();
  const field = fields?.[name];
  return field ? { nodes, field } : null;
}
