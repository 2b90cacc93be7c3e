import { describe, expect, it } from 'vitest';
import { checkDefinition, pathOf } from './dsl.js';

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
const without = (patch: (d: typeof valid) => void) => {
  const d = structuredClone(valid);
  patch(d);
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
    [
      'an unknown metric',
      (d: typeof valid) => ((d.targets[1] as { metric: string }).metric = 'UPTIME'),
      'definition.targets[1].metric',
    ],
    [
      'a negative duration',
      (d: typeof valid) => ((d.targets[1] as { duration: string }).duration = 'PT-1H'),
      'definition.targets[1].duration',
    ],
    [
      'a zero duration',
      (d: typeof valid) => ((d.targets[0] as { duration: string }).duration = 'PT0H'),
      'definition.targets[0].duration',
    ],
    [
      'a time zone that does not exist',
      (d: typeof valid) => (d.calendar.timeZone = 'Europe/Atlantis'),
      'definition.calendar.timeZone',
    ],
    [
      '25:00 working hours',
      (d: typeof valid) => ((d.calendar.weeklyHours.MON[1] as { to: string }).to = '25:00'),
      'definition.calendar.weeklyHours.MON[1].to',
    ],
    [
      'a weekday that is not one',
      (d: typeof valid) => Object.assign(d.calendar.weeklyHours, { MONDAY: [] }),
      'definition.calendar.weeklyHours.MONDAY',
    ],
    [
      'a date that is not one',
      (d: typeof valid) => (d.calendar.holidays = ['2026-02-30']),
      'definition.calendar.holidays[0]',
    ],
    ['an unknown status', (d: typeof valid) => (d.pauseOn = ['WAITING']), 'definition.pauseOn[0]'],
    [
      'a missing duration',
      (d: typeof valid) => delete (d.targets[0] as { duration?: string }).duration,
      'definition.targets[0].duration',
    ],
    [
      'a repeated metric',
      (d: typeof valid) => ((d.targets[1] as { metric: string }).metric = 'FIRST_RESPONSE'),
      'definition.targets[1].metric',
    ],
    ['a warning share of 1', (d: typeof valid) => (d.warningAt = 1), 'definition.warningAt'],
  ])('refuses %s, naming its JSON path', (_, patch, path) => {
    const problem = without(patch);
    expect(problem?.path).toBe(path);
    expect(problem?.message.startsWith(path)).toBe(true);
  });
  it('refuses what is not an object', () => {
    expect(checkDefinition([])?.path).toBe('definition');
    expect(checkDefinition({})?.path).toBe('definition.targets');
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
