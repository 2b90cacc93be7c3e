import { ContextSlot, type Database } from '@trellis/prisma';
import { GraphQLError } from 'graphql';
import type { Metrics } from './metrics.js';

/**
 * How long the gateway still waits for this answer, in milliseconds (relative, so the clocks of
 * the gateway and a subgraph need not agree). Sent on every subgraph fetch.
 */
export const DEADLINE_HEADER = 'x-trellis-deadline-ms';

const deadlines = new ContextSlot<number>();

/** `ms` from the header: a non-negative integer, else no deadline. */
export const deadlineOf = (header: string | undefined): number | undefined =>
  header !== undefined && /^\d{1,9}$/.test(header) ? Date.now() + Number(header) : undefined;

/** Runs `run` with `deadline` (an epoch millisecond) in force for its statements. */
export const withDeadline = <T>(deadline: number | undefined, run: () => Promise<T>): Promise<T> =>
  deadline === undefined ? run() : deadlines.run(deadline, run);

/** Refused statements: the caller gave up, so no SQL is sent on its behalf. */
export class DeadlineExceeded extends GraphQLError {
  constructor() {
    super('the caller no longer waits for this answer', {
      extensions: { code: 'DEADLINE_EXCEEDED' },
    });
  }
}

/** Throws `DeadlineExceeded` when the deadline of the current request has passed. */
export function checkDeadline(): void {
  const deadline = deadlines.getStore();
  if (deadline !== undefined && Date.now() >= deadline) throw new DeadlineExceeded();
}

/**
 * What a process watches on every statement it sends: the count by slice and kind (metrics),
 * and the request's deadline, checked before each of its code's statements (a subgraph stops
 * reading for a gateway that timed out).
 */
export function observeStatements(db: Database, metrics: Metrics): void {
  db.onStatement(
    (slice, kind) => {
      // refused before it is counted: a statement refused is not sent
      if (kind === 'query') checkDeadline();
      metrics.dbStatements.inc({ subgraph: slice, kind });
    },
    ['query', 'control'],
  );
}
