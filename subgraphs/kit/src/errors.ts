import { GraphQLError } from 'graphql';

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

export const badInput = (field: string, message: string) =>
  userError(ErrorCode.BAD_USER_INPUT, message, { field });
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
