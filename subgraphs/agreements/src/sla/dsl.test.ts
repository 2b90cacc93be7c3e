import { describe, expect, it } from 'vitest';
import { checkDefinition, pathOf, weeklyWorkingMs } from './dsl.js';

const valid = {
  conditions: { priorities: ['P1'] },
  targets: [
    { metric: 'FIRST_RESPONSE', duration: 'PT4H' },
    { metric: 'RESOLUTION', duration: 'PT16H' },
  ],
  calendar: {
    timeZone: 'Europe/Berlin',
    weeklyHours: {
      MON: [
        { from: '08:00', to: '12:00' },
        { from: '13:00', to: '18:00' },
      ],
    },
    holidays: ['2026-12-24'],
    holidayList: 'DE',
  },
  pauseOn: ['AWAITING_CUSTOMER'],
  resets: [{ metric: 'RESOLUTION', from: 'RESOLVED', to: 'IN_PROGRESS' }],
  warningAt: 0.75,
};
/** `valid` with the value at `path` replaced (undefined: removed), checked. */
const checkWith = (path: (string | number)[], value: unknown) => {
  const d = structuredClone(valid) as unknown as Record<string | number, unknown>;
  const parent = path
    .slice(0, -1)
    .reduce<Record<string | number, unknown>>(
      (o, k) => o[k] as Record<string | number, unknown>,
      d,
    );
  const last = path[path.length - 1] as string | number;
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return checkDefinition(d);
};

describe('checkDefinition', () => {
  it('accepts a full definition and a minimal 24/7 one', () => {
    expect(checkDefinition(valid)).toBeNull();
    expect(
      checkDefinition({ targets: [{ metric: 'RESOLUTION', duration: 'PT1H30M' }] }),
    ).toBeNull();
  });
  it.each([
    ['an unknown metric', ['targets', 1, 'metric'], 'UPTIME', 'definition.targets[1].metric'],
    ['a negative duration', ['targets', 1, 'duration'], 'PT-1H', 'definition.targets[1].duration'],
    ['a zero duration', ['targets', 0, 'duration'], 'PT0H', 'definition.targets[0].duration'],
    [
      'a time zone that does not exist',
      ['calendar', 'timeZone'],
      'Europe/Atlantis',
      'definition.calendar.timeZone',
    ],
    [
      '25:00 working hours',
      ['calendar', 'weeklyHours', 'MON', 1, 'to'],
      '25:00',
      'definition.calendar.weeklyHours.MON[1].to',
    ],
    [
      'a weekday that is not one',
      ['calendar', 'weeklyHours', 'MONDAY'],
      [],
      'definition.calendar.weeklyHours.MONDAY',
    ],
    [
      'a date that is not one',
      ['calendar', 'holidays', 0],
      '2026-02-30',
      'definition.calendar.holidays[0]',
    ],
    ['an unknown status', ['pauseOn', 0], 'WAITING', 'definition.pauseOn[0]'],
    ['a missing duration', ['targets', 0, 'duration'], undefined, 'definition.targets[0].duration'],
    [
      'a repeated metric',
      ['targets', 1, 'metric'],
      'FIRST_RESPONSE',
      'definition.targets[1].metric',
    ],
    ['a warning share of 1', ['warningAt'], 1, 'definition.warningAt'],
    // 9 h a week: a year of the calendar is 468 h
    [
      'a target beyond a year of working time',
      ['targets', 1, 'duration'],
      'PT468H1M',
      'definition.targets[1].duration',
    ],
  ] as [
    string,
    (string | number)[],
    unknown,
    string,
  ][])('refuses %s, naming its JSON path', (_, at, value, path) => {
    const problem = checkWith(at, value);
    expect(problem?.path).toBe(path);
    expect(problem?.message.startsWith(path)).toBe(true);
  });
  it('refuses what is not an object', () => {
    expect(checkDefinition([])?.path).toBe('definition');
    expect(checkDefinition({})?.path).toBe('definition.targets');
  });
});

describe('weeklyWorkingMs', () => {
  const H = 3_600_000;
  it('counts overlapping intervals once and runs intervals past midnight, Sunday into Monday', () => {
    expect(
      weeklyWorkingMs({
        timeZone: 'UTC',
        weeklyHours: {
          MON: [
            { from: '08:00', to: '12:00' },
            { from: '10:00', to: '14:00' },
          ],
          SUN: [{ from: '22:00', to: '02:00' }],
          // `to` equal to `from`: the whole day
          TUE: [{ from: '09:00', to: '09:00' }],
        },
      }),
    ).toBe(6 * H + 4 * H + 24 * H);
    expect(
      weeklyWorkingMs({
        timeZone: 'UTC',
        weeklyHours: {
          SUN: [{ from: '23:00', to: '03:00' }],
          MON: [{ from: '01:00', to: '04:00' }],
        },
      }),
    ).toBe(5 * H);
    expect(checkWith(['targets', 1, 'duration'], 'PT468H')).toBeNull();
  });
});

describe('pathOf', () => {
  it('turns a JSON pointer into the API’s path', () => {
    expect(pathOf('input.definition', '/targets/1/duration')).toBe(
      'input.definition.targets[1].duration',
    );
    expect(pathOf('definition', '', 'x')).toBe('definition.x');
  });
});
