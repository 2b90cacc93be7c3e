import type { Caller } from '@trellis/kit';
import { parseInput } from '@trellis/kit';
import { describe, expect, it } from 'vitest';
import {
  canSeeTicket,
  createTicketInput,
  nextStatuses,
  readProvenance,
  readRequiredSkills,
  type TicketParties,
  ticketLocation,
  ticketsArgs,
  transition,
  visibleTicketsWhere,
} from './rules.js';

const MAKER = '0190a000-0000-7000-8000-000000000001';
const DEALER = '0190a000-0000-7000-8000-000000000002';
const PARTNER = '0190a000-0000-7000-8000-000000000003';
const STRANGER = '0190a000-0000-7000-8000-000000000004';
const POLICY = '0190a000-0000-7000-8000-0000000000aa';

const caller = (orgId: string | null, scopes: string[] = []): Caller => ({
  subject: 'someone',
  orgId,
  scopes: new Set(scopes),
});

const reportedByDealer: TicketParties = {
  reportedByOrgId: DEALER,
  responsibleOrgId: PARTNER,
  manufacturerId: MAKER,
};
const unassigned: TicketParties = {
  reportedByOrgId: DEALER,
  responsibleOrgId: null,
  manufacturerId: null,
};

/** Evaluates a visibility where-clause the way the database would. */
function matches(where: ReturnType<typeof visibleTicketsWhere>, t: TicketParties): boolean {
  if (where === null) return false;
  if (!('OR' in where)) return true;
  return where.OR.some((clause) =>
    Object.entries(clause).every(([k, v]) => t[k as keyof TicketParties] === v),
  );
}

describe('ticket visibility', () => {
  it('shows a ticket to its reporting, responsible and manufacturing organization', () => {
    expect(canSeeTicket(caller(DEALER), reportedByDealer)).toBe(true);
    expect(canSeeTicket(caller(PARTNER), reportedByDealer)).toBe(true);
    expect(canSeeTicket(caller(MAKER), reportedByDealer)).toBe(true);
  });

  it('hides it from any other organization and from callers without one', () => {
    expect(canSeeTicket(caller(STRANGER), reportedByDealer)).toBe(false);
    expect(canSeeTicket(caller(null), reportedByDealer)).toBe(false);
    expect(
      canSeeTicket(caller(STRANGER, ['tickets:write', 'policy:write']), reportedByDealer),
    ).toBe(false);
  });

  it('does not match unknown parties (null) to a caller', () => {
    expect(canSeeTicket(caller(MAKER), unassigned)).toBe(false);
    expect(canSeeTicket(caller(PARTNER), unassigned)).toBe(false);
    expect(canSeeTicket(caller(DEALER), unassigned)).toBe(true);
  });

  it('shows every ticket to admin, with or without an organization', () => {
    expect(canSeeTicket(caller(null, ['admin']), reportedByDealer)).toBe(true);
    expect(canSeeTicket(caller(STRANGER, ['admin']), unassigned)).toBe(true);
    expect(visibleTicketsWhere(caller(STRANGER, ['admin']))).toEqual({});
  });

  it('filters lists by the three parties, or nothing at all without an organization', () => {
    expect(visibleTicketsWhere(caller(PARTNER))).toEqual({
      OR: [
        { reportedByOrgId: PARTNER },
        { responsibleOrgId: PARTNER },
        { manufacturerId: PARTNER },
      ],
    });
    expect(visibleTicketsWhere(caller(null))).toBeNull();
  });

  it('lists exactly the tickets it shows by id', () => {
    const callers = [MAKER, DEALER, PARTNER, STRANGER, null].flatMap((org) => [
      caller(org),
      caller(org, ['admin']),
    ]);
    for (const c of callers) {
      for (const t of [reportedByDealer, unassigned]) {
        expect(matches(visibleTicketsWhere(c), t)).toBe(canSeeTicket(c, t));
      }
    }
  });
});

describe('stored ticket data', () => {
  const provenance = {
    policyId: POLICY,
    policyVersion: 2,
    fallback: 'CHAIN',
    decidedAt: '2026-11-23T10:00:00.000Z',
    steps: [
      {
        role: 'DISTRIBUTOR',
        orgId: null,
        outcome: 'SKIPPED',
        reason: 'NO_RELATIONSHIP',
        candidates: 0,
      },
      {
        role: 'DEALER',
        orgId: PARTNER,
        outcome: 'SELECTED',
        reason: 'SELECTED',
        candidates: 2,
      },
    ],
  };

  it('reads a provenance record, or null when none was recorded', () => {
    expect(readProvenance(provenance)).toEqual(provenance);
    expect(readProvenance(null)).toBeNull();
    expect(
      readProvenance({
        ...provenance,
        policyId: null,
        policyVersion: null,
        fallback: 'MANUFACTURER',
        steps: [],
      }),
    ).toMatchObject({
      fallback: 'MANUFACTURER',
    });
  });

  it('refuses a malformed provenance record loudly', () => {
    expect(() => readProvenance({ ...provenance, fallback: 'SOMEONE' })).toThrow(
      /unreadable ticket provenance/,
    );
    expect(() => readProvenance({ ...provenance, decidedAt: 'yesterday' })).toThrow();
    expect(() =>
      readProvenance({
        ...provenance,
        steps: [
          { role: 'PLUMBER', orgId: null, outcome: 'SELECTED', reason: 'SELECTED', candidates: 1 },
        ],
      }),
    ).toThrow();
  });

  it('reads required skills', () => {
    expect(
      readRequiredSkills([
        { code: 'HVAC', level: 3 },
        { code: 'F-GAS', level: 1 },
      ]),
    ).toEqual([
      { code: 'HVAC', level: 3 },
      { code: 'F-GAS', level: 1 },
    ]);
    expect(readRequiredSkills(null)).toEqual([]);
    expect(() => readRequiredSkills([{ code: 'HVAC', level: 6 }])).toThrow(
      /unreadable required skills/,
    );
    expect(() =>
      readRequiredSkills([
        { code: 'HVAC', level: 2 },
        { code: 'HVAC', level: 3 },
      ]),
    ).toThrow();
  });

  it('answers a location only when both coordinates are known', () => {
    expect(ticketLocation({ lat: 50.94, lng: 6.96 })).toEqual({ lat: 50.94, lng: 6.96 });
    expect(ticketLocation({ lat: 0, lng: 0 })).toEqual({ lat: 0, lng: 0 });
    expect(ticketLocation({ lat: 50.94, lng: null })).toBeNull();
    expect(ticketLocation({ lat: null, lng: null })).toBeNull();
  });
});

describe('tickets arguments', () => {
  it('accepts a responsible organization id and a status', () => {
    expect(
      parseInput(ticketsArgs, { responsibleOrgId: PARTNER, status: 'OPEN', first: 5 }, ''),
    ).toEqual({
      responsibleOrgId: PARTNER,
      status: 'OPEN',
    });
  });

  it('names the argument of a malformed organization id', () => {
    expect(() => parseInput(ticketsArgs, { responsibleOrgId: 'partner' }, '')).toThrowError(
      expect.objectContaining({
        extensions: { code: 'BAD_USER_INPUT', field: 'responsibleOrgId' },
      }),
    );
  });
});

describe('the ticket state machine', () => {
  it('allows the issue’s steps, reopening a resolved ticket, and nothing after CLOSED', () => {
    expect(transition('OPEN', 'ASSIGNED')).toBe('OK');
    expect(transition('ASSIGNED', 'IN_PROGRESS')).toBe('OK');
    expect(transition('IN_PROGRESS', 'AWAITING_CUSTOMER')).toBe('OK');
    expect(transition('AWAITING_CUSTOMER', 'IN_PROGRESS')).toBe('OK');
    expect(transition('IN_PROGRESS', 'RESOLVED')).toBe('OK');
    expect(transition('RESOLVED', 'IN_PROGRESS')).toBe('OK');
    expect(transition('RESOLVED', 'CLOSED')).toBe('OK');
    expect(transition('OPEN', 'RESOLVED')).toBe('ILLEGAL');
    expect(transition('AWAITING_CUSTOMER', 'RESOLVED')).toBe('ILLEGAL');
    expect(transition('CLOSED', 'IN_PROGRESS')).toBe('ILLEGAL');
    expect(nextStatuses('CLOSED')).toMatch(/nowhere/);
  });

  it('calls a step to the status a ticket already has a conflict, not a mistake', () => {
    expect(transition('ASSIGNED', 'ASSIGNED')).toBe('SAME');
  });
});

describe('createTicket input', () => {
  const valid = {
    skuId: MAKER,
    region: 'US-CA',
    issueType: 'NO_COOLING',
    priority: 'P1',
    reportedByOrgId: DEALER,
  };
  it('names the field of each problem', () => {
    const field = (input: object) => {
      try {
        parseInput(createTicketInput, input);
        return null;
      } catch (e) {
        return (e as { extensions: { field: string } }).extensions.field;
      }
    };
    expect(field(valid)).toBeNull();
    expect(field({ ...valid, region: 'California' })).toBe('input.region');
    expect(field({ ...valid, priority: 'P9' })).toBe('input.priority');
    expect(field({ ...valid, location: { lat: 91, lng: 0 } })).toBe('input.location.lat');
    expect(field({ ...valid, skuId: 'sku-1' })).toBe('input.skuId');
  });
});
