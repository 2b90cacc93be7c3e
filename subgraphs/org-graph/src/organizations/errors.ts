import { conflict } from '@trellis/kit';

/** The exclusion constraint behind a relationship's identity (migration 20261127120307). */
const IDENTITY_CONSTRAINT = 'org_relationship_no_overlap';

/** Whether an error (or one it wraps) is a violation of the named constraint. */
function violates(error: unknown, constraint: string): boolean {
  for (let e = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const { message, meta } = e as { message?: unknown; meta?: unknown };
    if (`${message ?? ''}${JSON.stringify(meta ?? null)}`.includes(constraint)) return true;
  }
  return false;
}

/**
 * Runs a relationship write; a concurrent duplicate that the command's check could not see
 * (the exclusion constraint's SQLSTATE 23P01, which Prisma reports as a driver error) becomes
 * CONFLICT.
 */
export async function onOverlap<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (violates(error, IDENTITY_CONSTRAINT)) {
      throw conflict(
        'a PROPOSED or ACTIVE relationship of this type between these organizations already covers this period',
        { field: 'input' },
      );
    }
    throw error;
  }
}
