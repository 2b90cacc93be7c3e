import { GraphQLError, type GraphQLSchema } from 'graphql';

/** The stable `extensions.code` values of the contract. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FEATURE_DISABLED: 'FEATURE_DISABLED',
  IDEMPOTENCY_CONFLICT: 'IDEMPOTENCY_CONFLICT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export function userError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

export const badInput = (
  field: string,
  message: string,
  extensions: Record<string, unknown> = {},
) => userError(ErrorCode.BAD_USER_INPUT, message, { ...extensions, field });
export const notFound = (what: string, id: string, field?: string) =>
  userError(ErrorCode.NOT_FOUND, `${what} ${id} does not exist`, field ? { field } : {});
export const conflict = (message: string, extensions: Record<string, unknown> = {}) =>
  userError(ErrorCode.CONFLICT, message, extensions);
export const forbidden = (message: string) => userError(ErrorCode.FORBIDDEN, message);
export const unauthenticated = (message = 'a valid bearer token is required') =>
  userError(ErrorCode.UNAUTHENTICATED, message, { http: { status: 401 } });
export const featureDisabled = (flag: string) =>
  userError(ErrorCode.FEATURE_DISABLED, `this feature is disabled (${flag})`, { flag });

/** Prisma's unique-constraint violation, for turning races into CONFLICT. */
export function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    (error as { code: unknown }).code === 'P2002'
  );
}

/**
 * The SQLSTATE behind a database error: Prisma's (through the driver adapter) or the driver's
 * own (raw statements), if any.
 */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: unknown } } };
  const cause = e.meta?.driverAdapterError?.cause as { originalCode?: unknown } | undefined;
  if (typeof cause?.originalCode === 'string') return cause.originalCode;
  return typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : undefined;
}

// Prisma's codes for the same conditions when the adapter names them itself
const CONFLICT_CODES = new Set(['P2002', 'P2034', '23505', '23P01', '40001', '40P01']);
const OUT_OF_RANGE = new Set(['P2000', 'P2020', '22001', '22003', '22008']);
const MALFORMED = new Set(['P2007', '22P02', '22007', '22021', '22P05']);

/**
 * What a database error that escaped a feature's own handling means to the client: a race the
 * checks could not see (unique or exclusion violation, serialization failure, deadlock) is
 * CONFLICT, to retry; a value the column cannot hold (out of range, too long, malformed text) is
 * BAD_USER_INPUT. Anything else stays an internal error (undefined here).
 */
export function userErrorOfDatabase(error: unknown): GraphQLError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  const state = sqlState(error);
  const is = (set: Set<string>) =>
    (typeof code === 'string' && set.has(code)) || (state !== undefined && set.has(state));
  if (is(CONFLICT_CODES))
    return conflict('a concurrent request changed the same data; read it again and retry', {
      reason:
        state === '40001' || state === '40P01' || code === 'P2034'
          ? 'CONCURRENT_WRITE'
          : 'DUPLICATE',
    });
  if (is(OUT_OF_RANGE))
    return userError(ErrorCode.BAD_USER_INPUT, 'a value is out of range or too long');
  if (is(MALFORMED)) return userError(ErrorCode.BAD_USER_INPUT, 'a value is malformed');
  return undefined;
}

/** Runs a write; a unique-constraint violation (a race the checks could not see) becomes `refuse()`. */
export async function onDuplicate<T>(
  write: Promise<T>,
  refuse: () => GraphQLError | Promise<GraphQLError>,
): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (isUniqueViolation(error)) throw await refuse();
    throw error;
  }
}

/**
 * The one place database errors become user errors: every root field (queries, mutations,
 * `_entities`) answers `userErrorOfDatabase` for an error its feature did not handle.
 */
export function guardDatabaseErrors(schema: GraphQLSchema): GraphQLSchema {
  for (const root of [schema.getQueryType(), schema.getMutationType()]) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      const resolve = field.resolve;
      if (!resolve) continue;
      field.resolve = async (source, args, context, info) => {
        try {
          return await resolve(source, args, context, info);
        } catch (error) {
          const mapped = userErrorOfDatabase(error);
          if (!mapped) throw error;
          // the detail stays in the log, the client gets the code
          (context as { logger?: { warn(o: object, m: string): void } }).logger?.warn(
            { err: error, code: mapped.extensions.code },
            'database error answered as a user error',
          );
          throw mapped;
        }
      };
    }
  }
  return schema;
}
