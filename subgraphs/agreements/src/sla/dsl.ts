import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { DateTime, Duration, IANAZone } from 'luxon';

/** The checked-in JSON Schema of the SLA DSL (docs/sla-dsl.md). */
export const SLA_DSL_SCHEMA = JSON.parse(
  readFileSync(new URL('./sla-dsl.schema.json', import.meta.url), 'utf8'),
) as object;

export const METRICS = ['FIRST_RESPONSE', 'RESOLUTION'] as const;
export type Metric = (typeof METRICS)[number];
export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface WorkInterval {
  from: string;
  to: string;
}

export interface CalendarDefinition {
  timeZone: string;
  weeklyHours: Partial<Record<Weekday, WorkInterval[]>>;
  holidays?: string[];
  holidayList?: 'DE';
}

/** A policy definition that passed `checkDefinition` (the schema's shape, typed). */
export interface SlaDefinition {
  conditions?: {
    priorities?: string[];
    issueTypes?: string[];
    regions?: string[];
    productIds?: string[];
  };
  targets: { metric: Metric; duration: string }[];
  /** absent: 24/7 */
  calendar?: CalendarDefinition;
  pauseOn?: string[];
  resets?: { metric: Metric; from?: string; to: string }[];
  warningAt?: number;
}

/** The share of a target after which `sla.warning` is due, unless the policy says otherwise. */
export const DEFAULT_WARNING_AT = 0.8;

/** Milliseconds of an ISO 8601 time duration (`PT4H30M`). */
export const durationMs = (iso: string): number => Duration.fromISO(iso).toMillis();

const WEEK_MINUTES = 7 * 1440;
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Working time of an ordinary week (no holidays, no clock change) in milliseconds, overlapping
 * intervals counted once. An interval whose `to` is at or before its `from` runs past midnight,
 * as the clock engine reads it.
 */
export function weeklyWorkingMs(calendar: CalendarDefinition): number {
  const stretches: [number, number][] = [];
  for (const [d, day] of WEEKDAYS.entries()) {
    for (const i of calendar.weeklyHours[day] ?? []) {
      const from = d * 1440 + minutesOf(i.from);
      const to = d * 1440 + minutesOf(i.to) + (i.to > i.from ? 0 : 1440);
      // Sunday night runs into Monday morning
      if (to > WEEK_MINUTES) stretches.push([from, WEEK_MINUTES], [0, to - WEEK_MINUTES]);
      else stretches.push([from, to]);
    }
  }
  stretches.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = 0;
  for (const [from, to] of stretches) {
    if (to <= end) continue;
    total += to - Math.max(from, end);
    end = to;
  }
  return total * 60_000;
}

/**
 * The longest target a calendar accepts: a year of its ordinary weeks. Clocks look ten years
 * ahead, which leaves room for holidays and pauses; a longer target could never be due.
 */
export const longestTargetMs = (calendar: CalendarDefinition): number =>
  52 * weeklyWorkingMs(calendar);

const ajv = new Ajv2020({ allErrors: false, strict: true });
ajv.addFormat('iana-time-zone', { type: 'string', validate: (z) => IANAZone.isValidZone(z) });
ajv.addFormat('date', {
  type: 'string',
  validate: (d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && DateTime.fromISO(d).isValid,
});
ajv.addFormat('uuid', {
  type: 'string',
  validate: (u) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(u),
});
ajv.addFormat('positive-duration', {
  type: 'string',
  validate: (d) => Duration.fromISO(d).isValid && durationMs(d) > 0,
});
const validate = ajv.compile<SlaDefinition>(SLA_DSL_SCHEMA);

/** A JSON Pointer (`/targets/1/duration`) as the API names paths: `definition.targets[1].duration`. */
export function pathOf(root: string, pointer: string, extra?: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  return parts.reduce((path, p) => (/^\d+$/.test(p) ? `${path}[${p}]` : `${path}.${p}`), root);
}

export interface DefinitionProblem {
  /** the JSON path at fault, `definition.targets[1].duration` */
  path: string;
  message: string;
}

function problemOf(root: string, error: ErrorObject): DefinitionProblem {
  const params = error.params as { additionalProperty?: string; missingProperty?: string };
  const child = params.additionalProperty ?? params.missingProperty;
  const path = pathOf(root, error.instancePath, child);
  const messages: Record<string, string> = {
    'iana-time-zone': 'is not an IANA time zone (e.g. Europe/Berlin)',
    'positive-duration': 'must be a positive ISO 8601 duration of business time (e.g. PT4H)',
    date: 'must be a date YYYY-MM-DD',
  };
  const format = (error.params as { format?: string }).format;
  if (error.keyword === 'format' && format && messages[format]) {
    return { path, message: `${path} ${messages[format]}` };
  }
  if (error.keyword === 'pattern' && error.instancePath.endsWith('/duration')) {
    return { path, message: `${path} ${messages['positive-duration']}` };
  }
  if (error.keyword === 'additionalProperties')
    return { path, message: `${path} is not a field of the SLA DSL` };
  return { path, message: `${path} ${error.message ?? 'is invalid'}` };
}

/**
 * Checks an SLA definition against the JSON Schema, then what a schema cannot say (one target
 * per metric, each reachable in the calendar). The first problem names its JSON path under `root`; null when it is valid.
 */
export function checkDefinition(
  definition: unknown,
  root = 'definition',
): DefinitionProblem | null {
  if (!validate(definition)) return problemOf(root, (validate.errors ?? [])[0] as ErrorObject);
  const seen = new Set<string>();
  for (const [i, t] of definition.targets.entries()) {
    if (seen.has(t.metric)) {
      const path = `${root}.targets[${i}].metric`;
      return { path, message: `${path} repeats ${t.metric}: one target per metric` };
    }
    seen.add(t.metric);
    const longest = definition.calendar ? longestTargetMs(definition.calendar) : Infinity;
    if (durationMs(t.duration) > longest) {
      const path = `${root}.targets[${i}].duration`;
      const weekly = Duration.fromMillis(longest / 52)
        .shiftTo('hours', 'minutes')
        .toISO();
      return {
        path,
        message: `${path} needs more than a year of the calendar's working time (${weekly} a week)`,
      };
    }
  }
  return null;
}
