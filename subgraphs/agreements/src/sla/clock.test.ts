import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCalendar, HOLIDAY_LISTS } from './calendar.js';
import {
  addBusinessTime,
  businessTimeBetween,
  clockMetric,
  compilePolicy,
  matches,
  type StatusChange,
} from './clock.js';
import { type CalendarDefinition, longestTargetMs, type SlaDefinition } from './dsl.js';

const H = 3_600_000;
const nineToFive = { from: '09:00', to: '17:00' };
const BERLIN: CalendarDefinition = {
  timeZone: 'Europe/Berlin',
  weeklyHours: {
    MON: [nineToFive],
    TUE: [nineToFive],
    WED: [nineToFive],
    THU: [nineToFive],
    FRI: [nineToFive],
  },
};
const at = (iso: string) => new Date(iso);
const ms = (iso: string) => Date.parse(iso);
const policy = (def: Partial<SlaDefinition> = {}) =>
  compilePolicy({
    targets: [{ metric: 'FIRST_RESPONSE', duration: 'PT4H' }],
    calendar: BERLIN,
    ...def,
  });
const opened = (iso: string): StatusChange[] => [{ status: 'OPEN', at: at(iso) }];

describe('business time (the worked examples are in examples.ts)', () => {
  it('across an explicit holiday date', () => {
    const p = policy({ calendar: { ...BERLIN, holidays: ['2026-03-23'] } });
    const c = clockMetric(
      p,
      'FIRST_RESPONSE',
      opened('2026-03-20T15:00:00Z'),
      at('2026-03-20T15:00:00Z'),
    );
    expect(c?.dueAt.toISOString()).toBe('2026-03-24T11:00:00.000Z');
  });
  it('intervals crossing midnight count on both days', () => {
    const night = compileCalendar({
      timeZone: 'UTC',
      weeklyHours: { MON: [{ from: '22:00', to: '06:00' }] },
    });
    // Monday 2026-03-16 23:00 + 5 h: 23:00-06:00 Tuesday is 7 h of working time
    expect(new Date(addBusinessTime(night, ms('2026-03-16T23:00:00Z'), 5 * H)).toISOString()).toBe(
      '2026-03-17T04:00:00.000Z',
    );
    // a start on Tuesday 01:00 is inside Monday's night interval
    expect(new Date(addBusinessTime(night, ms('2026-03-17T01:00:00Z'), 2 * H)).toISOString()).toBe(
      '2026-03-17T03:00:00.000Z',
    );
  });
  it('the fall-back Sunday of a 00:00-24:00 calendar has 25 hours', () => {
    const sunday = compileCalendar({
      timeZone: 'Europe/Berlin',
      weeklyHours: { SUN: [{ from: '00:00', to: '24:00' }] },
    });
    expect(
      businessTimeBetween(sunday, ms('2026-10-24T00:00:00Z'), ms('2026-10-27T00:00:00Z')),
    ).toBe(25 * H);
    expect(
      businessTimeBetween(sunday, ms('2026-03-28T00:00:00Z'), ms('2026-03-31T00:00:00Z')),
    ).toBe(23 * H);
  });
  it('a start inside the skipped hour moves forward with it', () => {
    const early = compileCalendar({
      timeZone: 'Europe/Berlin',
      weeklyHours: { SUN: [{ from: '02:30', to: '04:00' }] },
    });
    // 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 is placed at 03:30 CEST (01:30Z)
    expect(businessTimeBetween(early, ms('2026-03-28T00:00:00Z'), ms('2026-03-30T00:00:00Z'))).toBe(
      H / 2,
    );
  });
});

describe('clockMetric', () => {
  const p = compilePolicy({
    targets: [
      { metric: 'FIRST_RESPONSE', duration: 'PT1H' },
      { metric: 'RESOLUTION', duration: 'PT8H' },
    ],
    pauseOn: ['AWAITING_CUSTOMER'],
    resets: [{ metric: 'RESOLUTION', from: 'RESOLVED', to: 'IN_PROGRESS' }],
  });
  const h = (status: string, hour: number) => ({
    status,
    at: new Date(Date.UTC(2026, 2, 16, hour)),
  });
  const now = (hour: number) => new Date(Date.UTC(2026, 2, 16, hour));

  it('first response: the first move out of OPEN, met or breached', () => {
    expect(
      clockMetric(p, 'FIRST_RESPONSE', [h('OPEN', 0), h('ASSIGNED', 1)], now(5)),
    ).toMatchObject({
      state: 'MET',
      breached: false,
      achievedAt: now(1),
    });
    expect(
      clockMetric(p, 'FIRST_RESPONSE', [h('OPEN', 0), h('ASSIGNED', 2)], now(5)),
    ).toMatchObject({
      state: 'BREACHED',
      breached: true,
    });
    expect(clockMetric(p, 'FIRST_RESPONSE', [h('OPEN', 0)], now(2))).toMatchObject({
      state: 'BREACHED',
    });
    expect(clockMetric(p, 'FIRST_RESPONSE', [h('OPEN', 0)], now(0))).toMatchObject({
      state: 'RUNNING',
    });
  });

  it('a running pause holds the clock until now and shows as PAUSED', () => {
    const history = [h('OPEN', 0), h('ASSIGNED', 1), h('AWAITING_CUSTOMER', 2)];
    const c = clockMetric(p, 'RESOLUTION', history, now(6));
    expect(c).toMatchObject({ state: 'PAUSED', breached: false, pausedMs: 4 * H });
    expect(c?.dueAt).toEqual(now(12));
    expect(c?.pauses).toEqual([[now(2).getTime(), now(6).getTime()]]);
  });

  it('a pause that begins after the due time does not save it', () => {
    const history = [h('OPEN', 0), h('ASSIGNED', 1), h('AWAITING_CUSTOMER', 10)];
    expect(clockMetric(p, 'RESOLUTION', history, now(12))).toMatchObject({ state: 'BREACHED' });
  });

  it('a reset restarts the clock at the transition', () => {
    const history = [h('OPEN', 0), h('IN_PROGRESS', 1), h('RESOLVED', 3), h('IN_PROGRESS', 5)];
    const c = clockMetric(p, 'RESOLUTION', history, now(6));
    expect(c).toMatchObject({ state: 'RUNNING', startedAt: now(5), achievedAt: null });
    expect(c?.dueAt).toEqual(now(13));
  });

  it('warns at 80% of the target by default', () => {
    expect(clockMetric(p, 'RESOLUTION', [h('OPEN', 0)], now(0))?.warningAt).toEqual(
      new Date(Date.UTC(2026, 2, 16, 6, 24)),
    );
  });
});

describe('matches', () => {
  const ticket = { priority: 'P1', issueType: 'LEAK', region: 'DE-NW', productId: null };
  it('selects on every condition given, and everything without conditions', () => {
    expect(matches({ targets: [] }, ticket)).toBe(true);
    expect(
      matches(
        { targets: [], conditions: { priorities: ['P1', 'P2'], regions: ['DE-NW'] } },
        ticket,
      ),
    ).toBe(true);
    expect(matches({ targets: [], conditions: { priorities: ['P2'] } }, ticket)).toBe(false);
    expect(matches({ targets: [], conditions: { issueTypes: ['NOISE'] } }, ticket)).toBe(false);
    expect(matches({ targets: [], conditions: { productIds: ['x'] } }, ticket)).toBe(false);
  });
});

describe('holiday lists', () => {
  it('DE: Easter-dependent holidays of 2026', () => {
    expect(HOLIDAY_LISTS.DE(2026)).toEqual([
      '2026-01-01',
      '2026-04-03',
      '2026-04-06',
      '2026-05-01',
      '2026-05-14',
      '2026-05-25',
      '2026-10-03',
      '2026-12-25',
      '2026-12-26',
    ]);
  });
});

describe('properties', () => {
  const zones = fc.constantFrom(
    'Europe/Berlin',
    'America/New_York',
    'Australia/Lord_Howe',
    'UTC',
    'Asia/Kolkata',
  );
  const time = fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
    .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
  const calendars = fc.record({
    timeZone: zones,
    weeklyHours: fc.record({
      MON: fc.array(fc.record({ from: time, to: time }), { minLength: 1, maxLength: 3 }),
      WED: fc.array(fc.record({ from: time, to: time }), { maxLength: 2 }),
      SAT: fc.array(fc.record({ from: time, to: time }), { maxLength: 2 }),
    }),
    holidays: fc.array(fc.constantFrom('2026-03-16', '2026-03-23', '2026-10-26'), { maxLength: 2 }),
  });
  const instant = fc.integer({ min: ms('2026-01-01T00:00:00Z'), max: ms('2026-12-31T00:00:00Z') });
  const target = fc.integer({ min: 1, max: 200 * H });
  const pauses = fc.array(
    fc.tuple(instant, fc.integer({ min: 0, max: 72 * H })).map(([a, d]) => [a, a + d] as const),
    { maxLength: 4 },
  );

  it('business time between start and due equals the target (pauses cut out)', () => {
    fc.assert(
      fc.property(calendars, instant, target, pauses, (def, start, t, ps) => {
        fc.pre(t <= longestTargetMs(def));
        const cal = compileCalendar(def);
        const due = addBusinessTime(cal, start, t, ps);
        expect(businessTimeBetween(cal, start, due, ps)).toBe(t);
      }),
      { numRuns: 200 },
    );
  });

  it('the due time is monotonic in the target', () => {
    fc.assert(
      fc.property(calendars, instant, target, target, (def, start, a, b) => {
        fc.pre(Math.max(a, b) <= longestTargetMs(def));
        const cal = compileCalendar(def);
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(addBusinessTime(cal, start, lo)).toBeLessThanOrEqual(
          addBusinessTime(cal, start, hi),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('pausing never makes a due time earlier', () => {
    fc.assert(
      fc.property(calendars, instant, target, pauses, (def, start, t, ps) => {
        fc.pre(t <= longestTargetMs(def));
        const cal = compileCalendar(def);
        expect(addBusinessTime(cal, start, t, ps)).toBeGreaterThanOrEqual(
          addBusinessTime(cal, start, t),
        );
      }),
      { numRuns: 200 },
    );
  });
});
