import { userError } from '@trellis/kit';
import type { ChannelView } from '../org-views/org-view-store.js';
import type { ListingProblem } from './rules.js';

// The refusals of a channel catalog change. Each names the argument (`extensions.field`) and
// its reason (`extensions.reason`), which the failure counter counts it under.

export const channelNotFound = (channelId: string) =>
  userError('NOT_FOUND', `channel ${channelId} does not exist`, {
    field: 'channelId',
    reason: 'CHANNEL_NOT_FOUND',
  });

export const channelInactive = (channel: ChannelView) =>
  userError('BAD_USER_INPUT', `channel ${channel.code} is not active`, {
    field: 'channelId',
    reason: 'CHANNEL_INACTIVE',
  });

/** Every offering named that does not exist: the first in the message, all in the extensions. */
export function offeringsNotFound(missing: readonly [string, ...string[]]) {
  const [first] = missing;
  return userError(
    'NOT_FOUND',
    `offering ${first} does not exist${missing.length > 1 ? ` (nor ${missing.length - 1} more: extensions.offeringIds)` : ''}`,
    { field: 'offeringIds', offeringId: first, offeringIds: missing, reason: 'OFFERING_NOT_FOUND' },
  );
}

/** Every offering refused: the first in the message, all in `extensions.problems`. */
export function listingRefused(
  channel: ChannelView,
  problems: readonly [ListingProblem, ...ListingProblem[]],
  verb: 'listed' | 'unlisted',
) {
  const [first] = problems;
  return userError(
    'BAD_USER_INPUT',
    `offering ${first.offeringId} cannot be ${verb} in channel ${channel.code}: ${first.message}${problems.length > 1 ? ` (${problems.length - 1} more offering(s) refused: extensions.problems)` : ''}`,
    { field: 'offeringIds', offeringId: first.offeringId, reason: first.reason, problems },
  );
}

export const effectiveAtPassed = (effectiveAt: Date) =>
  userError(
    'BAD_USER_INPUT',
    `effectiveAt ${effectiveAt.toISOString()} is in the past; give a time from now on (or none for now)`,
    { field: 'effectiveAt', reason: 'EFFECTIVE_AT_IN_PAST' },
  );

/** The head's version is scheduled after the new one would take effect (`scheduleConflict`). */
export const scheduleConflicts = (
  message: string,
  head: { latestVersion: number; latestEffectiveAt: Date | null },
) =>
  userError('CONFLICT', message, {
    field: 'effectiveAt',
    reason: 'SCHEDULE_CONFLICT',
    scheduledVersion: head.latestVersion,
    scheduledAt: head.latestEffectiveAt?.toISOString(),
  });

export const versionNotFound = (channel: ChannelView, toVersion: number, latestVersion: number) =>
  userError(
    'BAD_USER_INPUT',
    latestVersion
      ? `channel ${channel.code} has no catalog version ${toVersion} (latest: ${latestVersion})`
      : `channel ${channel.code} has no catalog version yet`,
    { field: 'toVersion', reason: 'VERSION_NOT_FOUND', latestVersion },
  );
