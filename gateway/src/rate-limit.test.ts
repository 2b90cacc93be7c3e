import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryBuckets, takeFrom } from './rate-limit.js';

const limit = { ratePerSecond: 10, burst: 20 };

describe('takeFrom', () => {
  it('charges a full bucket, refuses what it cannot pay with the wait, refills with time', () => {
    const first = takeFrom(undefined, limit, 15, 0);
    expect(first.take).toEqual({ ok: true });
    const refused = takeFrom(first.state, limit, 15, 0);
    // 5 left, 10 missing at 10 per second
    expect(refused.take).toEqual({ ok: false, retryAfterMs: 1_000 });
    expect(takeFrom(refused.state, limit, 15, 1_000).take).toEqual({ ok: true });
  });
});

describe('memoryBuckets', () => {
  afterEach(() => vi.useRealTimers());

  it('keeps each key’s bucket between requests', async () => {
    vi.useFakeTimers({ now: 0 });
    const buckets = memoryBuckets();
    expect(await buckets.take('t', limit, 20)).toEqual({ ok: true });
    expect(await buckets.take('u', limit, 20)).toEqual({ ok: true });
    vi.setSystemTime(1_000);
    // 10 refilled of 20, so a cost of 15 waits half a second
    expect(await buckets.take('t', limit, 15)).toEqual({ ok: false, retryAfterMs: 500 });
  });

  it('holds at most its bound of buckets (the oldest start full again)', async () => {
    const buckets = memoryBuckets(2);
    for (const key of ['a', 'b', 'c']) await buckets.take(key, limit, 20);
    expect(await buckets.take('a', limit, 20)).toEqual({ ok: true });
    expect(await buckets.take('c', limit, 20)).toMatchObject({ ok: false });
  });
});
