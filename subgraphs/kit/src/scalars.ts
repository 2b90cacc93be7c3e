import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import {
  CurrencyResolver,
  DateTimeResolver,
  JSONObjectResolver,
  JSONResolver,
  UUIDResolver,
} from 'graphql-scalars';

/**
 * Answers every DateTime in UTC ISO-8601 (graphql-scalars' DateTime answers whatever offset it
 * was given; the contract wants UTC).
 */
export const DateTimeUtc = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  serialize(value) {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime()))
      throw new GraphQLError(`DateTime cannot represent ${String(value)}`);
    return date.toISOString();
  },
});

/** Money and other exact numbers: a decimal string on the wire ("1234.50"). */
const DECIMAL = /^-?\d+(\.\d+)?$/;
export const Decimal = new GraphQLScalarType({
  name: 'Decimal',
  description: 'An exact decimal number as a string, e.g. "1234.50".',
  serialize: (value) => String(value),
  parseValue(value) {
    if (typeof value !== 'string' || !DECIMAL.test(value)) {
      throw new GraphQLError('Decimal must be a decimal string such as "12.50"');
    }
    return value;
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING || !DECIMAL.test(ast.value)) {
      throw new GraphQLError('Decimal must be a decimal string such as "12.50"');
    }
    return ast.value;
  },
});

export const scalarResolvers = {
  DateTime: DateTimeUtc,
  JSON: JSONResolver,
  JSONObject: JSONObjectResolver,
  UUID: UUIDResolver,
  Currency: CurrencyResolver,
  Decimal,
};

/** SDL for the scalars (each subgraph includes the ones it uses). */
export const SCALARS_SDL = `
scalar DateTime
scalar JSON
scalar Currency
scalar Decimal
`;
