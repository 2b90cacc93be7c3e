import type { GraphQLError } from 'graphql';
import type { z } from 'zod';
import { type AuditEntry, writeAudit } from './audit.js';
import type { RequestContext } from './context.js';
import { isUniqueViolation } from './errors.js';
import { writeOnce } from './idempotency.js';
import { parseInput } from './input.js';
import { type DomainEvent, emitEvent } from './outbox.js';
import type { RawTx } from './tenant.js';

/** What a command's write did: its answer, the audit rows and the events of the change. */
export interface Changed<Out> {
  result: Out;
  /** every write is audited: at least one row */
  audit: AuditEntry | readonly [AuditEntry, ...AuditEntry[]];
  events?: readonly DomainEvent[];
  unchanged?: never;
}

/**
 * A command that found nothing to change (publishing a draft equal to its latest version):
 * no audit row, no event; its idempotency key still answers `result` when replayed.
 */
export interface Unchanged<Out> {
  result: Out;
  unchanged: true;
}

export type Written<Out> = Changed<Out> | Unchanged<Out>;

/**
 * What creating a row wrote: the row is the answer, audited as `audit.action` with its state
 * after, and the events of the change.
 */
export function created<Row extends { id: string | number }>(
  row: Row,
  audit: { action: string; objectType: string },
  events?: readonly DomainEvent[],
): Written<Row> {
  return { result: row, audit: { ...audit, objectId: String(row.id), after: row }, events };
}

interface TransactionalClient<Tx> {
  $transaction<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
}

/** The part of a subgraph's request context a command needs. */
export interface CommandContext<Tx extends RawTx> extends RequestContext {
  prisma: TransactionalClient<Tx>;
}

export interface CommandSpec<C, Tx, Data, Loaded, Out> {
  /** the mutation field: the idempotency record's operation and the command's name in metrics */
  name: string;
  /**
   * Validates the field's arguments as a whole, so a problem's path names the argument
   * (`input.name`, `channelId`): BAD_USER_INPUT, nothing written. A function of the context
   * when the arguments' defaults depend on the request (its instant).
   */
  args: z.ZodType<Data> | ((ctx: C) => z.ZodType<Data>);
  /**
   * Reads and decides whether the caller may do this, before any transaction: NOT_FOUND,
   * BAD_USER_INPUT or FORBIDDEN (the subgraph audits every refusal, `auditDeniedPlugin`).
   * What it loads is handed to `run`.
   */
  authorize?(ctx: C, data: Data): Promise<Loaded> | Loaded;
  /**
   * The write, in one tenant transaction after the idempotency claim; its audit rows and
   * events are written in the same transaction, so they exist exactly when the change does.
   */
  run(tx: Tx, data: Data, loaded: Loaded, ctx: C): Promise<Written<Out>>;
  /** the idempotency key the arguments carry (`input.idempotencyKey` by default); else the header */
  key?(data: Data): string | null | undefined;
  /** what a unique violation the checks could not see means (a race): else CONFLICT */
  onDuplicate?(data: Data, ctx: C, loaded: Loaded): GraphQLError | Promise<GraphQLError>;
  /**
   * After the transaction committed a change this request made (not a replay of an earlier
   * answer, not `Unchanged`): e.g. a success counter, or forgetting rows the request's
   * loaders hold from before the change.
   */
  onWritten?(ctx: C, result: Out, data: Data): void;
  /**
   * Sees every error the field answers, its guards' refusals (`@feature`, `@scope`, enforced
   * before the command runs) included: e.g. a domain failure counter.
   */
  onError?(ctx: C, error: unknown): void;
}

/** The marker of a resolver that is a command (the schema walk checks every Mutation has one). */
export const COMMAND = Symbol.for('trellis.command');

/** How a command hears of a refusal made before it ran (its field's guards). */
const REFUSED = Symbol.for('trellis.command.refused');

export type CommandResolver<C, Out> = ((parent: unknown, args: unknown, ctx: C) => Promise<Out>) & {
  readonly [COMMAND]: string;
  readonly [REFUSED]: (ctx: C, error: unknown) => void;
};

/** The name of the command a resolver is, or undefined when it is not one. */
export const commandOf = (resolver: unknown): string | undefined =>
  typeof resolver === 'function' ? (resolver as { [COMMAND]?: string })[COMMAND] : undefined;

/** Tells a command resolver (and nothing else) that its field's guards refused the request. */
export function reportRefusal(resolver: unknown, ctx: unknown, error: unknown): void {
  if (typeof resolver === 'function')
    (resolver as { [REFUSED]?: (ctx: unknown, error: unknown) => void })[REFUSED]?.(ctx, error);
}

const defaultKey = (data: unknown): string | null | undefined =>
  (data as { input?: { idempotencyKey?: string | null } } | null)?.input?.idempotencyKey;

/**
 * The one shape of a write: validate the arguments → authorize (refusals audited) → one
 * tenant transaction holding the idempotency claim, the write, its audit rows and its events.
 * A mutation's resolver is the command itself: `Mutation: { createProduct }`.
 *
 * Made once per slice for its schema (where its audit and idempotency tables live).
 */
export function commandsFor<C extends CommandContext<Tx>, Tx extends RawTx>(schema: string) {
  return function defineCommand<Data, Loaded = undefined, Out = unknown>(
    spec: CommandSpec<C, Tx, Data, Loaded, Out>,
  ): CommandResolver<C, Out> {
    const execute = async (args: unknown, ctx: C): Promise<Out> => {
      const argsSchema = typeof spec.args === 'function' ? spec.args(ctx) : spec.args;
      const data = parseInput(argsSchema, args, '');
      const loaded = (await spec.authorize?.(ctx, data)) as Loaded;
      const key = spec.key ? spec.key(data) : defaultKey(data);
      let changed = false;
      const result = await writeOnce(
        ctx.prisma,
        schema,
        ctx,
        { operation: spec.name, key, input: args },
        async (tx) => {
          const written = await spec.run(tx, data, loaded, ctx);
          if (written.unchanged) return written.result;
          const audits: readonly AuditEntry[] = Array.isArray(written.audit)
            ? written.audit
            : [written.audit as AuditEntry];
          for (const entry of audits) await writeAudit(tx, schema, ctx, entry);
          for (const event of written.events ?? []) await emitEvent(tx, ctx, event);
          changed = true;
          return written.result;
        },
      ).catch(async (error: unknown) => {
        if (spec.onDuplicate && isUniqueViolation(error))
          throw await spec.onDuplicate(data, ctx, loaded);
        throw error;
      });
      if (changed) spec.onWritten?.(ctx, result, data);
      return result;
    };
    const resolver = async (_parent: unknown, args: unknown, ctx: C) => {
      try {
        return await execute(args, ctx);
      } catch (error) {
        spec.onError?.(ctx, error);
        throw error;
      }
    };
    return Object.assign(resolver, {
      [COMMAND]: spec.name,
      [REFUSED]: (ctx: C, error: unknown) => spec.onError?.(ctx, error),
    });
  };
}
