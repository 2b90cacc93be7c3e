import { DateTime } from 'luxon';
import { type CalendarDefinition, WEEKDAYS } from './dsl.js';

/** A stretch of time in UTC milliseconds, [from, to). */
export type Span = readonly [from: number, to: number];

const DAY_MS = 86_400_000;
/** How far a clock looks ahead for working time before it gives up (a calendar that never opens). */
const HORIZON_DAYS = 3_660;

/** Easter Sunday (Gregorian, anonymous algorithm) as [month, day]. */
function easter(year: number): [number, number] {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  return [month, ((h + l - 7 * m + 114) % 31) + 1];
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The named holiday lists: Germany's nationwide public holidays. */
export const HOLIDAY_LISTS = {
  DE(year: number): string[] {
    const [m, d] = easter(year);
    const sunday = Date.UTC(year, m - 1, d);
    return [
      `${year}-01-01`,
      iso(sunday - 2 * DAY_MS), // Good Friday
      iso(sunday + DAY_MS), // Easter Monday
      `${year}-05-01`,
      iso(sunday + 39 * DAY_MS), // Ascension
      iso(sunday + 50 * DAY_MS), // Whit Monday
      `${year}-10-03`,
      `${year}-12-25`,
      `${year}-12-26`,
    ];
  },
} as const;

/** Working time as a sequence of spans; 24/7 when the policy names no calendar. */
export interface Calendar {
  /** the working spans that end after `from`, in order, merged, the first clipped to `from` */
  spansFrom(from: number): Iterable<Span>;
}

export const ALWAYS_OPEN: Calendar = {
  *spansFrom(from) {
    yield [from, Number.POSITIVE_INFINITY];
  },
};

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * A calendar's working spans in UTC. An interval belongs to the local day it starts on (a
 * holiday drops the intervals starting on it) and ends on the next day when `to` is at or
 * before `from`. Local times are placed with luxon in the calendar's zone, so a day across a
 * DST change is 23 or 25 hours long; a start inside the skipped hour moves forward with it.
 * Each civil day's spans are computed once per calendar (a page of tickets shares them).
 */
export function compileCalendar(def: CalendarDefinition): Calendar {
  const zone = def.timeZone;
  const holidays = new Set(def.holidays ?? []);
  const listYears = new Set<number>();
  const isHoliday = (date: string, year: number) => {
    if (def.holidayList && !listYears.has(year)) {
      listYears.add(year);
      for (const h of HOLIDAY_LISTS[def.holidayList](year)) holidays.add(h);
    }
    return holidays.has(date);
  };
  const hours = WEEKDAYS.map((d) =>
    [...(def.weeklyHours[d] ?? [])]
      .map((i) => ({ from: minutes(i.from), to: minutes(i.to) }))
      .sort((a, b) => a.from - b.from),
  );
  const days = new Map<number, Span[]>();

  /** the spans starting on civil day `day` (days since 1970-01-01) */
  const spansOf = (day: number): Span[] => {
    const cached = days.get(day);
    if (cached) return cached;
    const civil = new Date(day * DAY_MS);
    const year = civil.getUTCFullYear();
    const date = iso(day * DAY_MS);
    const weekday = (civil.getUTCDay() + 6) % 7; // 0 = Monday
    const spans: Span[] = [];
    if (!isHoliday(date, year)) {
      const midnight = DateTime.fromObject(
        { year, month: civil.getUTCMonth() + 1, day: civil.getUTCDate() },
        { zone },
      );
      // wall-clock placement: "09:00" is 09:00 local on a 23- or 25-hour day too
      const at = (mins: number, plusDays: number) =>
        midnight
          .plus({ days: plusDays + Math.floor(mins / 1440) })
          .set({ hour: Math.floor(mins / 60) % 24, minute: mins % 60 })
          .toMillis();
      for (const i of hours[weekday] ?? []) {
        const from = at(i.from, 0);
        const to = at(i.to, i.to > i.from ? 0 : 1);
        if (to > from) spans.push([from, to]);
      }
    }
    days.set(day, spans);
    return spans;
  };

  return {
    *spansFrom(from) {
      // an interval of the previous local day may run past midnight into `from`
      const first = Math.floor(from / DAY_MS) - 2;
      let pending: [number, number] | null = null;
      for (let day = first; day < first + HORIZON_DAYS; day++) {
        for (const [a, b] of spansOf(day)) {
          if (b <= from) continue;
          const start = Math.max(a, from);
          if (pending && start <= pending[1]) {
            pending[1] = Math.max(pending[1], b);
            continue;
          }
          if (pending) yield pending;
          pending = [start, b];
        }
      }
      if (pending) yield pending;
      throw new Error(`the calendar has no working time within ${HORIZON_DAYS} days`);
    },
  };
}
