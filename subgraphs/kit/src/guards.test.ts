import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { EvaluationContext } from '@openfeature/server-sdk';
import { withTenancy } from '@trellis/prisma';
import { type GraphQLError, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Caller } from './caller.js';
import { type CommandContext, commandsFor } from './commands.js';
import { type FlagSettings, Flags, SettingsFlagProvider } from './flags.js';
import { GUARDS_SDL_PATH, guardsOf } from './guards.js';
import { buildFeatureSchema } from './schema.js';
import { type RawTx, tenancyOf } from './tenant.js';
import { fakeDatabase } from './testing.js';

// the CommonJS build of graphql, the one @apollo/subgraph builds schemas with
const { graphql } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

const ORG = '0199a0c2-0000-7000-8000-00000000a001';

const sdl = (body: string) =>
  parse(
    `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
    ${body}
    ${readFileSync(GUARDS_SDL_PATH, 'utf8')}`,
  );

const typeDefs = sdl(`
  type Widget @key(fields: "id") @feature(flag: "ENABLE_CHANNELS") {
    id: ID!
    name: String!
    price: String @feature(flag: "ENABLE_PRICE_BOOKS")
  }
  type Query {
    widgets: [Widget!]! @feature(flag: "ENABLE_CHANNELS")
    open: String
  }
  type Mutation {
    makeWidget: Widget! @feature(flag: "ENABLE_CHANNELS") @scope(name: "catalog:write")
    adminOnly: Widget! @scope(name: "catalog:write") @scope(name: "admin")
    publishWidget: Widget! @feature(flag: "ENABLE_CHANNELS") @scope(name: "catalog:publish")
    eitherWidget: Widget! @scope(name: "legacy:write", or: ["org:write"])
  }
`);

const widget = (id: number) => ({ id: String(id), name: `w${id}`, price: '1.00' });
const resolved: string[] = [];
/** the refusals the publishWidget command heard of */
const refusals: string[] = [];
const defineCommand = commandsFor<CommandContext<RawTx>, RawTx>('kit_test');
const makeWidget = defineCommand({
  name: 'makeWidget',
  args: z.object({}),
  async run() {
    resolved.push('makeWidget');
    return { result: widget(1), audit: { action: 'widget.make', objectType: 'Widget' } };
  },
});
const adminOnly = defineCommand({
  name: 'adminOnly',
  args: z.object({}),
  run: async () => ({ result: widget(2), audit: { action: 'widget.admin', objectType: 'Widget' } }),
});
const eitherWidget = defineCommand({
  name: 'eitherWidget',
  args: z.object({}),
  run: async () => ({
    result: widget(3),
    audit: { action: 'widget.either', objectType: 'Widget' },
  }),
});
const publishWidget = defineCommand({
  name: 'publishWidget',
  args: z.object({}),
  run: () => Promise.reject(new Error('a refused command never runs')),
  onError: (_ctx, error) => refusals.push(String((error as GraphQLError).extensions.code)),
});
const schema = buildFeatureSchema(typeDefs, [
  {
    Query: {
      widgets: () => Array.from({ length: 100 }, (_, i) => widget(i)),
      open: () => 'open',
    },
    Mutation: {
      makeWidget,
      adminOnly,
      publishWidget,
      eitherWidget,
    },
    Widget: { __resolveReference: (ref: { id: string }) => widget(Number(ref.id)) },
  },
]);

/** Flags over settings, counting the evaluations the provider makes. */
function countedFlags(settings: FlagSettings) {
  const provider = new SettingsFlagProvider(settings);
  const evaluations: string[] = [];
  const evaluate = provider.resolveBooleanEvaluation.bind(provider);
  provider.resolveBooleanEvaluation = (key: string, d: boolean, c: EvaluationContext) => {
    evaluations.push(`${key} ${c.targetingKey ?? ''}`);
    return evaluate(key, d, c);
  };
  return { flags: new Flags(provider).forRequest(), evaluations };
}

/** Runs a document as a subgraph would: in the caller's tenancy, with a database for commands. */
const execute = (caller: Caller, source: string, flags: unknown) =>
  withTenancy(tenancyOf(caller, 'request-1'), () =>
    graphql({
      schema,
      source,
      contextValue: { caller, flags, requestId: 'request-1', prisma: fakeDatabase() },
    }),
  );

function run(source: string, scopes: string[], settings: FlagSettings) {
  const caller: Caller = { subject: 'tester', orgId: ORG, scopes: new Set(scopes) };
  const { flags, evaluations } = countedFlags(settings);
  return execute(caller, source, flags).then((result) => ({
    ...result,
    evaluations,
    errors: result.errors?.map((e) => ({ path: e.path?.join('.'), ...e.extensions })),
  }));
}

const ON = { ENABLE_CHANNELS: true, ENABLE_PRICE_BOOKS: true };

describe('guard directives', () => {
  it('refuses a flagged field with FEATURE_DISABLED naming the flag, per tenant', async () => {
    const off = await run('{ widgets { id } open }', [], { ENABLE_CHANNELS: false });
    expect(off.errors).toEqual([
      { path: 'widgets', code: 'FEATURE_DISABLED', flag: 'ENABLE_CHANNELS' },
    ]);
    const tenant = await run('{ widgets { id } }', [], {
      ENABLE_CHANNELS: { enabled: false, tenants: { [ORG]: true } },
    });
    expect(tenant.errors).toBeUndefined();
    expect(tenant.evaluations).toEqual([`ENABLE_CHANNELS ${ORG}`]);
  });

  it('answers a nullable flagged field null beside the error, the rest of the object as is', async () => {
    const res = await run('{ widgets { id price } }', [], { ENABLE_CHANNELS: true });
    expect((res.data?.widgets as unknown[])[0]).toEqual({ id: '0', price: null });
    expect(res.errors).toHaveLength(100);
    expect(res.errors?.[0]).toEqual({
      path: 'widgets.0.price',
      code: 'FEATURE_DISABLED',
      flag: 'ENABLE_PRICE_BOOKS',
    });
  });

  it('decides each flag once per request, however many entities ask', async () => {
    const res = await run('{ widgets { price } }', [], ON);
    expect(res.errors).toBeUndefined();
    expect(res.evaluations.sort()).toEqual([`ENABLE_CHANNELS ${ORG}`, `ENABLE_PRICE_BOOKS ${ORG}`]);
  });

  it('checks the flag before the scope, and runs nothing refused', async () => {
    resolved.length = 0;
    const off = await run('mutation { makeWidget { id } }', [], {});
    expect(off.errors).toEqual([
      { path: 'makeWidget', code: 'FEATURE_DISABLED', flag: 'ENABLE_CHANNELS' },
    ]);
    const unscoped = await run('mutation { makeWidget { id } }', ['org:write'], ON);
    expect(unscoped.errors).toEqual([{ path: 'makeWidget', code: 'FORBIDDEN' }]);
    expect(resolved).toEqual([]);
    const scoped = await run('mutation { makeWidget { id } }', ['catalog:write'], ON);
    expect(scoped.errors).toBeUndefined();
    expect(resolved).toEqual(['makeWidget']);
  });

  it('needs every scope named, in order, with requireScope’s message; admin holds them all', async () => {
    const none = await graphqlMessage('mutation { adminOnly { id } }', []);
    expect(none).toBe('this operation needs the scope catalog:write');
    const writer = await graphqlMessage('mutation { adminOnly { id } }', ['catalog:write']);
    expect(writer).toBe('this operation needs the scope admin');
    expect(await graphqlMessage('mutation { adminOnly { id } }', ['admin'])).toBeUndefined();
  });

  it('takes any of a scope and its alternatives (`or`)', async () => {
    const either = 'mutation { eitherWidget { id } }';
    expect(await graphqlMessage(either, ['catalog:write'])).toBe(
      'this operation needs one of the scopes legacy:write, org:write',
    );
    expect(await graphqlMessage(either, ['legacy:write'])).toBeUndefined();
    expect(await graphqlMessage(either, ['org:write'])).toBeUndefined();
  });

  it('tells a command its guards refused it (its onError sees every error of its field)', async () => {
    refusals.length = 0;
    const off = await run('mutation { publishWidget { id } }', ['catalog:publish'], {});
    expect(off.errors).toEqual([
      { path: 'publishWidget', code: 'FEATURE_DISABLED', flag: 'ENABLE_CHANNELS' },
    ]);
    const unscoped = await run('mutation { publishWidget { id } }', ['catalog:write'], ON);
    expect(unscoped.errors).toEqual([{ path: 'publishWidget', code: 'FORBIDDEN' }]);
    expect(refusals).toEqual(['FEATURE_DISABLED', 'FORBIDDEN']);
  });

  it('guards an entity’s references (_entities) by its type’s directive', async () => {
    const query =
      '{ _entities(representations: [{ __typename: "Widget", id: "7" }]) { ... on Widget { name } } }';
    const off = await run(query, [], {});
    expect(off.errors).toEqual([
      { path: '_entities.0', code: 'FEATURE_DISABLED', flag: 'ENABLE_CHANNELS' },
    ]);
    const on = await run(query, [], ON);
    expect(on.data).toEqual({ _entities: [{ name: 'w7' }] });
  });

  it('lists every guard by coordinate', () => {
    expect(Object.fromEntries(guardsOf(schema))).toEqual({
      Widget: { flags: ['ENABLE_CHANNELS'], scopes: [] },
      'Widget.price': { flags: ['ENABLE_PRICE_BOOKS'], scopes: [] },
      'Query.widgets': { flags: ['ENABLE_CHANNELS'], scopes: [] },
      'Mutation.makeWidget': { flags: ['ENABLE_CHANNELS'], scopes: [['catalog:write']] },
      'Mutation.adminOnly': { flags: [], scopes: [['catalog:write'], ['admin']] },
      'Mutation.publishWidget': { flags: ['ENABLE_CHANNELS'], scopes: [['catalog:publish']] },
      'Mutation.eitherWidget': { flags: [], scopes: [['legacy:write', 'org:write']] },
    });
  });

  it('refuses, at build, a flag or scope the kit does not know and a guarded type without a key', () => {
    const build = (body: string) => () => buildFeatureSchema(sdl(body), []);
    expect(build('type Query { a: String @feature(flag: "ENABLE_NOTHING") }')).toThrow(
      /Query.a: @feature\(flag: "ENABLE_NOTHING"\)/,
    );
    expect(build('type Query { a: String @scope(name: "catalog:read") }')).toThrow(
      /Query.a: @scope\(name: "catalog:read"\)/,
    );
    expect(build('type Query { a: T } type T @feature(flag: "ENABLE_ORG") { a: String }')).toThrow(
      /T: a guard on a type guards its references; it has no @key/,
    );
  });
});

async function graphqlMessage(source: string, scopes: string[]) {
  const caller: Caller = { subject: 'tester', orgId: ORG, scopes: new Set(scopes) };
  const result = await execute(caller, source, Flags.fromSettings(ON).forRequest());
  return result.errors?.[0]?.message;
}
