/**
 * Column lists of raw statements that answer JSON arrays (`json_build_array`): PGlite decodes
 * one JSON document far faster than rows of many columns, but an array is read by position.
 * Declaring the columns once, by name, gives both the SQL and the decoder, so the two cannot
 * drift apart.
 */

/** A column: its SQL expression and how its JSON value becomes a row's field. */
export class Column<T> {
  constructor(
    readonly sql: string,
    readonly decode: (json: unknown) => T,
  ) {}
}

/** Named columns, or named groups of them (decoded into nested objects, e.g. one per table). */
export interface ColumnSpec {
  readonly [name: string]: Column<unknown> | ColumnSpec;
}

/** What a spec decodes to. */
export type Decoded<S extends ColumnSpec> = {
  -readonly [K in keyof S]: S[K] extends Column<infer T>
    ? T
    : S[K] extends ColumnSpec
      ? Decoded<S[K]>
      : never;
};

const same = (json: unknown) => json;

/** `uuid` (and anything else JSON answers as the string Prisma reads). */
export const uuid = (sql: string) => new Column(sql, same as (json: unknown) => string);
/** `text` or an enum; `T` narrows it to the enum's values. */
export const text = <T extends string = string>(sql: string) =>
  new Column(sql, same as (json: unknown) => T);
/** `char(n)`: JSON keeps the padding, Prisma does not. */
export const char = (sql: string) => new Column(sql, (json) => (json as string).trim());
export const int = (sql: string) => new Column(sql, same as (json: unknown) => number);
export const bool = (sql: string) => new Column(sql, same as (json: unknown) => boolean);
/** `json`/`jsonb`, as Prisma's `JsonValue` or a narrower type. */
export const json = <T>(sql: string) => new Column(sql, same as (json: unknown) => T);
/** `numeric`, as its exact decimal string (JSON numbers would round it). */
export const decimal = (sql: string) =>
  new Column(`${sql}::text`, same as (json: unknown) => string);
/**
 * `timestamptz`, as milliseconds since the epoch: a number becomes a Date several times faster
 * than an ISO text is parsed (a flagship request reads a few thousand instants). Sub-millisecond
 * digits are cut, as node-postgres cuts them.
 */
export const timestamptz = (sql: string) =>
  new Column(`date_part('epoch', ${sql}) * 1000`, (json) => new Date(json as number));

/** A column that may be null: null stays null, anything else decodes as `column` does. */
export const nullable = <T>(column: Column<T>) =>
  new Column<T | null>(
    column.sql,
    // null reads as itself already where the column's values do
    column.decode === same
      ? (same as (json: unknown) => T | null)
      : (json) => (json === null ? null : column.decode(json)),
  );

export interface Columns<S extends ColumnSpec> {
  /** `json_build_array(…)` of every column, in the order they are declared */
  readonly jsonArray: string;
  /** one such array back into named, typed fields */
  decode(tuple: readonly unknown[]): Decoded<S>;
}

type Decoder = (tuple: readonly unknown[]) => unknown;

/**
 * The decoder of a spec, generated once as one object literal read by position
 * (`(t) => ({ "page": t[0], "entry": { "id": t[1], "createdAt": d[0](t[2]) } })`): a catalog
 * page decodes 142 rows of 40 columns per request, and calling a closure per column cost more
 * than the rest of the page. Only the spec's own names and positions go into the code (names
 * quoted as JSON strings), never a value.
 */
function compile(spec: ColumnSpec, sqls: string[]): Decoder {
  const decoders: ((json: unknown) => unknown)[] = [];
  const literal = (group: ColumnSpec): string =>
    `{${Object.entries(group)
      .map(([name, entry]) => {
        if (!(entry instanceof Column)) return `${JSON.stringify(name)}: ${literal(entry)}`;
        const at = sqls.push(entry.sql) - 1;
        const read =
          entry.decode === same ? `t[${at}]` : `d[${decoders.push(entry.decode) - 1}](t[${at}])`;
        return `${JSON.stringify(name)}: ${read}`;
      })
      .join(', ')}}`;
  const body = literal(spec);
  return new Function('d', `return (t) => (${body});`)(decoders) as Decoder;
}

/**
 * The columns of a JSON-array statement, declared once:
 * `columns({ id: uuid('r.id'), amount: nullable(decimal('r.amount')) })` gives
 * `json_build_array(r.id, r.amount::text)` and decodes `["…", "1.5000"]` to
 * `{ id: '…', amount: '1.5000' }`.
 */
export function columns<S extends ColumnSpec>(spec: S): Columns<S> {
  const sqls: string[] = [];
  const decode = compile(spec, sqls) as (tuple: readonly unknown[]) => Decoded<S>;
  return { jsonArray: `json_build_array(${sqls.join(', ')})`, decode };
}
