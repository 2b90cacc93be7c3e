/**
 * The worked examples of docs/sla-dsl.md: each is a policy, a ticket's status history and the
 * due time the clock engine must answer. `examples.test.ts` runs them; `docs.ts` renders them
 * into the document, so the two cannot disagree.
 */
import type { Metric, SlaDefinition } from './dsl.js';

const nineToFive = [{ from: '09:00', to: '17:00' }];
/** Monday to Friday, 09:00-17:00 Europe/Berlin. */
export const BERLIN_OFFICE = {
  timeZone: 'Europe/Berlin',
  weeklyHours: {
    MON: nineToFive,
    TUE: nineToFive,
    WED: nineToFive,
    THU: nineToFive,
    FRI: nineToFive,
  },
};

export interface SlaExample {
  title: string;
  definition: SlaDefinition;
  metric: Metric;
  /** [status, ISO instant] oldest first; the first is the ticket's creation */
  history: [string, string][];
  now: string;
  /** what the engine answers */
  dueAt: string;
  state: 'RUNNING' | 'PAUSED' | 'MET' | 'BREACHED';
  pausedHours?: number;
  why: string;
}

const p1FirstResponse = (extra: Partial<SlaDefinition> = {}): SlaDefinition => ({
  conditions: { priorities: ['P1'] },
  targets: [{ metric: 'FIRST_RESPONSE', duration: 'PT4H' }],
  calendar: BERLIN_OFFICE,
  ...extra,
});

export const SLA_EXAMPLES: SlaExample[] = [
  {
    title: 'Friday afternoon, four business hours',
    definition: p1FirstResponse(),
    metric: 'FIRST_RESPONSE',
    history: [['OPEN', '2026-03-20T15:00:00Z']],
    now: '2026-03-20T15:00:00Z',
    dueAt: '2026-03-23T11:00:00.000Z',
    state: 'RUNNING',
    why: 'Opened Friday 16:00 CET: one hour on Friday, three on Monday from 09:00: due Monday 12:00 CET.',
  },
  {
    title: 'Across the spring-forward weekend',
    definition: p1FirstResponse(),
    metric: 'FIRST_RESPONSE',
    history: [['OPEN', '2026-03-27T15:00:00Z']],
    now: '2026-03-27T15:00:00Z',
    dueAt: '2026-03-30T10:00:00.000Z',
    state: 'RUNNING',
    why: 'Clocks go forward on Sunday 29 March; working hours are local time: due Monday 12:00 CEST (10:00 UTC).',
  },
  {
    title: 'Across a holiday (Easter, holidayList DE)',
    definition: p1FirstResponse({ calendar: { ...BERLIN_OFFICE, holidayList: 'DE' } }),
    metric: 'FIRST_RESPONSE',
    history: [['OPEN', '2026-04-02T14:00:00Z']],
    now: '2026-04-02T14:00:00Z',
    dueAt: '2026-04-07T10:00:00.000Z',
    state: 'RUNNING',
    why: 'Opened Thursday 16:00 CEST; Good Friday and Easter Monday are holidays: one hour Thursday, three on Tuesday: due Tuesday 12:00 CEST.',
  },
  {
    title: 'A pause of two business hours',
    definition: {
      targets: [{ metric: 'RESOLUTION', duration: 'PT4H' }],
      calendar: BERLIN_OFFICE,
      pauseOn: ['AWAITING_CUSTOMER'],
    },
    metric: 'RESOLUTION',
    history: [
      ['OPEN', '2026-03-16T08:00:00Z'],
      ['ASSIGNED', '2026-03-16T08:30:00Z'],
      ['IN_PROGRESS', '2026-03-16T08:45:00Z'],
      ['AWAITING_CUSTOMER', '2026-03-16T09:00:00Z'],
      ['IN_PROGRESS', '2026-03-16T11:00:00Z'],
    ],
    now: '2026-03-16T12:00:00Z',
    dueAt: '2026-03-16T14:00:00.000Z',
    state: 'RUNNING',
    pausedHours: 2,
    why: 'Opened Monday 09:00 CET, due 13:00 without the pause; waiting for the customer 10:00-12:00 moves it to 15:00 CET.',
  },
  {
    title: 'A 24/7 policy ignores calendars',
    definition: {
      conditions: { priorities: ['P1'] },
      targets: [{ metric: 'FIRST_RESPONSE', duration: 'PT4H' }],
    },
    metric: 'FIRST_RESPONSE',
    history: [['OPEN', '2026-03-20T15:00:00Z']],
    now: '2026-03-20T15:00:00Z',
    dueAt: '2026-03-20T19:00:00.000Z',
    state: 'RUNNING',
    why: 'No calendar: every instant counts, Friday 16:00 + 4 h is Friday 20:00 CET.',
  },
  {
    title: 'Met, then breached',
    definition: p1FirstResponse(),
    metric: 'FIRST_RESPONSE',
    history: [
      ['OPEN', '2026-03-20T15:00:00Z'],
      ['ASSIGNED', '2026-03-23T12:30:00Z'],
    ],
    now: '2026-03-24T12:00:00Z',
    dueAt: '2026-03-23T11:00:00.000Z',
    state: 'BREACHED',
    why: 'The first move out of OPEN came Monday 13:30 CET, after the 12:00 due time: breached (before 12:00 it would be MET).',
  },
];
