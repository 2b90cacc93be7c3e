import { type Caller, isAdmin } from '@trellis/kit';
import { z } from 'zod';

/** Event types are dotted lower-case names: `ticket.created`, `catalog.version_effective`. */
export const EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

export const eventsArgs = z.object({
  type: z
    .string()
    .trim()
    .max(100, 'type must be at most 100 characters')
    .regex(EVENT_TYPE, 'type must be an event type such as "ticket.created"')
    .nullish(),
});

/** An event is visible to the organization it belongs to and to admin. */
export function canSeeEvent(caller: Caller, eventOrgId: string | null): boolean {
  return isAdmin(caller) || (caller.orgId !== null && caller.orgId === eventOrgId);
}

/** Which events a list shows: those of `orgId` (null: every event, for admin). */
export interface EventListScope {
  orgId: string | null;
}

/** The events a caller may list; null when it may see none (no organization, not admin). */
export function eventListScope(caller: Caller): EventListScope | null {
  if (isAdmin(caller)) return { orgId: null };
  return caller.orgId === null ? null : { orgId: caller.orgId };
}
