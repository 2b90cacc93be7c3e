import { withTenancy } from '@trellis/prisma';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commandOf, commandsFor } from './commands.js';
import type { RequestContext } from './context.js';
import { conflict, forbidden } from './errors.js';
import { mutationsWithoutCommand } from './schema.js';
import { type RawTx, tenancyOf } from './tenant.js';
import { fakeDatabase } from './testing.js';

type Db = ReturnType<typeof fakeDatabase>;
interface TestContext extends RequestContext {
  prisma: Db;
  now: Date;
}

const ORG = '0190a000-0000-7000-8000-0000000000a1';
const defineCommand = commandsFor<TestContext, RawTx>('s');

function contextOf(db: Db, idempotencyKeyHeader?: string): TestContext {
  return {
    caller: { subject: 'alice', orgId: ORG, scopes: new Set(['catalog:write']) },
    requestId: 'request-1',
    now: new Date('2030-01-01T00:00:00Z'),
    idempotencyKeyHeader,
    prisma: db,
  } as Partial<TestContext> as TestContext;
}

/** Runs a command as its HTTP service would: inside the caller's tenancy. */
const call = <Out>(
  command: (parent: unknown, args: unknown, ctx: TestContext) => Promise<Out>,
  args: unknown,
  ctx: TestContext,
) => withTenancy(tenancyOf(ctx.caller, ctx.requestId), () => command(null, args, ctx));

/** A command that inserts a thing (`"s"."thing"`), its audit row and an event. */
function thingCommand(
  seen: { authorized: number; runs: number; errors: unknown[] },
  over: Partial<Parameters<typeof defineCommand>[0]> = {},
) {
  return defineCommand({
    name: 'createThing',
    args: z.object({
      input: z.object({
        name: z.string().min(1, 'name must not be empty'),
        idempotencyKey: z.string().nullish(),
      }),
    }),
    authorize(_ctx, { input }) {
      seen.authorized++;
      if (input.name === 'forbidden') throw forbidden('not yours');
      return input.name.toUpperCase();
    },
    async run(tx, { input }, loaded) {
      seen.runs++;
      const id = `thing-${seen.runs}`;
      await tx.$executeRawUnsafe('INSERT INTO "s"."thing" (id, name) VALUES ($1, $2)', id, loaded);
      return {
        result: { id, name: input.name },
        audit: { action: 'thing.create', objectType: 'Thing', objectId: id, after: { id } },
        events: [
          {
            type: 'thing.created',
            aggregateType: 'Thing',
            aggregateId: id,
            orgId: ORG,
            payload: {},
          },
        ],
      };
    },
    onError: (_ctx, error) => seen.errors.push(error),
    ...over,
  } as Parameters<typeof defineCommand>[0]);
}

const fresh = () => ({ authorized: 0, runs: 0, errors: [] as unknown[] });

describe('defineCommand', () => {
  it('refuses invalid arguments before anything else: no authorize, no transaction', async () => {
    const db = fakeDatabase();
    const seen = fresh();
    const refused = call(thingCommand(seen), { input: { name: '' } }, contextOf(db));
    await expect(refused).rejects.toMatchObject({
      message: 'input.name: name must not be empty',
      extensions: { code: 'BAD_USER_INPUT', field: 'input.name' },
    });
    expect([seen.authorized, seen.runs, db.transactions()]).toEqual([0, 0, 0]);
    expect(seen.errors).toHaveLength(1);
  });

  it('writes nothing when authorize refuses', async () => {
    const db = fakeDatabase();
    const seen = fresh();
    const refused = call(thingCommand(seen), { input: { name: 'forbidden' } }, contextOf(db));
    await expect(refused).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect([seen.authorized, seen.runs, db.transactions()]).toEqual([1, 0, 0]);
  });

  it('writes the change, its audit rows and its events in one transaction', async () => {
    const db = fakeDatabase();
    const seen = fresh();
    const result = await call(thingCommand(seen), { input: { name: 'a' } }, contextOf(db));
    expect(result).toEqual({ id: 'thing-1', name: 'a' });
    expect(db.transactions()).toBe(1);
    // what authorize loaded is handed to run
    expect(db.rows('thing')).toEqual([['thing-1', 'A']]);
    const [audit] = db.rows('audit_log');
    // actor, organization, request id, action, object type and id, result, after
    expect(audit?.slice(1, 8)).toEqual([
      'alice',
      ORG,
      'request-1',
      'thing.create',
      'Thing',
      'thing-1',
      'OK',
    ]);
    expect(db.rows('outbox_event')).toEqual([
      [expect.any(String), 'thing.created', 'Thing', 'thing-1', ORG, 'request-1', '{}'],
    ]);
  });

  it('leaves nothing behind when a write of the transaction fails, audit and events included', async () => {
    const db = fakeDatabase({ failOn: 'outbox_event' });
    await expect(
      call(thingCommand(fresh()), { input: { name: 'a' } }, contextOf(db)),
    ).rejects.toThrow('outbox_event');
    expect([db.rows('thing'), db.rows('audit_log'), db.rows('outbox_event')]).toEqual([[], [], []]);
  });

  it('writes one audit row per entry', async () => {
    const db = fakeDatabase();
    const twice = defineCommand({
      name: 'twice',
      args: z.object({}),
      run: async () => ({
        result: true,
        audit: [
          { action: 'thing.first', objectType: 'Thing' },
          { action: 'thing.second', objectType: 'Thing' },
        ],
      }),
    });
    await call(twice, {}, contextOf(db));
    expect(db.rows('audit_log').map((row) => row[4])).toEqual(['thing.first', 'thing.second']);
    expect(db.rows('outbox_event')).toEqual([]);
  });

  it('answers a replay with the first result, and other input under the same key is a conflict', async () => {
    const db = fakeDatabase();
    const seen = fresh();
    const command = thingCommand(seen);
    const args = { input: { name: 'a', idempotencyKey: 'k1' } };
    const first = await call(command, args, contextOf(db));
    const replay = await call(command, args, contextOf(db));
    expect(replay).toEqual(first);
    expect(seen.runs).toBe(1);
    expect(db.rows('thing')).toHaveLength(1);
    expect(db.rows('audit_log')).toHaveLength(1);
    await expect(
      call(command, { input: { name: 'b', idempotencyKey: 'k1' } }, contextOf(db)),
    ).rejects.toMatchObject({ extensions: { code: 'IDEMPOTENCY_CONFLICT' } });
    expect(db.rows('thing')).toHaveLength(1);
  });

  it('takes the key from the Idempotency-Key header when the arguments carry none, or from `key`', async () => {
    const db = fakeDatabase();
    const seen = fresh();
    const command = thingCommand(seen);
    await call(command, { input: { name: 'a' } }, contextOf(db, 'h1'));
    await call(command, { input: { name: 'a' } }, contextOf(db, 'h1'));
    expect(seen.runs).toBe(1);
    const keyed = thingCommand(seen, { key: () => 'fixed' });
    await call(keyed, { input: { name: 'b' } }, contextOf(db));
    await call(keyed, { input: { name: 'b' } }, contextOf(db));
    expect(seen.runs).toBe(2);
  });

  it('maps a unique violation of the write with onDuplicate, and leaves other errors alone', async () => {
    const seen = fresh();
    const duplicate = Object.assign(new Error('unique'), { code: 'P2002' });
    const failing = (error: Error, over = {}) =>
      thingCommand(seen, {
        run: async () => {
          throw error;
        },
        ...over,
      });
    const onDuplicate = ({ input }: { input: { name: string } }) =>
      conflict(`a thing named "${input.name}" exists`, { field: 'input.name' });
    await expect(
      call(
        failing(duplicate, { onDuplicate }),
        { input: { name: 'a' } },
        contextOf(fakeDatabase()),
      ),
    ).rejects.toMatchObject({
      message: 'a thing named "a" exists',
      extensions: { code: 'CONFLICT', field: 'input.name' },
    });
    // onError sees the error the command answers
    expect(seen.errors).toEqual([expect.objectContaining({ message: 'a thing named "a" exists' })]);
    const other = new Error('connection lost');
    await expect(
      call(failing(other, { onDuplicate }), { input: { name: 'a' } }, contextOf(fakeDatabase())),
    ).rejects.toBe(other);
    await expect(
      call(failing(duplicate), { input: { name: 'a' } }, contextOf(fakeDatabase())),
    ).rejects.toBe(duplicate);
  });

  it('tells onWritten of a committed change only: not of an unchanged answer, not of a replay', async () => {
    const written: string[] = [];
    const rename = defineCommand({
      name: 'renameThing',
      args: z.object({
        input: z.object({ name: z.string(), idempotencyKey: z.string().nullish() }),
      }),
      async run(_tx, { input }) {
        if (input.name === 'same') return { result: input.name, unchanged: true };
        return { result: input.name, audit: { action: 'thing.rename', objectType: 'Thing' } };
      },
      onWritten: (_ctx, result) => written.push(result),
    });
    const db = fakeDatabase();
    expect(await call(rename, { input: { name: 'same' } }, contextOf(db))).toBe('same');
    expect([db.rows('audit_log'), written]).toEqual([[], []]);
    const keyed = { input: { name: 'b', idempotencyKey: 'k' } };
    expect(await call(rename, keyed, contextOf(db))).toBe('b');
    expect(await call(rename, keyed, contextOf(db))).toBe('b');
    expect([db.rows('audit_log').length, written]).toEqual([1, ['b']]);
  });

  it('validates with a schema made from the context when args is a function', async () => {
    const dated = defineCommand({
      name: 'dated',
      args: (ctx) => z.object({ at: z.date().default(ctx.now) }),
      run: async (_tx, { at }) => ({ result: at, audit: { action: 'dated', objectType: 'X' } }),
    });
    const ctx = contextOf(fakeDatabase());
    expect(await call(dated, {}, ctx)).toEqual(ctx.now);
  });
});

describe('commandOf and mutationsWithoutCommand', () => {
  const command = defineCommand({
    name: 'createThing',
    args: z.object({}),
    run: async () => ({ result: 1, audit: { action: 'a', objectType: 'X' } }),
  });
  const plain = async () => 1;

  it('name the command a resolver is, and nothing else', () => {
    expect(commandOf(command)).toBe('createThing');
    expect(commandOf(plain)).toBeUndefined();
    expect(commandOf(undefined)).toBeUndefined();
  });

  it('find every Mutation field, of the type or its extensions, that is not a command', () => {
    const typeDefs = parse(`
      type Mutation { createThing: Int }
      extend type Mutation { changeThing: Int dropThing: Int }
      type Query { thing: Int }
    `);
    expect(
      mutationsWithoutCommand(typeDefs, {
        Mutation: { createThing: command, changeThing: plain },
        Query: { thing: plain },
      }),
    ).toEqual(['changeThing', 'dropThing']);
    expect(mutationsWithoutCommand(parse('type Query { a: Int }'), {})).toEqual([]);
  });
});
