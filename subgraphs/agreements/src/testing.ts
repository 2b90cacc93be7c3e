import type { Caller } from '@trellis/kit';

/** A caller of `orgId` (null: none) holding `scopes`, for tests. */
export const callerOf = (orgId: string | null, ...scopes: string[]): Caller => ({
  subject: `user-of-${orgId ?? 'nobody'}`,
  orgId,
  scopes: new Set(scopes),
});
