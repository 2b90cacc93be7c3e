import { IANAZone } from 'luxon';
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

const WEEK_MS = 7 * DAY_MS;

/**
 * A time zone's UTC offsets (minutes) with few calls into luxon's IANA zone (Intl, slow): the
 * offset is read at weekly points and assumed constant between two equal readings (no zone
 * changes its offset twice within a week); where two readings differ, the change is found by
 * bisection to the millisecond. `toUtc` places a local wall-clock time the way luxon does: a time
 * inside a skipped hour moves forward with it, an ambiguous one takes the earlier offset.
 */
export function zoneClock(zoneName: string) {
  const zone = IANAZone.create(zoneName);
  const readings = new Map<number, number>();
  const read = (ts: number) => {
    let o = readings.get(ts);
    if (o === undefined) {
      o = zone.offset(ts);
      readings.set(ts, o);
    }
    return o;
  };
  /** per week: its offset, or the instant it changes with the offsets before and after */
  const weeks = new Map<number, { at: number; before: number; after: number }>();
  const offset = (ts: number): number => {
    const week = Math.floor(ts / WEEK_MS);
    let w = weeks.get(week);
    if (!w) {
      let lo = week * WEEK_MS;
      let hi = lo + WEEK_MS;
      const before = read(lo);
      const after = read(hi);
      if (before !== after) {
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (zone.offset(mid) === before) lo = mid;
          else hi = mid;
        }
      }
      w = { at: hi, before, after };
      weeks.set(week, w);
    }
    return ts < w.at ? w.before : w.after;
  };
  return {
    offset,
    /** the UTC instant of local `minutes` after midnight of civil day `day` (days since 1970-01-01) */
    toUtc(day: number, minutes: number): number {
      const local = day * DAY_MS + minutes * 60_000;
      const o = offset(local);
      let guess = local - o * 60_000;
      const o2 = offset(guess);
      if (o === o2) return guess;
      guess -= (o2 - o) * 60_000;
      const o3 = offset(guess);
      if (o2 === o3) return guess;
      return local - Math.min(o2, o3) * 60_000;
    },
  };
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * A calendar's working spans in UTC. An interval belongs to the local day it starts on (a
 * holiday drops the intervals starting on it) and ends on the next day when `to` is at or
 * before `from`. Local times are placed in the calendar's zone (`zoneClock`), so a day across a
 * DST change is 23 or 25 hours long; a start inside the skipped hour moves forward with it.
 * Each civil day's spans are computed once per calendar (a page of tickets shares them).
 */
export function compileCalendar(def: CalendarDefinition): Calendar {
  const clock = zoneClock(def.timeZone);
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
      for (const i of hours[weekday] ?? []) {
        const from = clock.toUtc(day, i.from);
        // `to` at or before `from` is on the next day; 24:00 is the next day's midnight
        const to = clock.toUtc(day, i.to > i.from ? i.to : i.to + 1440);
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
