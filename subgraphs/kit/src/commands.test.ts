import { withTenancy } from '@trellis/prisma';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Caller } from './caller.js';
import { type CommandContext, commandOf, commandsFor } from './commands.js';
import { conflict } from './errors.js';
import { type RawTx, tenancyOf } from './tenant.js';

const ORG = '0190a000-0000-7000-8000-0000000000a1';

/**
 * A client whose one transaction records its statements and holds the idempotency table in
 * memory (enough for the protocol: claim, replay, answer).
 */
function fakeClient() {
  const statements: string[] = [];
  const records = new Map<string, { request_hash: string; response: unknown }>();
  const tx: RawTx = {
    async $executeRawUnsafe(sql: string, ...v: unknown[]) {
      statements.push(sql.trim().split(/\s+/).slice(0, 3).join(' '));
      const key = `${v[0]}/${v[1]}`;
      if (sql.includes('idempotency_record') && sql.startsWith('INSERT')) {
        if (records.has(key)) return 0;
        records.set(key, { request_hash: v[3] as string, response: null });
      } else if (sql.includes('idempotency_record')) {
        records.get(key)!.response = JSON.parse(v[2] as string);
      }
      return 1;
    },
    async $queryRawUnsafe<T>(_sql: string, ...v: unknown[]) {
      return [records.get(`${v[0]}/${v[1]}`)] as T;
    },
  };
  return {
    statements,
    prisma: { $transaction: <R>(fn: (t: RawTx) => Promise<R>) => fn(tx) },
  };
}

type Ctx = CommandContext<RawTx>;

function context(client: ReturnType<typeof fakeClient>, requestId = 'r1'): Ctx {
  const caller: Caller = { subject: 'tester', orgId: ORG, scopes: new Set() };
  // the rest of a request context is not read by a command
  return { caller, requestId, prisma: client.prisma } as Partial<Ctx> as Ctx;
}

const call = <Out>(
  resolver: (parent: unknown, args: unknown, ctx: Ctx) => Promise<Out>,
  args: unknown,
  ctx: Ctx,
) => withTenancy(tenancyOf(ctx.caller, ctx.requestId), () => resolver(undefined, args, ctx));

const defineCommand = commandsFor<Ctx, RawTx>('kit_test');

describe('commands', () => {
  const heard: string[] = [];
  const publish = defineCommand({
    name: 'publishThing',
    args: z.object({
      id: z.string().min(1),
      same: z.boolean(),
      idempotencyKey: z.string().nullish(),
    }),
    authorize: (_ctx, { id }) => ({ id, version: 1 }),
    async run(_tx, { same }, loaded) {
      if (same) return { result: loaded, unchanged: true };
      return {
        result: { ...loaded, version: 2 },
        audit: { action: 'thing.publish', objectType: 'Thing', objectId: loaded.id },
        events: [],
      };
    },
    key: (data) => data.idempotencyKey,
    onWritten: (_ctx, result) => heard.push(`written ${result.version}`),
    onError: (_ctx, error) =>
      heard.push(`error ${(error as { extensions?: { code?: string } }).extensions?.code}`),
  });

  it('is marked as a command under its name', () => {
    expect(commandOf(publish)).toBe('publishThing');
    expect(commandOf(() => null)).toBeUndefined();
  });

  it('audits a change and tells onWritten; an unchanged answer writes no audit row', async () => {
    heard.length = 0;
    const client = fakeClient();
    expect(await call(publish, { id: 'a', same: false }, context(client))).toEqual({
      id: 'a',
      version: 2,
    });
    expect(client.statements).toEqual(['INSERT INTO "kit_test"."audit_log"']);
    expect(heard).toEqual(['written 2']);
    client.statements.length = 0;
    expect(await call(publish, { id: 'a', same: true }, context(client))).toEqual({
      id: 'a',
      version: 1,
    });
    expect(client.statements).toEqual([]);
    expect(heard).toEqual(['written 2']);
  });

  it('replays an idempotent answer without telling onWritten again', async () => {
    heard.length = 0;
    const client = fakeClient();
    const args = { id: 'a', same: false, idempotencyKey: 'k1' };
    const first = await call(publish, args, context(client, 'r1'));
    expect(await call(publish, args, context(client, 'r2'))).toEqual(first);
    expect(heard).toEqual(['written 2']);
  });

  it('refuses bad arguments naming the field, writing nothing, and onError hears it', async () => {
    heard.length = 0;
    const client = fakeClient();
    await expect(call(publish, { id: '', same: false }, context(client))).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'id' },
    });
    expect(client.statements).toEqual([]);
    expect(heard).toEqual(['error BAD_USER_INPUT']);
  });

  it('answers what onDuplicate says for a unique violation, with what authorize loaded', async () => {
    const create = defineCommand({
      name: 'createThing',
      args: z.object({ code: z.string() }),
      authorize: async () => ({ owner: 'Acme' }),
      run: () => Promise.reject(Object.assign(new Error('duplicate'), { code: 'P2002' })),
      onDuplicate: async ({ code }, _ctx, { owner }) =>
        conflict(`${owner} already has ${code}`, { field: 'code' }),
    });
    await expect(call(create, { code: 'X' }, context(fakeClient()))).rejects.toMatchObject({
      message: 'Acme already has X',
      extensions: { code: 'CONFLICT', field: 'code' },
    });
  });
});
