import { createLogger, Metrics } from '@trellis/kit';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { contextOf } from './plugins/testing.js';
import {
  DEFAULT_RESILIENCE,
  fetchMetrics,
  isConnectionError,
  ResilientDataSource,
  RetryBudget,
  unavailableResponse,
} from './resilience.js';

describe('RetryBudget', () => {
  it('starts with its floor, earns a fraction of a retry per fetch, never more than its cap', () => {
    const budget = new RetryBudget(0.5, 1, 2);
    expect(budget.withdraw()).toBe(true);
    expect(budget.withdraw()).toBe(false);
    budget.deposit();
    expect(budget.withdraw()).toBe(false);
    budget.deposit();
    expect(budget.withdraw()).toBe(true);
    for (let i = 0; i < 10; i++) budget.deposit();
    expect([budget.withdraw(), budget.withdraw(), budget.withdraw()]).toEqual([true, true, false]);
  });
});

describe('isConnectionError', () => {
  it('finds a refused or reset connection in the cause chain, nothing else', () => {
    const refused = Object.assign(new Error('connect'), { code: 'ECONNREFUSED' });
    expect(isConnectionError(refused)).toBe(true);
    expect(isConnectionError(new Error('fetch failed', { cause: refused }))).toBe(true);
    expect(isConnectionError(new Error('500: Internal'))).toBe(false);
    expect(isConnectionError(undefined)).toBe(false);
  });
});

describe('unavailableResponse', () => {
  it('one error per root field of the fetch', () => {
    const res = unavailableResponse(parse('query Q { a: organization { id } __typename b }'), {});
    expect(res.data).toBeNull();
    expect(res.errors?.map((e) => e.path)).toEqual([['a'], ['b']]);
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE' });
  });

  it('one error per entity and field it was to provide, by the entity type', () => {
    const document = parse(
      'query Q($representations: [_Any!]!) { _entities(representations: $representations) { __typename ... on A { x y } ... on B { z } } }',
    );
    const res = unavailableResponse(document, {
      representations: [{ __typename: 'A' }, { __typename: 'B' }],
    });
    expect(res.errors?.map((e) => e.path)).toEqual([
      ['_entities', 0, 'x'],
      ['_entities', 0, 'y'],
      ['_entities', 1, 'z'],
    ]);
  });
});

describe('ResilientDataSource', () => {
  const refused = () =>
    Promise.reject(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }));
  const source = (fetcher: () => Promise<never>) =>
    new ResilientDataSource({
      name: 'pricing',
      url: 'http://127.0.0.1:1/graphql',
      options: DEFAULT_RESILIENCE,
      metrics: fetchMetrics(new Metrics({ defaultMetrics: false })),
      logger: createLogger('test', { level: 'silent' }),
      fetcher,
      async willSendRequest() {},
    });
  const processing = (query: string) => ({
    kind: 'incoming operation' as never,
    request: { query },
    document: parse(query),
    context: contextOf(),
    incomingRequestContext: {} as never,
    pathInIncomingRequest: [],
  });

  it('retries a query once after a connection error', async () => {
    let calls = 0;
    const counted = () => {
      calls++;
      return refused();
    };
    const res = await source(counted).process(processing('query Q { a }'));
    expect(calls).toBe(2);
    expect(res.errors?.[0]?.extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
  });

  it('never sends a mutation twice', async () => {
    let calls = 0;
    const counted = () => {
      calls++;
      return refused();
    };
    const res = await source(counted).process(processing('mutation M { a }'));
    expect(calls).toBe(1);
    expect(res.errors?.map((e) => e.path)).toEqual([['a']]);
  });
});
