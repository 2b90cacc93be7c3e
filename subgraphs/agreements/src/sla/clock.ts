import { ALWAYS_OPEN, type Calendar, compileCalendar, type Span } from './calendar.js';
import { DEFAULT_WARNING_AT, durationMs, type Metric, type SlaDefinition } from './dsl.js';

/** Merges overlapping or touching spans, in order. */
function merged(spans: readonly Span[]): Span[] {
  const out: [number, number][] = [];
  for (const [a, b] of [...spans].sort((x, y) => x[0] - y[0])) {
    if (b <= a) continue;
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** The working spans from `from` on with the pauses cut out: the time a clock counts. */
export function* countedSpans(
  calendar: Calendar,
  from: number,
  pauses: readonly Span[] = [],
): Generator<Span> {
  const cut = merged(pauses);
  let p = 0;
  for (const [a, b] of calendar.spansFrom(from)) {
    let start = a;
    while (p < cut.length && (cut[p] as Span)[1] <= start) p++;
    for (let q = p; q < cut.length && (cut[q] as Span)[0] < b; q++) {
      const [pa, pb] = cut[q] as Span;
      if (pa > start) yield [start, pa];
      start = Math.max(start, pb);
      if (start >= b) break;
    }
    if (start < b) yield [start, b];
  }
}

/** The instant at which `target` ms of counted time have passed since `start`. */
export function addBusinessTime(
  calendar: Calendar,
  start: number,
  target: number,
  pauses: readonly Span[] = [],
): number {
  let left = target;
  for (const [a, b] of countedSpans(calendar, start, pauses)) {
    if (b - a >= left) return a + left;
    left -= b - a;
  }
  throw new Error('unreachable: spansFrom ends by throwing');
}

/** Counted time between `from` and `to` (pauses cut out). */
export function businessTimeBetween(
  calendar: Calendar,
  from: number,
  to: number,
  pauses: readonly Span[] = [],
): number {
  let total = 0;
  if (to <= from) return 0;
  for (const [a, b] of countedSpans(calendar, from, pauses)) {
    if (a >= to) break;
    total += Math.min(b, to) - a;
    if (b >= to) break;
  }
  return total;
}

/** One entry of a ticket's status history: the status it entered and when. */
export interface StatusChange {
  status: string;
  at: Date;
}

export type SlaState = 'RUNNING' | 'PAUSED' | 'MET' | 'BREACHED';

/** One metric's clock: due time, state and how it was counted (the explanation). */
export interface MetricClock {
  metric: Metric;
  /** the target, ISO 8601 (`PT4H`) */
  target: string;
  startedAt: Date;
  dueAt: Date;
  /** when `sla.warning` is due: `warningAt` of the target counted */
  warningAt: Date;
  /** when the metric's event happened (first response, resolution); null while it has not */
  achievedAt: Date | null;
  breached: boolean;
  state: SlaState;
  /** business time the pauses took out before the due time (what they moved it by) */
  pausedMs: number;
  /** the pauses (a running one ends now), in the order they happened */
  pauses: Span[];
  /** the working spans counted between start and due, pauses cut out */
  counted: Span[];
}

/** Whether entering `to` from `from` is the metric's event. */
function isEvent(metric: Metric, from: string | null, to: string): boolean {
  if (metric === 'FIRST_RESPONSE') return from === 'OPEN' && to !== 'OPEN';
  return to === 'RESOLVED' || to === 'CLOSED';
}

/** A definition ready to clock tickets: its calendar compiled once. */
export interface CompiledPolicy {
  definition: SlaDefinition;
  calendar: Calendar;
}

export const compilePolicy = (definition: SlaDefinition): CompiledPolicy => ({
  definition,
  calendar: definition.calendar ? compileCalendar(definition.calendar) : ALWAYS_OPEN,
});

/**
 * A metric's clock for a ticket, from its status history (oldest first, the first entry its
 * creation) at `now`. The clock starts at the creation, or at the latest reset the policy names;
 * it stops at the metric's event (first response: the first move out of OPEN; resolution:
 * RESOLVED or CLOSED); statuses in `pauseOn` before the event stop it, a pause still running
 * counts up to `now` (so a paused ticket's due time moves on as time passes). Due = start +
 * target in counted time. Breached: the event came after the due time, or has not come and
 * `now` is past it.
 */
export function clockMetric(
  policy: CompiledPolicy,
  metric: Metric,
  history: readonly StatusChange[],
  now: Date,
): MetricClock | null {
  const { definition, calendar } = policy;
  const target = definition.targets.find((t) => t.metric === metric);
  if (!target || history.length === 0) return null;
  const pauseOn = new Set(definition.pauseOn ?? []);
  const resets = (definition.resets ?? []).filter((r) => r.metric === metric);
  const changes = [...history].sort((a, b) => a.at.getTime() - b.at.getTime());
  const first = changes[0] as StatusChange;
  let start = first.at.getTime();
  let achieved: number | null = null;
  let pauses: [number, number][] = [];
  let pausedSince: number | null = pauseOn.has(first.status) ? start : null;
  let previous = first.status;
  for (const change of changes.slice(1)) {
    const at = change.at.getTime();
    const reset = resets.some(
      (r) => r.to === change.status && (r.from === undefined || r.from === previous),
    );
    if (reset) {
      start = at;
      achieved = null;
      pauses = [];
      pausedSince = pauseOn.has(change.status) ? at : null;
    } else if (achieved === null) {
      if (isEvent(metric, previous, change.status)) {
        if (pausedSince !== null) pauses.push([pausedSince, at]);
        pausedSince = null;
        achieved = at;
      } else if (pauseOn.has(change.status) && pausedSince === null) {
        pausedSince = at;
      } else if (!pauseOn.has(change.status) && pausedSince !== null) {
        pauses.push([pausedSince, at]);
        pausedSince = null;
      }
    }
    previous = change.status;
  }
  const running = achieved === null && pausedSince !== null;
  if (running) pauses.push([pausedSince as number, Math.max(now.getTime(), pausedSince as number)]);
  const targetMs = durationMs(target.duration);
  const due = addBusinessTime(calendar, start, targetMs, pauses);
  const share = definition.warningAt ?? DEFAULT_WARNING_AT;
  const warning = addBusinessTime(calendar, start, Math.round(targetMs * share), pauses);
  const breached = achieved !== null ? achieved > due : now.getTime() > due;
  const counted: Span[] = [];
  for (const span of countedSpans(calendar, start, pauses)) {
    if (span[0] >= due) break;
    counted.push([span[0], Math.min(span[1], due)]);
  }
  const state: SlaState = breached
    ? 'BREACHED'
    : achieved !== null
      ? 'MET'
      : running
        ? 'PAUSED'
        : 'RUNNING';
  return {
    metric,
    target: target.duration,
    startedAt: new Date(start),
    dueAt: new Date(due),
    warningAt: new Date(warning),
    achievedAt: achieved === null ? null : new Date(achieved),
    breached,
    state,
    pausedMs: businessTimeBetween(calendar, start, due) - targetMs,
    pauses,
    counted,
  };
}

/** Every target's clock of a policy for a ticket, in the policy's order. */
export const clockTicket = (
  policy: CompiledPolicy,
  history: readonly StatusChange[],
  now: Date,
): MetricClock[] =>
  policy.definition.targets.flatMap((t) => clockMetric(policy, t.metric, history, now) ?? []);

/** The ticket facts a policy's conditions select on. */
export interface TicketFacts {
  priority: string;
  issueType: string;
  region: string;
  productId: string | null;
}

/** Whether a policy's conditions select a ticket (an absent condition selects every ticket). */
export function matches(definition: SlaDefinition, ticket: TicketFacts): boolean {
  const c = definition.conditions ?? {};
  return (
    (!c.priorities || c.priorities.includes(ticket.priority)) &&
    (!c.issueTypes || c.issueTypes.includes(ticket.issueType)) &&
    (!c.regions || c.regions.includes(ticket.region)) &&
    (!c.productIds || (ticket.productId !== null && c.productIds.includes(ticket.productId)))
  );
}
