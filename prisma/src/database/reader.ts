import {
  type ArgType,
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type SqlResultSet,
} from '@prisma/driver-adapter-utils';
import { GENERIC_PLAN } from './settings.js';

/**
 * Runs one read statement and answers its rows as objects keyed by column name: `sql` takes
 * `values` as `$1`, `$2`, … (a JavaScript array binds as a PostgreSQL array).
 */
export type SqlReader = <T>(sql: string, ...values: unknown[]) => Promise<T[]>;

const SCALAR: ArgType = { scalarType: 'unknown', arity: 'scalar' };
const LIST: ArgType = { scalarType: 'unknown', arity: 'list' };

/** How a column's values become what `$queryRawUnsafe` would answer (the columns reads use). */
function decoderOf(type: number, name: string): ((value: unknown) => unknown) | null {
  switch (type) {
    case ColumnTypeEnum.Int32:
    case ColumnTypeEnum.Float:
    case ColumnTypeEnum.Double:
    case ColumnTypeEnum.Boolean:
    case ColumnTypeEnum.Text:
    case ColumnTypeEnum.Character:
    case ColumnTypeEnum.Enum:
    case ColumnTypeEnum.Uuid:
    case ColumnTypeEnum.TextArray:
    case ColumnTypeEnum.UuidArray:
    case ColumnTypeEnum.Int32Array:
    case ColumnTypeEnum.EnumArray:
    case ColumnTypeEnum.BooleanArray:
      return null;
    case ColumnTypeEnum.DateTime:
      return (value) => (value === null ? null : new Date(value as string));
    case ColumnTypeEnum.Json:
      return (value) => (typeof value === 'string' ? JSON.parse(value) : value);
    default:
      // bigint, numeric, bytes…: Prisma answers BigInt, Decimal, Uint8Array; cast them in SQL
      throw new Error(`column "${name}": type ${type} is not read by sqlReader; cast it to text`);
  }
}

function toObjects<T>({ columnNames, columnTypes, rows }: SqlResultSet): T[] {
  const decoders = columnTypes.map((type, i) => decoderOf(type, columnNames[i]!));
  const out = new Array<T>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const object: Record<string, unknown> = {};
    for (let c = 0; c < columnNames.length; c++) {
      const decode = decoders[c];
      object[columnNames[c]!] = decode ? decode(row[c]) : row[c];
    }
    out[r] = object as T;
  }
  return out;
}

/**
 * Reads through a slice's runtime adapter without the Prisma client: the same connection,
 * role, tenancy, statement count, deadline and span as `$queryRawUnsafe`, without the client's
 * request machinery (about a quarter of a millisecond per statement). For the hot reads only,
 * which look rows up by keys: they run generic plans (`GENERIC_PLAN`). Writes and transactions
 * stay with Prisma.
 */
export function sqlReader(factory: SqlDriverAdapterFactory): SqlReader {
  let adapter: Promise<SqlDriverAdapter> | undefined;
  return async <T>(sql: string, ...values: unknown[]): Promise<T[]> => {
    adapter ??= factory.connect();
    const result = await (await adapter).queryRaw({
      sql: GENERIC_PLAN + sql,
      args: values,
      argTypes: values.map((v) => (Array.isArray(v) ? LIST : SCALAR)),
    });
    return toObjects<T>(result);
  };
}

/** A slice's Prisma client with `$read`: a `sqlReader` on the same runtime adapter. */
export const withSqlReader = <C extends object>(
  client: C,
  factory: SqlDriverAdapterFactory,
): C & { $read: SqlReader } => Object.assign(client, { $read: sqlReader(factory) });
