/**
 * Entity-relationship diagrams (docs/erd/<slice>.md), generated from each slice's Prisma
 * schema. The schema is read by Prisma's own parser (the prisma-schema WebAssembly module's
 * `get_datamodel`, the DMMF datamodel `prisma generate` works from), so @map, @@map, @id,
 * @@id, @unique, @@unique, native types and relations mean exactly what they mean to Prisma.
 */
import { createRequire } from 'node:module';

type SchemaWasm = typeof import('@prisma/prisma-schema-wasm');
const schemaWasm = createRequire(import.meta.url)('@prisma/prisma-schema-wasm') as SchemaWasm;

// The parts of Prisma's DMMF datamodel that the diagrams use.
export interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  type: string;
  isList: boolean;
  isRequired: boolean;
  isUnique: boolean;
  isId: boolean;
  isUpdatedAt?: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  nativeType?: [string, string[]] | null;
  relationName?: string | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  documentation?: string;
}

export interface DmmfModel {
  name: string;
  dbName: string | null;
  schema?: string | null;
  fields: DmmfField[];
  primaryKey: { name: string | null; fields: string[] } | null;
  uniqueFields: string[][];
  documentation?: string;
}

export interface DmmfEnum {
  name: string;
  dbName?: string | null;
  values: { name: string; dbName: string | null }[];
  documentation?: string;
}

export interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  isDefinedOnField: boolean;
  dbName?: string | null;
  fields: { name: string; sortOrder?: string }[];
}

export interface Datamodel {
  models: DmmfModel[];
  enums: DmmfEnum[];
  indexes?: DmmfIndex[];
}

/** Parses and validates a Prisma schema with Prisma's own parser; throws Prisma's errors. */
export function readDatamodel(schema: string, fileName = 'schema.prisma'): Datamodel {
  let json: string;
  try {
    json = schemaWasm.get_datamodel(JSON.stringify({ prismaSchema: [[fileName, schema]] }));
  } catch (e) {
    const raw = e instanceof Error ? e.message : String(e);
    let message = raw;
    try {
      message = (JSON.parse(raw) as { message?: string }).message ?? raw;
    } catch {}
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colours
    throw new Error(`${fileName} does not validate:\n${message.replace(/\u001b\[[0-9;]*m/g, '')}`);
  }
  return JSON.parse(json) as Datamodel;
}

// ---------------------------------------------------------------------------------------------

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A model's table name (@@map, else the model name). */
export const tableOf = (m: DmmfModel) => m.dbName ?? m.name;
/** A field's column name (@map, else the field name). */
export const columnOf = (f: DmmfField) => f.dbName ?? f.name;

// Prisma's PostgreSQL column types: native type when given (@db.X), else the scalar's default.
const DEFAULT_TYPES: Record<string, string> = {
  String: 'text',
  Boolean: 'boolean',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'decimal(65,30)',
  DateTime: 'timestamp(3)',
  Json: 'jsonb',
  Bytes: 'bytea',
};
const NATIVE_NAMES: Record<string, string> = {
  DoublePrecision: 'double precision',
  JsonB: 'jsonb',
  ByteA: 'bytea',
  VarBit: 'varbit',
  SmallInt: 'smallint',
  BigInt: 'bigint',
  Integer: 'integer',
};

/** The PostgreSQL type of a scalar or enum column, e.g. `timestamptz(3)`, `uuid`, `text[]`. */
export function columnType(field: DmmfField, enums: DmmfEnum[] = []): string {
  let base: string;
  if (field.kind === 'enum') {
    const e = enums.find((x) => x.name === field.type);
    base = e?.dbName ?? field.type;
  } else if (field.nativeType) {
    const [name, args] = field.nativeType;
    base = `${NATIVE_NAMES[name] ?? name.toLowerCase()}${args.length ? `(${args.join(',')})` : ''}`;
  } else base = DEFAULT_TYPES[field.type] ?? field.type.toLowerCase();
  return field.isList ? `${base}[]` : base;
}

/** Mermaid attribute types are single words: no spaces, no commas, no parameters. */
const mermaidType = (type: string) => type.replace(/\([^)]*\)/g, '').replace(/\s+/g, '_');

function defaultText(value: unknown, isEnum = false): string {
  if (value === undefined) return '';
  if (isEnum && typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map((v) => defaultText(v)).join(', ')}]`;
  if (value && typeof value === 'object' && 'name' in value) {
    const fn = value as { name: string; args?: unknown[] };
    return `${fn.name}(${(fn.args ?? []).map((a) => JSON.stringify(a)).join(', ')})`;
  }
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

export type Key = 'PK' | 'FK' | 'UK';

/** The key markers of every scalar field of a model: PK, FK, UK (single-column unique). */
export function keysOf(model: DmmfModel): Map<string, Key[]> {
  const pk = new Set(
    model.primaryKey?.fields ?? model.fields.filter((f) => f.isId).map((f) => f.name),
  );
  const fk = new Set(model.fields.flatMap((f) => f.relationFromFields ?? []));
  const uk = new Set([
    ...model.fields.filter((f) => f.isUnique).map((f) => f.name),
    ...model.uniqueFields.filter((u) => u.length === 1).map((u) => u[0]!),
  ]);
  const keys = new Map<string, Key[]>();
  for (const f of model.fields) {
    if (f.kind === 'object') continue;
    keys.set(
      f.name,
      (['PK', 'FK', 'UK'] as const).filter((k) =>
        k === 'PK'
          ? pk.has(f.name)
          : k === 'FK'
            ? fk.has(f.name)
            : uk.has(f.name) && !pk.has(f.name),
      ),
    );
  }
  return keys;
}

export interface Relation {
  /** The referenced table (the "one" side). */
  parent: string;
  /** The table holding the foreign key, or the second table of an implicit many-to-many. */
  child: string;
  /** Mermaid cardinality, e.g. `||--o{`. */
  arrow: string;
  /** FK columns, or the implicit join table. */
  label: string;
}

/** The relations of a datamodel, each once, from the side that holds the foreign key. */
export function relationsOf(dm: Datamodel): Relation[] {
  const byName = new Map(dm.models.map((m) => [m.name, m]));
  const relations: Relation[] = [];
  const seenImplicit = new Set<string>();
  for (const model of dm.models) {
    for (const field of model.fields) {
      if (field.kind !== 'object') continue;
      const target = byName.get(field.type);
      if (!target) continue;
      const from = field.relationFromFields ?? [];
      // the back-relation field on the other model (for a self-relation: the other field)
      const back = target.fields.find(
        (f) =>
          f.kind === 'object' &&
          f.relationName === field.relationName &&
          f.type === model.name &&
          f !== field,
      );
      if (from.length) {
        const fkFields = from.map((n) => model.fields.find((f) => f.name === n)!);
        const required = fkFields.every((f) => f.isRequired);
        const pk = new Set(
          model.primaryKey?.fields ?? model.fields.filter((f) => f.isId).map((f) => f.name),
        );
        // identifying (solid line) when the foreign key is part of the child's primary key
        const identifying = from.every((n) => pk.has(n));
        const many = back ? back.isList : true;
        relations.push({
          parent: tableOf(target),
          child: tableOf(model),
          arrow: `${required ? '||' : '|o'}${identifying ? '--' : '..'}${many ? 'o{' : 'o|'}`,
          label: fkFields.map(columnOf).join(', '),
        });
      } else if (field.isList && back?.isList && !(back.relationFromFields ?? []).length) {
        // implicit many-to-many: Prisma keeps a join table `_<RelationName>`
        const pair = [model.name, target.name].sort(cmp).join('|');
        const key = `${field.relationName}|${pair}`;
        if (seenImplicit.has(key)) continue;
        seenImplicit.add(key);
        const [a, b] = [tableOf(model), tableOf(target)].sort(cmp);
        relations.push({ parent: a!, child: b!, arrow: '}o..o{', label: `_${field.relationName}` });
      }
    }
  }
  return relations.sort(
    (x, y) => cmp(x.parent, y.parent) || cmp(x.child, y.child) || cmp(x.label, y.label),
  );
}

const cell = (text: string | null | undefined) =>
  (text ?? '').trim().replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const code = (text: string) => (text ? `\`${text.replace(/\|/g, '\\|')}\`` : '');
const quoted = (text: string) => `"${text.replace(/"/g, "'")}"`;

export interface ErdOptions {
  /** The slice name, e.g. `org-graph`. */
  slice: string;
  /** The PostgreSQL schema, e.g. `org_graph`. */
  schema: string;
  /** Where the Prisma schema lives, for the header (e.g. `prisma/org-graph/schema.prisma`). */
  source: string;
}

/** The Markdown page for one slice: a Mermaid erDiagram, then one column table per table. */
export function renderErd(dm: Datamodel, opts: ErdOptions): string {
  const models = [...dm.models].sort((a, b) => cmp(tableOf(a), tableOf(b)));
  const enums = [...dm.enums].sort((a, b) => cmp(a.name, b.name));
  const relations = relationsOf(dm);
  const out: string[] = [
    `<!-- Generated by \`pnpm docs:build\` from ${opts.source}; do not edit by hand. \`pnpm docs:check\` fails when it is stale. -->`,
    '',
    `# ${opts.slice}: entity-relationship diagram`,
    '',
    `PostgreSQL schema \`${opts.schema}\`: ${models.length} tables, ${enums.length} enums, ` +
      `${relations.length} foreign-key relations. Generated by \`pnpm docs:build\` from ` +
      `\`${opts.source}\` (read with Prisma's own schema parser). Columns are the database names ` +
      '(`@map`); references to other slices are plain ids (no foreign key crosses slices).',
    '',
    '```mermaid',
    'erDiagram',
  ];
  for (const model of models) {
    const keys = keysOf(model);
    out.push(`  ${tableOf(model)} {`);
    for (const field of model.fields) {
      if (field.kind === 'object') continue;
      const k = keys.get(field.name) ?? [];
      const parts = [mermaidType(columnType(field, dm.enums)), columnOf(field)];
      if (k.length) parts.push(k.join(', '));
      if (!field.isRequired) parts.push(quoted('nullable'));
      out.push(`    ${parts.join(' ')}`);
    }
    out.push('  }');
  }
  for (const r of relations) out.push(`  ${r.parent} ${r.arrow} ${r.child} : ${quoted(r.label)}`);
  out.push('```', '');

  out.push('## Tables', '');
  const indexes = dm.indexes ?? [];
  for (const model of models) {
    const keys = keysOf(model);
    const columns = new Map(model.fields.map((f) => [f.name, columnOf(f)]));
    out.push(`### \`${tableOf(model)}\``, '');
    out.push(
      `Model \`${model.name}\`.${model.documentation ? ` ${cell(model.documentation)}` : ''}`,
      '',
    );
    out.push(
      '| Column | Type | Null | Key | Default | Description |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const field of model.fields) {
      if (field.kind === 'object') continue;
      const fk = model.fields.find(
        (r) => r.kind === 'object' && (r.relationFromFields ?? []).includes(field.name),
      );
      const target = fk && dm.models.find((m) => m.name === fk.type);
      const refIndex = fk ? fk.relationFromFields!.indexOf(field.name) : -1;
      const refField = target?.fields.find((f) => f.name === fk?.relationToFields?.[refIndex]);
      const ref = target ? `→ \`${tableOf(target)}.${refField ? columnOf(refField) : '?'}\`` : '';
      const notes = [cell(field.documentation), ref, field.isUpdatedAt ? '(@updatedAt)' : '']
        .filter(Boolean)
        .join(' ');
      out.push(
        `| ${code(columnOf(field))} | ${code(columnType(field, dm.enums))} | ${field.isRequired ? '' : 'yes'} | ${(keys.get(field.name) ?? []).join(', ')} | ${code(defaultText(field.default, field.kind === 'enum'))} | ${notes} |`,
      );
    }
    out.push('');
    const kinds = ['id', 'unique', 'normal', 'fulltext'] as const;
    const names = {
      id: 'primary key',
      unique: 'unique',
      normal: 'index',
      fulltext: 'fulltext index',
    };
    const constraints = indexes
      .filter((i) => i.model === model.name && !i.isDefinedOnField)
      .map((i) => ({
        rank: kinds.indexOf(i.type),
        text: `${names[i.type]} ${code(`(${i.fields.map((f) => columns.get(f.name) ?? f.name).join(', ')})`)}`,
      }))
      .sort((a, b) => a.rank - b.rank || cmp(a.text, b.text))
      .map((c) => c.text);
    if (constraints.length) out.push(`Constraints and indexes: ${constraints.join('; ')}.`, '');
  }

  if (enums.length) {
    out.push('## Enums', '', '| Enum | Values |', '| --- | --- |');
    for (const e of enums)
      out.push(
        `| ${code(e.dbName ?? e.name)} | ${e.values.map((v) => code(v.dbName ?? v.name)).join(', ')} |`,
      );
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

export interface SliceSchema extends ErdOptions {
  /** The Prisma schema's text. */
  text: string;
}

/** docs/erd/: file name → content, one page per slice and an index (README.md). */
export function renderErdDocs(slices: SliceSchema[]): Map<string, string> {
  const files = new Map<string, string>();
  const rows: string[] = [];
  for (const s of slices) {
    const dm = readDatamodel(s.text, s.source);
    files.set(`${s.slice}.md`, renderErd(dm, s));
    rows.push(
      `| [${s.slice}](${s.slice}.md) | \`${s.schema}\` | ${dm.models.length} | ${dm.enums.length} | ${relationsOf(dm).length} |`,
    );
  }
  files.set(
    'README.md',
    [
      '<!-- Generated by `pnpm docs:build` from prisma/*/schema.prisma; do not edit by hand. `pnpm docs:check` fails when it is stale. -->',
      '',
      '# Entity-relationship diagrams',
      '',
      'One page per data slice, generated by `pnpm docs:build` from `prisma/<slice>/schema.prisma`. Each',
      'slice is one PostgreSQL schema owned by one subgraph; no foreign key crosses slices.',
      '',
      '| Slice | PostgreSQL schema | Tables | Enums | Relations |',
      '| --- | --- | --- | --- | --- |',
      ...rows,
      '',
    ].join('\n'),
  );
  return files;
}
