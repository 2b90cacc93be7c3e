/**
 * The API reference (docs/api/), generated from the supergraph: its API schema for what
 * clients see, its `@join__*` directives for which subgraph serves each type and field.
 * Pure: SDL in, file name → Markdown out; cli.ts `docs` writes or checks the files.
 */
import type {
  ConstDirectiveNode,
  DocumentNode,
  GraphQLArgument,
  GraphQLEnumType,
  GraphQLField,
  GraphQLInputObjectType,
  GraphQLInputType,
  GraphQLInterfaceType,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLType,
  GraphQLUnionType,
  ValueNode,
} from 'graphql';
import { apiSchemaOf, graphql } from './registry.js';

const {
  astFromValue,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  isUnionType,
  Kind,
  parse,
  print,
} = graphql;

// ---------------------------------------------------------------------------------------------
// Ownership, from the join__ directives

export interface TypeGraph {
  /** Subgraph name, e.g. `org-graph`. */
  graph: string;
  key?: string;
  resolvable: boolean;
}

export interface Ownership {
  /** Subgraph name → its default routing URL, sorted by name. */
  subgraphs: Map<string, string>;
  /** Type name → the subgraphs that define it (`@join__type`). */
  types: Map<string, TypeGraph[]>;
  /** `Type.field` → the subgraphs that resolve it (sorted). */
  fields: Map<string, string[]>;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function argValue(d: ConstDirectiveNode, name: string): ValueNode | undefined {
  return d.arguments?.find((a) => a.name.value === name)?.value;
}
const stringArg = (d: ConstDirectiveNode, name: string) => {
  const v = argValue(d, name);
  return v?.kind === Kind.STRING ? v.value : undefined;
};
const enumArg = (d: ConstDirectiveNode, name: string) => {
  const v = argValue(d, name);
  return v?.kind === Kind.ENUM ? v.value : undefined;
};
const boolArg = (d: ConstDirectiveNode, name: string) => {
  const v = argValue(d, name);
  return v?.kind === Kind.BOOLEAN ? v.value : undefined;
};

/** Reads which subgraph defines each type and resolves each field of a supergraph SDL. */
export function ownershipOf(supergraph: DocumentNode): Ownership {
  const graphNames = new Map<string, string>(); // join__Graph value → subgraph name
  const subgraphs = new Map<string, string>();
  for (const def of supergraph.definitions) {
    if (def.kind !== Kind.ENUM_TYPE_DEFINITION || def.name.value !== 'join__Graph') continue;
    for (const value of def.values ?? []) {
      const d = value.directives?.find((x) => x.name.value === 'join__graph');
      const name = (d && stringArg(d, 'name')) ?? value.name.value;
      graphNames.set(value.name.value, name);
      subgraphs.set(name, (d && stringArg(d, 'url')) ?? '');
    }
  }
  const graphOf = (d: ConstDirectiveNode) => {
    const v = enumArg(d, 'graph');
    return v === undefined ? undefined : (graphNames.get(v) ?? v);
  };

  const types = new Map<string, TypeGraph[]>();
  const fields = new Map<string, string[]>();
  for (const def of supergraph.definitions) {
    if (!('name' in def) || !def.name || !('directives' in def)) continue;
    if (
      def.kind === Kind.DIRECTIVE_DEFINITION ||
      def.kind === Kind.OPERATION_DEFINITION ||
      def.kind === Kind.FRAGMENT_DEFINITION
    )
      continue;
    const typeName = def.name.value;
    const typeGraphs: TypeGraph[] = [];
    for (const d of def.directives ?? []) {
      if (d.name.value !== 'join__type') continue;
      const graph = graphOf(d);
      if (!graph) continue;
      const key = stringArg(d, 'key');
      typeGraphs.push({
        graph,
        resolvable: boolArg(d, 'resolvable') ?? true,
        ...(key ? { key } : {}),
      });
    }
    typeGraphs.sort((a, b) => cmp(a.graph, b.graph) || cmp(a.key ?? '', b.key ?? ''));
    types.set(typeName, typeGraphs);
    const allGraphs = [...new Set(typeGraphs.map((t) => t.graph))].sort(cmp);
    if (!('fields' in def) || !def.fields) continue;
    for (const field of def.fields) {
      const joins = (field.directives ?? []).filter((d) => d.name.value === 'join__field');
      const withGraph = joins.filter((d) => graphOf(d) !== undefined);
      // No @join__field (or only graph-less ones): every subgraph that defines the type has it.
      const graphs =
        withGraph.length === 0
          ? allGraphs
          : [
              ...new Set(
                withGraph
                  .filter((d) => !boolArg(d, 'external') && !boolArg(d, 'usedOverridden'))
                  .map((d) => graphOf(d)!),
              ),
            ].sort(cmp);
      fields.set(`${typeName}.${field.name.value}`, graphs);
    }
  }
  return { subgraphs: new Map([...subgraphs].sort(([a], [b]) => cmp(a, b))), types, fields };
}

// ---------------------------------------------------------------------------------------------
// Markdown

const README = 'README.md';
const HEADER =
  '<!-- Generated by `pnpm docs:build` from gateway/supergraph.graphql; do not edit by hand. ' +
  '`pnpm docs:check` fails when it is stale. -->';

/** GitHub's heading anchor for a heading whose text is `text` (inside backticks). */
const anchor = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_ -]/gu, '')
    .replace(/ /g, '-');

/** Text for a Markdown table cell: one line, pipes escaped. */
const cell = (text: string | null | undefined) =>
  (text ?? '')
    .trim()
    .replace(/\|/g, '\\|')
    .replace(/\r?\n\s*\r?\n/g, '<br><br>')
    .replace(/\r?\n/g, ' ');

const code = (text: string) => `\`${text.replace(/\|/g, '\\|')}\``;

function typeLink(type: GraphQLType, page = ''): string {
  if (isNonNullType(type)) return `${typeLink(type.ofType, page)}!`;
  if (isListType(type)) return `[${typeLink(type.ofType, page)}]`;
  const named = type as GraphQLNamedType;
  return isSpecifiedScalarType(named)
    ? named.name
    : `[${named.name}](${page}#${anchor(named.name)})`;
}

function defaultOf(value: unknown, type: GraphQLInputType): string {
  if (value === undefined) return '';
  const ast = astFromValue(value, type);
  return ast ? code(print(ast)) : '';
}

function deprecation(reason: string | null | undefined): string {
  return reason ? `**Deprecated:** ${cell(reason)}` : '';
}

function describe(description: string | null | undefined, deprecationReason?: string | null) {
  return [cell(description), deprecation(deprecationReason)].filter(Boolean).join(' ');
}

function table(head: string[], rows: string[][]): string[] {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

const byName = <T extends { name: string }>(items: readonly T[]) =>
  [...items].sort((a, b) => cmp(a.name, b.name));

function signature(field: GraphQLField<unknown, unknown>): string {
  const args = field.args.map((a) => {
    const def =
      a.defaultValue === undefined ? '' : ` = ${print(astFromValue(a.defaultValue, a.type)!)}`;
    return `${a.name}: ${String(a.type)}${def}`;
  });
  return `${field.name}${args.length ? `(${args.join(', ')})` : ''}: ${String(field.type)}`;
}

function argumentsTable(args: readonly GraphQLArgument[]): string[] {
  if (!args.length) return [];
  return [
    ...table(
      ['Argument', 'Type', 'Default', 'Description'],
      args.map((a) => [
        code(a.name),
        typeLink(a.type),
        defaultOf(a.defaultValue, a.type),
        describe(a.description, a.deprecationReason),
      ]),
    ),
    '',
  ];
}

function graphsOf(own: Ownership, type: string): string {
  const graphs = own.types.get(type) ?? [];
  return graphs
    .map((g) => {
      const notes = [g.key ? `key ${code(g.key)}` : '', g.resolvable ? '' : 'reference only']
        .filter(Boolean)
        .join(', ');
      return notes ? `${g.graph} (${notes})` : g.graph;
    })
    .join('; ');
}

function rootSection(
  title: string,
  root: GraphQLObjectType | null | undefined,
  own: Ownership,
): string[] {
  const out = [`## ${title}`, ''];
  if (!root) return [...out, `No ${title.toLowerCase()}.`, ''];
  for (const field of byName(Object.values(root.getFields()))) {
    const graphs = own.fields.get(`${root.name}.${field.name}`) ?? [];
    out.push(`### ${code(`${root.name}.${field.name}`)}`, '');
    out.push('```graphql', signature(field), '```', '');
    if (field.description) out.push(field.description.trim(), '');
    if (field.deprecationReason) out.push(deprecation(field.deprecationReason), '');
    out.push(
      `Returns ${typeLink(field.type)} · served by ${graphs.map((g) => `**${g}**`).join(', ') || '—'}`,
      '',
    );
    out.push(...argumentsTable(field.args));
  }
  return out;
}

function typeHeading(type: GraphQLNamedType, own: Ownership): string[] {
  const out = [`### ${code(type.name)}`, ''];
  if (type.description) out.push(type.description.trim(), '');
  const graphs = graphsOf(own, type.name);
  if (graphs) out.push(`Subgraphs: ${graphs}`, '');
  return out;
}

function objectSection(type: GraphQLObjectType | GraphQLInterfaceType, own: Ownership): string[] {
  const out = typeHeading(type, own);
  const interfaces = type.getInterfaces();
  if (interfaces.length)
    out.push(
      `Implements ${byName(interfaces)
        .map((i) => typeLink(i))
        .join(', ')}`,
      '',
    );
  const shared = new Set((own.types.get(type.name) ?? []).map((g) => g.graph)).size > 1;
  const head = ['Field', 'Type', 'Arguments', ...(shared ? ['Subgraphs'] : []), 'Description'];
  const rows = Object.values(type.getFields()).map((f) => [
    code(f.name),
    typeLink(f.type),
    f.args
      .map((a) => {
        const def =
          a.defaultValue === undefined ? '' : ` = ${print(astFromValue(a.defaultValue, a.type)!)}`;
        return code(`${a.name}: ${String(a.type)}${def}`);
      })
      .join(', '),
    ...(shared ? [(own.fields.get(`${type.name}.${f.name}`) ?? []).join(', ')] : []),
    describe(f.description, f.deprecationReason),
  ]);
  return [...out, ...table(head, rows), ''];
}

function unionSection(type: GraphQLUnionType, own: Ownership): string[] {
  return [
    ...typeHeading(type, own),
    `One of ${byName(type.getTypes())
      .map((t) => typeLink(t))
      .join(', ')}`,
    '',
  ];
}

function inputSection(type: GraphQLInputObjectType, own: Ownership): string[] {
  const rows = Object.values(type.getFields()).map((f) => [
    code(f.name),
    typeLink(f.type),
    defaultOf(f.defaultValue, f.type),
    describe(f.description, f.deprecationReason),
  ]);
  return [
    ...typeHeading(type, own),
    ...table(['Field', 'Type', 'Default', 'Description'], rows),
    '',
  ];
}

function enumSection(type: GraphQLEnumType, own: Ownership): string[] {
  const rows = type
    .getValues()
    .map((v) => [code(v.name), describe(v.description, v.deprecationReason)]);
  return [...typeHeading(type, own), ...table(['Value', 'Description'], rows), ''];
}

function scalarSection(type: GraphQLScalarType, own: Ownership): string[] {
  const out = typeHeading(type, own);
  if (type.specifiedByURL) out.push(`Specified by <${type.specifiedByURL}>`, '');
  return out;
}

interface Kinds {
  objects: GraphQLObjectType[];
  interfaces: GraphQLInterfaceType[];
  unions: GraphQLUnionType[];
  inputs: GraphQLInputObjectType[];
  enums: GraphQLEnumType[];
  scalars: GraphQLScalarType[];
}

function kindsOf(schema: GraphQLSchema): Kinds {
  const roots = new Set(
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]
      .filter(Boolean)
      .map((t) => t!.name),
  );
  const types = byName(
    Object.values(schema.getTypeMap()).filter(
      (t) => !t.name.startsWith('__') && !roots.has(t.name) && !isSpecifiedScalarType(t),
    ),
  );
  return {
    objects: types.filter(isObjectType),
    interfaces: types.filter(isInterfaceType),
    unions: types.filter(isUnionType),
    inputs: types.filter(isInputObjectType),
    enums: types.filter(isEnumType),
    scalars: types.filter(isScalarType),
  };
}

function readme(schema: GraphQLSchema, own: Ownership): string {
  const kinds = kindsOf(schema);
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  const rootFields = [query, mutation].flatMap((r) =>
    r ? Object.keys(r.getFields()).map((f) => `${r.name}.${f}`) : [],
  );
  const apiTypes = new Set(Object.keys(schema.getTypeMap()));
  const subgraphRows = [...own.subgraphs].map(([name, url]) => [
    `[${name}](${name}.md)`,
    url ? code(url) : '',
    String(rootFields.filter((f) => own.fields.get(f)?.includes(name)).length),
    String(
      [...own.types].filter(
        ([t, gs]) => apiTypes.has(t) && !t.startsWith('__') && gs.some((g) => g.graph === name),
      ).length,
    ),
  ]);
  const sections: [string, string, unknown[]][] = [
    ['Queries', 'queries', query ? [query] : []],
    ['Mutations', 'mutations', mutation ? [mutation] : []],
    ['Objects', 'objects', kinds.objects],
    ['Interfaces', 'interfaces', kinds.interfaces],
    ['Unions', 'unions', kinds.unions],
    ['Input types', 'input-types', kinds.inputs],
    ['Enums', 'enums', kinds.enums],
    ['Scalars', 'scalars', kinds.scalars],
  ];
  const out = [
    HEADER,
    '',
    '# Trellis API reference',
    '',
    'The API schema that clients of the gateway see, generated by `pnpm docs:build` from the committed',
    'supergraph (`gateway/supergraph.graphql`). Each type and field names the subgraph that serves',
    "it, read from the supergraph's `@join__*` directives. Root fields and types are sorted by",
    'name; fields, arguments and enum values keep their schema order.',
    '',
    '## Subgraphs',
    '',
    ...table(['Subgraph', 'Default URL', 'Root fields', 'Types'], subgraphRows),
    '',
    '## Contents',
    '',
    ...sections.filter(([, , items]) => items.length).map(([title, id]) => `- [${title}](#${id})`),
    '',
    ...rootSection('Queries', query, own),
    ...rootSection('Mutations', mutation, own),
  ];
  const typeSection = <T>(title: string, items: T[], render: (t: T) => string[]) =>
    items.length ? [`## ${title}`, '', ...items.flatMap(render)] : [];
  out.push(
    ...typeSection('Objects', kinds.objects, (t) => objectSection(t, own)),
    ...typeSection('Interfaces', kinds.interfaces, (t) => [
      ...objectSection(t, own),
      `Implemented by ${byName(schema.getPossibleTypes(t))
        .map((o) => typeLink(o))
        .join(', ')}`,
      '',
    ]),
    ...typeSection('Unions', kinds.unions, (t) => unionSection(t, own)),
    ...typeSection('Input types', kinds.inputs, (t) => inputSection(t, own)),
    ...typeSection('Enums', kinds.enums, (t) => enumSection(t, own)),
    ...typeSection('Scalars', kinds.scalars, (t) => scalarSection(t, own)),
  );
  return finish(out);
}

function subgraphPage(name: string, url: string, schema: GraphQLSchema, own: Ownership): string {
  const link = (type: GraphQLType) => typeLink(type, README);
  const fieldLink = (root: string, field: string) =>
    `[${code(field)}](${README}#${anchor(`${root}.${field}`)})`;
  const out = [
    HEADER,
    '',
    `# ${name}`,
    '',
    `What the \`${name}\` subgraph serves in the supergraph (default URL ${code(url)}).`,
    `The full reference is [README.md](${README}).`,
    '',
  ];
  for (const [title, root] of [
    ['Queries', schema.getQueryType()],
    ['Mutations', schema.getMutationType()],
  ] as const) {
    if (!root) continue;
    const fields = byName(Object.values(root.getFields())).filter((f) =>
      own.fields.get(`${root.name}.${f.name}`)?.includes(name),
    );
    if (!fields.length) continue;
    out.push(
      `## ${title}`,
      '',
      ...table(
        ['Field', 'Returns', 'Description'],
        fields.map((f) => [fieldLink(root.name, f.name), link(f.type), cell(f.description)]),
      ),
      '',
    );
  }
  const kinds = kindsOf(schema);
  const entities: string[][] = [];
  const types: string[][] = [];
  for (const type of [...kinds.objects, ...kinds.interfaces]) {
    const graphs = (own.types.get(type.name) ?? []).filter((g) => g.graph === name);
    if (!graphs.length) continue;
    const fields = Object.keys(type.getFields()).filter((f) =>
      own.fields.get(`${type.name}.${f}`)?.includes(name),
    );
    const keys = graphs.filter((g) => g.key).map((g) => code(g.key!));
    if (keys.length)
      entities.push([
        link(type),
        keys.join(', '),
        graphs.some((g) => g.resolvable) ? 'yes' : 'no (reference only)',
        fields.map(code).join(', '),
      ]);
    else types.push([link(type), fields.map(code).join(', ')]);
  }
  if (entities.length)
    out.push(
      '## Entities',
      '',
      ...table(['Type', 'Key', 'Resolvable here', 'Fields served here'], entities),
      '',
    );
  if (types.length)
    out.push('## Other object types', '', ...table(['Type', 'Fields served here'], types), '');
  const others = [...kinds.unions, ...kinds.inputs, ...kinds.enums, ...kinds.scalars].filter((t) =>
    (own.types.get(t.name) ?? []).some((g) => g.graph === name),
  );
  if (others.length)
    out.push(
      '## Inputs, enums, unions and scalars',
      '',
      byName(others)
        .map((t) => link(t))
        .join(', '),
      '',
    );
  return finish(out);
}

const finish = (lines: string[]) =>
  `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;

/** The API reference: file name (relative to docs/api/) → content. */
export function renderApiDocs(supergraphSdl: string): Map<string, string> {
  const schema = apiSchemaOf(supergraphSdl);
  const own = ownershipOf(parse(supergraphSdl));
  const files = new Map<string, string>([[README, readme(schema, own)]]);
  for (const [name, url] of own.subgraphs) {
    files.set(`${name}.md`, subgraphPage(name, url, schema, own));
  }
  return files;
}
