import { describe, expect, it } from 'vitest';
import { callerOf } from '../testing.js';
import { canSeeEvent, eventListScope, eventsArgs } from './rules.js';

const A = '0190a000-0000-7000-8000-00000000000a';
const B = '0190a000-0000-7000-8000-00000000000b';

describe('canSeeEvent', () => {
  it('shows an event to the organization it belongs to', () => {
    expect(canSeeEvent(callerOf(A), A)).toBe(true);
  });
  it('hides it from other organizations and from callers without one', () => {
    expect(canSeeEvent(callerOf(B), A)).toBe(false);
    expect(canSeeEvent(callerOf(null), A)).toBe(false);
  });
  it('keeps platform events (no organization) to admin', () => {
    expect(canSeeEvent(callerOf(A), null)).toBe(false);
    expect(canSeeEvent(callerOf(null), null)).toBe(false);
    expect(canSeeEvent(callerOf(null, 'admin'), null)).toBe(true);
    expect(canSeeEvent(callerOf(B, 'admin'), A)).toBe(true);
  });
});

describe('eventListScope', () => {
  it('keeps a caller to its organization’s events', () => {
    expect(eventListScope(callerOf(A))).toEqual({ orgId: A });
  });
  it('shows every event to admin', () => {
    expect(eventListScope(callerOf(A, 'admin'))).toEqual({ orgId: null });
  });
  it('shows nothing to a caller without an organization', () => {
    expect(eventListScope(callerOf(null, 'webhooks:manage'))).toBeNull();
  });
});

describe('eventsArgs', () => {
  it('accepts the contract’s event types', () => {
    for (const type of [
      'organization.created',
      'catalog.version_effective',
      'ticket.responsibility_assigned',
      'agreement.updated',
    ]) {
      expect(eventsArgs.parse({ type })).toEqual({ type });
    }
    expect(eventsArgs.parse({ type: ' ticket.created ' })).toEqual({ type: 'ticket.created' });
    expect(eventsArgs.parse({ type: null })).toEqual({ type: null });
  });
  it('refuses what is not an event type', () => {
    for (const type of [
      '',
      'ticket',
      'Ticket.Created',
      'ticket.*',
      "x.y'; DROP",
      `a.${'b'.repeat(100)}`,
    ]) {
      expect(eventsArgs.safeParse({ type }).success, type).toBe(false);
    }
  });
});
